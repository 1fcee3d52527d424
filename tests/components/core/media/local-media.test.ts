/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import { LocalMedia } from "../../../../components/core/media/local-media.ts";
import { until } from "../../test-helpers.ts";

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
    const { audioInputs, videoInputs } = media.devices!;
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

  it("a device plugged in later: the list is replaced, not changed in place", async () => {
    const real = navigator.mediaDevices;
    let extra: MediaDeviceInfo[] = [];
    const target = new EventTarget();
    // The real devices plus whatever the test "plugs in"; events from our own target.
    const devices = Object.assign(target, {
      getUserMedia: (c: MediaStreamConstraints) => real.getUserMedia(c),
      enumerateDevices: async () => [...(await real.enumerateDevices()), ...extra],
    }) as unknown as MediaDevices;
    const media = new LocalMedia(devices);
    await media.start();
    const before = media.devices!;
    const lists: unknown[] = [];
    media.on("devices", (d) => lists.push(d));
    extra = [{
      deviceId: "usb-headset",
      groupId: "g",
      kind: "audioinput",
      label: "USB headset",
      toJSON() {},
    }];
    target.dispatchEvent(new Event("devicechange"));
    await until(() => lists.length === 1, "a new device list");
    expect(media.devices).to.not.equal(before);
    expect(media.devices!.audioInputs.map((d) => d.label)).to.include("USB headset");
    expect(before.audioInputs.map((d) => d.label)).to.not.include("USB headset");
    media.stop();
    target.dispatchEvent(new Event("devicechange"));
    await new Promise((r) => setTimeout(r, 50));
    expect(lists).to.have.length(1); // stopped: no longer listening
  });

  it("stopped while the browser is still asking: the tracks are released, not kept", async () => {
    const media = new LocalMedia();
    const started = media.start();
    media.stop();
    expect(await started).to.deep.equal([]);
    expect(media.stream.getTracks()).to.have.length(0);
  });

  it("toggled while the devices start: the mic starts muted, the camera is let go", async () => {
    const real = navigator.mediaDevices;
    const captured: MediaStreamTrack[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A browser slow to grant: the person clicks in the meantime.
    const devices = Object.assign(new EventTarget(), {
      getUserMedia: async (c: MediaStreamConstraints) => {
        const s = await real.getUserMedia(c);
        captured.push(...s.getTracks());
        await gate;
        return s;
      },
      enumerateDevices: () => real.enumerateDevices(),
    }) as unknown as MediaDevices;
    const media = new LocalMedia(devices);
    const started = media.start();
    expect(media.starting).to.be.true;
    expect(media.wants).to.deep.equal({ audio: true, video: true });
    media.setAudioEnabled(false);
    await media.setVideoEnabled(false);
    expect(media.wants).to.deep.equal({ audio: false, video: false });
    release();
    await started;
    expect(media.starting).to.be.false;
    expect(media.wants).to.deep.equal({ audio: false, video: false });
    expect(media.audioEnabled).to.be.false;
    expect(media.stream.getAudioTracks()[0].enabled).to.be.false;
    expect(media.stream.getVideoTracks()).to.have.length(0);
    expect(captured.find((t) => t.kind === "video")!.readyState).to.equal("ended");
    media.stop();
  });

  /** Whether a track hears an `ended` the test dispatches (the system's cannot be had on demand). */
  function syntheticEndedReachesTracks(): boolean {
    const track = document.createElement("canvas").captureStream().getVideoTracks()[0];
    let heard = false;
    track.addEventListener("ended", () => (heard = true));
    track.dispatchEvent(new Event("ended"));
    track.stop();
    return heard;
  }

  /** Like iOS: a second camera capture fails while one runs. */
  function oneCameraAtATime() {
    const real = navigator.mediaDevices;
    const asked: string[] = [];
    let live: MediaStreamTrack | null = null;
    const devices = Object.assign(new EventTarget(), {
      getUserMedia: async (c: MediaStreamConstraints) => {
        if (c.video) {
          asked.push(live?.readyState === "live" ? "while another runs" : "alone");
          if (live?.readyState === "live") {
            throw new DOMException("the camera is in use", "NotReadableError");
          }
        }
        const s = await real.getUserMedia(c);
        live = s.getVideoTracks()[0] ?? live;
        return s;
      },
      enumerateDevices: () => real.enumerateDevices(),
    }) as unknown as MediaDevices;
    return { devices, asked };
  }

  it("switching the camera lets the old one go first (iOS allows one capture)", async () => {
    const { devices, asked } = oneCameraAtATime();
    const media = new LocalMedia(devices);
    const errors: unknown[] = [];
    media.on("error", (e) => errors.push(e));
    await media.start();
    const before = media.stream.getVideoTracks()[0];
    await media.useDevice("video", media.devices!.videoInputs[0].deviceId);
    expect(errors).to.deep.equal([]);
    expect(asked).to.deep.equal(["alone", "alone"]);
    expect(before.readyState).to.equal("ended");
    expect(media.stream.getVideoTracks()[0].readyState).to.equal("live");
    expect(media.videoEnabled).to.be.true;
    media.stop();
  });

  it("a camera that cannot be had: an error, and the one in use before is taken back", async () => {
    const { devices } = oneCameraAtATime();
    const media = new LocalMedia(devices);
    const errors: Array<{ code: string }> = [];
    media.on("error", (e) => errors.push(e));
    await media.start();
    const before = media.deviceInUse("video");
    await media.useDevice("video", "a-camera-that-was-unplugged");
    expect(errors.map((e) => e.code)).to.have.length(1);
    expect(media.stream.getVideoTracks()).to.have.length(1);
    expect(media.stream.getVideoTracks()[0].readyState).to.equal("live");
    expect(media.deviceInUse("video")).to.equal(before);
    expect(media.videoEnabled).to.be.true;
    // The next time the camera turns on, it is the one that works, not the missing one.
    await media.setVideoEnabled(false);
    await media.setVideoEnabled(true);
    expect(media.stream.getVideoTracks()).to.have.length(1);
    expect(errors).to.have.length(1);
    media.stop();
  });

  it("devices the system ended behind a locked screen come back with the page; an unplugged one stays off", async function () {
    if (!syntheticEndedReachesTracks()) this.skip(); // Firefox: only its own events
    const media = new LocalMedia();
    await media.start();
    media.setAudioEnabled(false); // muted before the phone was locked
    const hide = (hidden: boolean) =>
      Object.defineProperty(document, "visibilityState", {
        configurable: true,
        get: () => (hidden ? "hidden" : "visible"),
      });
    try {
      hide(true);
      for (const t of media.stream.getTracks()) t.dispatchEvent(new Event("ended"));
      expect(media.stream.getTracks()).to.have.length(0);
      expect(media.videoEnabled).to.be.false; // honest meanwhile: peers see the camera off
      hide(false);
      await media.recover();
      expect(media.videoEnabled).to.be.true;
      expect(media.stream.getVideoTracks()[0].readyState).to.equal("live");
      expect(media.stream.getAudioTracks()[0].readyState).to.equal("live");
      expect(media.audioEnabled).to.be.false; // still muted: recovering never unmutes
      expect(media.stream.getAudioTracks()[0].enabled).to.be.false;
      // Ended while in view (unplugged, revoked): not asked for again.
      media.stream.getVideoTracks()[0].dispatchEvent(new Event("ended"));
      await media.recover();
      expect(media.stream.getVideoTracks()).to.have.length(0);
      expect(media.videoEnabled).to.be.false;
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      media.stop();
    }
  });
});
