/// <reference path="../../mocha-globals.d.ts" />
/**
 * Effects applied to LocalMedia as the element does it (`media.effects`,
 * then applyEffects): the microphone sent is RNNoise's while the device's own
 * runs under it with the browser's suppression off, and "off" gives back the
 * device's track with the browser's suppression on; a newer choice wins over
 * one still loading; a picture that cannot be had is an `effect-failed` error
 * while noise suppression still comes, and the other way round; a background
 * this device cannot keep up (a frame budget far too small) goes off, saying
 * so, until chosen again.
 */
import { expect } from "@open-wc/testing";
import { LocalMedia } from "../../../../components/core/media/local-media.ts";
import { applyEffects } from "../../../../components/core/effects/media-effects.ts";
import { NoiseSuppression } from "../../../../components/core/effects/noise-suppression.ts";
import type { RoomErrorDetail } from "../../../../components/core/room-error.ts";
import { until } from "../../test-helpers.ts";
import { stopCameras, usePatternCamera, useSlowDevice } from "./video-frames.ts";

describe("applyEffects", () => {
  let media: LocalMedia;
  afterEach(() => media?.stop());

  // First: RNNoise, once loaded, stays loaded for the page (and this file's later tests).
  it("noise suppression that cannot be had goes, saying why; the background still comes", async function () {
    this.timeout(30000);
    const restoreCamera = usePatternCamera();
    const load = NoiseSuppression.load;
    // Its files are not where they should be (a bundle copied without them): they answer 404.
    NoiseSuppression.load = () =>
      load.call(NoiseSuppression, new URL("/no-such-folder/", location.href));
    const picture = new URL("../../../../components/core/effects/background-1.jpg", import.meta.url)
      .href;
    try {
      media = new LocalMedia();
      await media.start({ audio: true, video: true });
      const [microphone, camera] = [media.track("audio")!, media.track("video")!];
      const errors: RoomErrorDetail[] = [];
      media.on("error", (e) => errors.push(e));
      media.effects = `1${picture}`;
      await applyEffects(media);
      await until(() => media.stream.getVideoTracks()[0] !== camera, "the picture behind");
      expect(errors.map((e) => e.code)).to.deep.equal(["effect-failed"]);
      expect(errors[0].message).to.match(/^Cannot apply noise suppression: .*404/);
      expect(media.effects, "noise suppression off in the choice").to.equal(`0${picture}`);
      expect(media.stream.getAudioTracks(), "the microphone as it is").to.deep.equal([microphone]);
      expect(microphone.getConstraints().noiseSuppression, "the browser's own").to.not.equal(false);
      media.effects = "0none";
      await applyEffects(media);
    } finally {
      NoiseSuppression.load = load;
      restoreCamera();
      stopCameras();
    }
  });

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
    expect(media.effects, "the picture off in the choice, noise suppression kept").to.equal(
      "1none",
    );
  });

  it("a background this device cannot keep up: effect-stopped, the camera as it is, and on again when chosen anew", async function () {
    this.timeout(60000);
    const restoreCamera = usePatternCamera();
    const restoreDevice = useSlowDevice();
    const video = document.createElement("video");
    try {
      media = new LocalMedia();
      await media.start({ audio: false, video: true });
      const camera = media.track("video")!;
      const sent = () => media.stream.getVideoTracks()[0];
      const errors: RoomErrorDetail[] = [];
      media.on("error", (e) => errors.push(e));
      media.effects = "0blur";
      await applyEffects(media);
      const blurred = sent();
      expect(blurred, "the blurred track sent").to.not.equal(camera);
      // Played, as a tile plays it, so frames flow through the effect.
      Object.assign(video, { muted: true, srcObject: new MediaStream([blurred]) });
      await video.play();
      await until(() => errors.length > 0, "effect-stopped", 20000);
      expect(errors.map((e) => e.code)).to.deep.equal(["effect-stopped"]);
      expect(errors[0].message).to.match(/^Cannot keep the background effect up: /);
      await until(() => sent() === camera, "the camera sent as it is");
      expect(media.effects, "off in the choice").to.equal("0none");
      // Chosen again: it tries again.
      media.effects = "0blur";
      await applyEffects(media);
      expect(sent(), "blurred again").to.not.equal(camera);
      expect(errors, "nothing more said").to.have.length(1);
      media.effects = "0none";
      await applyEffects(media); // lets the slow effect go before the budget is put back
    } finally {
      restoreDevice();
      video.srcObject = null;
      restoreCamera();
      stopCameras();
    }
  });
});
