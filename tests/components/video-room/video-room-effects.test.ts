/// <reference path="../mocha-globals.d.ts" />
/**
 * Effects as a visitor uses them, measured at the other person's end: Ana's
 * microphone picks up speech in a noisy room (the speech-plus-noise fixture);
 * she turns noise suppression on in the pre-join settings, joins, and Bo
 * hears the noise between her words far lower; she turns it off in the call's
 * settings, live, and Bo hears the noise again. Her camera films a
 * whiteboard (no person: all of it is background): she blurs it before
 * joining and Bo sees it blurred, then a picture, then her room again. On a
 * device too slow for it (a frame budget far too small), the background goes
 * off with a note, Settings shows None, and Blur tries again.
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
import {
  look,
  stopCameras,
  usePatternCamera,
  useSlowDevice,
} from "../core/effects/video-frames.ts";
import { button, choose, press, root, tileOf } from "./room-by-hand.ts";

const SAVED = "video-room-effects";

/** Half the fixture's 8.5 s loop at least, so that both words and pauses are in it. */
const LISTEN_MS = 9000;

/**
 * Ana on the pre-join screen of a fresh room (not joined yet); `boJoins()`
 * brings Bo in beside her, joining at once.
 */
async function anaBeforeJoining(prefix: string) {
  const server = await signalingUrl();
  const room = uniqueRoom(prefix);
  const wrap = await fixture<HTMLDivElement>(html`
    <div
      style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
      <video-room id="ana" room=${room} name="Ana" server=${server}></video-room>
    </div>
  `);
  const boJoins = () => {
    const bo = document.createElement("video-room");
    Object.assign(bo, { room, name: "Bo", server, autojoin: true });
    wrap.append(bo);
    return bo;
  };
  return { ana: wrap.querySelector<VideoRoom>("#ana")!, boJoins };
}

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
    const { ana, boJoins } = await anaBeforeJoining("noise");
    // Pre-join: Settings, then the switch.
    await press(ana, "Settings");
    await press(ana, "Noise suppression");
    const toggle = button(ana, "Noise suppression")!;
    expect(toggle.getAttribute("aria-pressed")).to.equal("true");
    expect(ana.noiseSuppression).to.equal(true);
    expect(localStorage.getItem(SAVED), "remembered for the site").to.equal("1none");
    await expect(ana).to.be.accessible();
    await press(ana, "Join");

    const bo = boJoins();
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

  it("a background, chosen before joining and changed in the call: Bo sees each", async function () {
    this.timeout(120000);
    const restoreCamera = usePatternCamera();
    try {
      const { ana, boJoins } = await anaBeforeJoining("blur");
      await press(ana, "Settings");
      await press(ana, "Blur");
      expect(button(ana, "Blur")!.getAttribute("aria-pressed")).to.equal("true");
      expect(ana.background).to.equal("blur");
      expect(localStorage.getItem(SAVED)).to.equal("0blur");
      await expect(ana).to.be.accessible();
      // The preview shows it too: her own tile's picture is blurred before she joins.
      const preview = await look(ana.localStream!, 1500);
      expect(preview.sharpness, "the preview blurred").to.be.below(3);
      await press(ana, "Join");

      const bo = boJoins();
      const tile = await until(
        () => tileOf(bo, "Ana")?.stream?.getVideoTracks().length && tileOf(bo, "Ana"),
        "Ana's picture at Bo's",
      );
      const blurred = await look(tile.stream!);

      await choose(ana, "More options", "Settings");
      await press(ana, "Picture 2");
      expect(ana.background).to.match(/background-2\.jpg$/);
      await new Promise((r) => setTimeout(r, 4000)); // the new track settles in the encoder
      const picture = await look(tile.stream!);

      await press(ana, "None");
      await new Promise((r) => setTimeout(r, 1500));
      const plain = await look(tile.stream!);
      const show = (l: typeof plain) =>
        `sharpness ${l.sharpness.toFixed(1)}, ${l.fps.toFixed(0)} fps, rgb ${
          l.rgb.map((c) => c.toFixed(0)).join(" ")
        }`;
      console.log(
        `at Bo's: blurred ${show(blurred)}; picture ${show(picture)}; none ${show(plain)}`,
      );
      expect(plain.sharpness, "her whiteboard, sharp").to.be.above(8);
      expect(blurred.sharpness, "blurred").to.be.below(plain.sharpness / 4);
      expect(blurred.fps, "blurred, smoothly").to.be.at.least(15);
      const [r, , b] = picture.rgb;
      expect(r - b, "the picture's warm colours").to.be.above(60);
      expect(picture.fps).to.be.at.least(15);
    } finally {
      restoreCamera();
      stopCameras();
    }
  });

  it("a background this device cannot keep up: turned off, said, shown as None; Blur tries again", async function () {
    this.timeout(60000);
    const restoreCamera = usePatternCamera();
    const restoreDevice = useSlowDevice();
    try {
      const { ana } = await anaBeforeJoining("slow");
      await press(ana, "Settings");
      await press(ana, "Blur");
      const banner = () => root(ana).querySelector('[part~="banner"]')?.textContent ?? "";
      await until(() => /too slow, so it was turned off/.test(banner()), "the note", 20000);
      const pressed = (name: string) => button(ana, name)!.getAttribute("aria-pressed");
      await until(() => pressed("None") === "true", "None chosen in Settings");
      expect(pressed("Blur")).to.equal("false");
      expect(ana.background).to.equal("none");
      const plain = await look(ana.localStream!, 1000);
      expect(plain.sharpness, "her whiteboard, sharp in the preview").to.be.above(8);
      // She chooses Blur again: it is tried again.
      const camera = ana.localStream!.getVideoTracks()[0];
      await press(ana, "Blur");
      await until(() => ana.localStream!.getVideoTracks()[0] !== camera, "the blurred track");
      const again = await look(ana.localStream!, 1000);
      expect(again.sharpness, "blurred again").to.be.below(3);
    } finally {
      restoreDevice();
      restoreCamera();
      stopCameras();
    }
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
