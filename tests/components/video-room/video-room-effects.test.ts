/// <reference path="../mocha-globals.d.ts" />
/**
 * Effects as a visitor uses them, measured at the other person's end: Ana's
 * microphone picks up speech in a noisy room (the speech-plus-noise fixture);
 * she turns noise suppression on in the pre-join settings, joins, and Bo
 * hears the noise between her words far lower; she turns it off in the call's
 * settings, live, and Bo hears the noise again.
 */
import { expect, fixture, html } from "@open-wc/testing";
import "../../../components/video-room/video-room.ts";
import type { VideoRoom } from "../../../components/video-room/video-room.ts";
import { signalingUrl, uniqueRoom, until } from "../test-helpers.ts";
import {
  closeAudio,
  floorAndSpeech,
  levels,
  useFixtureMicrophone,
} from "../core/effects/audio-levels.ts";
import { button, choose, press, root, tileOf } from "./room-by-hand.ts";

const SAVED = "video-room-effects";

/** Half the fixture's 8.5 s loop at least, so that both words and pauses are in it. */
const LISTEN_MS = 9000;

describe("<video-room> effects", () => {
  let microphones: ReturnType<typeof useFixtureMicrophone>;
  before(() => (microphones = useFixtureMicrophone()));
  after(() => microphones.restore());
  beforeEach(() => localStorage.removeItem(SAVED));
  afterEach(() => {
    closeAudio();
    localStorage.removeItem(SAVED);
  });

  it("noise suppression, chosen before joining and turned off in the call: Bo hears the difference", async function () {
    this.timeout(90000);
    const server = await signalingUrl();
    const room = uniqueRoom("noise");
    const wrap = await fixture<HTMLDivElement>(html`
      <div
        style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
        <video-room id="ana" room=${room} name="Ana" server=${server}></video-room>
      </div>
    `);
    const ana = wrap.querySelector<VideoRoom>("#ana")!;
    // Pre-join: Settings, then the switch.
    await press(ana, "Settings");
    await press(ana, "Noise suppression");
    const toggle = button(ana, "Noise suppression")!;
    expect(toggle.getAttribute("aria-pressed")).to.equal("true");
    expect(ana.noiseSuppression).to.equal(true);
    expect(localStorage.getItem(SAVED), "remembered for the site").to.equal("1none");
    await expect(ana).to.be.accessible();
    await press(ana, "Join");

    const bo = document.createElement("video-room");
    Object.assign(bo, { room, name: "Bo", server, autojoin: true });
    wrap.append(bo);
    const tile = await until(
      () => tileOf(bo, "Ana")?.stream?.getAudioTracks().length && tileOf(bo, "Ana"),
      "Ana's sound at Bo's",
    );
    const on = floorAndSpeech(await levels(tile.stream!, LISTEN_MS));

    // In the call: More options → Settings, and the switch again.
    await choose(ana, "More options", "Settings");
    await until(() => root(ana).querySelector('[part="settings"]'), "the settings panel");
    await press(ana, "Noise suppression");
    expect(button(ana, "Noise suppression")!.getAttribute("aria-pressed")).to.equal("false");
    expect(localStorage.getItem(SAVED)).to.equal("0none");
    await expect(ana).to.be.accessible();
    // Same stream at Bo's: the track was replaced under it, nothing was negotiated again.
    expect(tileOf(bo, "Ana")!.stream).to.equal(tile.stream);
    const off = floorAndSpeech(await levels(tile.stream!, LISTEN_MS));
    console.log(
      `at Bo's: noise floor ${off.floor.toFixed(1)} dB off, ${on.floor.toFixed(1)} dB on; ` +
        `speech ${off.speech.toFixed(1)} dB off, ${on.speech.toFixed(1)} dB on`,
    );
    expect(on.floor, "the noise between words, at least 10 dB lower").to.be.below(off.floor - 10);
    expect(on.speech, "the speech still there").to.be.above(off.speech - 6);
  });

  it("a choice remembered on this site is used on the next visit", async () => {
    localStorage.setItem(SAVED, "1none");
    const el = await fixture<VideoRoom>(
      html`<video-room room=${uniqueRoom()} server=${await signalingUrl()}></video-room>`,
    );
    await until(() => el.noiseSuppression, "the remembered choice");
    await press(el, "Settings");
    const toggle = await until(() => button(el, "Noise suppression"), "the switch");
    expect(toggle.getAttribute("aria-pressed")).to.equal("true");
    // The preview already carries the processed microphone, not the device's own track.
    await until(() => {
      const track = el.localStream?.getAudioTracks()[0];
      return track && microphones.given.length > 0 && !microphones.given.includes(track);
    }, "the processed microphone in the preview");
  });
});
