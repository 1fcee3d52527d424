/// <reference path="../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import { LocalMedia } from "../../../components/core/local-media.ts";

describe("LocalMedia", () => {
  it("starts camera and microphone; mute keeps the track, camera off stops it", async () => {
    const media = new LocalMedia();
    const changes: Array<string> = [];
    media.on("track", ({ kind, track }) => changes.push(`${kind}:${track ? "on" : "off"}`));
    expect(await media.start()).to.deep.equal([]);
    expect(media.audioEnabled && media.videoEnabled).to.be.true;
    const mic = media.stream.getAudioTracks()[0];
    media.setAudioEnabled(false);
    expect(mic.enabled).to.be.false;
    expect(mic.readyState).to.equal("live");
    const cam = media.stream.getVideoTracks()[0];
    await media.setVideoEnabled(false);
    expect(cam.readyState).to.equal("ended"); // the camera light goes off
    expect(media.stream.getVideoTracks()).to.have.length(0);
    await media.setVideoEnabled(true);
    const cam2 = media.stream.getVideoTracks()[0];
    expect(cam2.readyState).to.equal("live");
    expect(cam2).to.not.equal(cam);
    expect(changes).to.deep.equal(["audio:on", "video:on", "video:off", "video:on"]);
    media.stop();
    expect(media.stream.getTracks()).to.have.length(0);
    expect(cam2.readyState).to.equal("ended");
  });

  it("lists devices and switches the camera live", async () => {
    const media = new LocalMedia();
    await media.start();
    const { audioInputs, videoInputs } = await media.listDevices();
    expect(audioInputs.length).to.be.greaterThan(0);
    expect(videoInputs.length).to.be.greaterThan(0);
    const before = media.stream.getVideoTracks()[0];
    let swapped: MediaStreamTrack | null = null;
    media.on("track", ({ track }) => (swapped = track));
    await media.useDevice("video", videoInputs[0].deviceId);
    expect(swapped).to.equal(media.stream.getVideoTracks()[0]);
    expect(before.readyState).to.equal("ended");
    media.stop();
  });

  it("stopped while the browser is still asking: the tracks are released, not kept", async () => {
    const media = new LocalMedia();
    const started = media.start();
    media.stop();
    expect(await started).to.deep.equal([]);
    expect(media.stream.getTracks()).to.have.length(0);
  });
});
