/// <reference path="../../mocha-globals.d.ts" />
/**
 * Effects applied to LocalMedia as the element does it (`media.effects`,
 * then applyEffects): the microphone sent is RNNoise's while the device's own
 * runs under it with the browser's suppression off, and "off" gives back the
 * device's track with the browser's suppression on; a newer choice wins over
 * one still loading; a picture that cannot be had is an `effect-failed` error
 * while noise suppression still comes.
 */
import { expect } from "@open-wc/testing";
import { LocalMedia } from "../../../../components/core/media/local-media.ts";
import { applyEffects } from "../../../../components/core/effects/media-effects.ts";
import type { RoomErrorDetail } from "../../../../components/core/room-error.ts";

describe("applyEffects", () => {
  let media: LocalMedia;
  afterEach(() => media?.stop());

  it("noise suppression on and off, live, with the browser's own as the fallback", async () => {
    media = new LocalMedia();
    await media.start({ audio: true, video: false });
    const device = media.track("audio")!;
    const sent: MediaStreamTrack[] = [];
    media.on("track", ({ track }) => track && sent.push(track));

    media.effects = "1none";
    await applyEffects(media);
    const [cleaned] = media.stream.getAudioTracks();
    expect(cleaned, "RNNoise's track is sent").to.not.equal(device);
    expect(sent).to.deep.equal([cleaned]);
    expect(media.track("audio"), "the device's own runs under it").to.equal(device);
    expect(device.getConstraints().noiseSuppression, "the browser's off").to.equal(false);

    media.setAudioEnabled(false);
    expect(cleaned.enabled, "muting works on the track sent").to.equal(false);
    media.setAudioEnabled(true);

    media.effects = "0none";
    await applyEffects(media);
    expect(media.stream.getAudioTracks()).to.deep.equal([device]);
    expect(cleaned.readyState, "RNNoise's track let go").to.equal("ended");
    expect(device.getConstraints().noiseSuppression, "the browser's on again").to.equal(true);
  });

  it("the newest choice wins; a picture that cannot be had is said, and noise suppression still comes", async () => {
    media = new LocalMedia();
    await media.start({ audio: true, video: true });
    const errors: RoomErrorDetail[] = [];
    media.on("error", (e) => errors.push(e));
    const camera = media.track("video")!;
    media.effects = "1/no-such-picture.jpg";
    const first = applyEffects(media);
    media.effects = "1/no-such-picture.jpg"; // asked again meanwhile: one answer, not two
    await first;
    await new Promise((r) => setTimeout(r, 500));
    expect(errors.map((e) => e.code)).to.deep.equal(["effect-failed"]);
    expect(errors[0].message).to.match(/^Cannot apply the background effect: .*404/);
    expect(media.stream.getVideoTracks(), "the camera as it is").to.deep.equal([camera]);
    expect(media.stream.getAudioTracks()[0], "noise suppression on").to.not.equal(
      media.track("audio"),
    );
  });
});
