import { Emitter } from "../emitter.ts";
import { mark } from "../perf-mark.ts";
import { mediaError, type RoomErrorDetail } from "../room-error.ts";

/** Sensible defaults: 720p at most, echo cancellation and noise suppression on. */
export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};
export const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export interface LocalMediaEvents extends Record<string, unknown> {
  /** The track of a kind was replaced (null: none is being sent). */
  track: { kind: "audio" | "video"; track: MediaStreamTrack | null };
  /** audio/video on/off changed. */
  change: void;
  /** The list of cameras and microphones was replaced. */
  devices: DeviceChoice;
  error: RoomErrorDetail;
}

/** The effects on one's own media; `background` is `none`, `blur` or an image's URL. */
export interface EffectChoice {
  noise: boolean;
  background: string;
}

/** Makes the track shown and sent from a device's track (the effects chunk's). */
export interface TrackFilter {
  /** The track for a device's (the same one when no effect applies to it). */
  apply(track: MediaStreamTrack): MediaStreamTrack;
  /** Done with a track apply() made. */
  release(track: MediaStreamTrack): void;
}

export interface DeviceChoice {
  audioInputs: MediaDeviceInfo[];
  videoInputs: MediaDeviceInfo[];
}

/**
 * The local camera and microphone, in one stream whose tracks come and go.
 * Muting the mic disables its track; turning the camera off stops the track so
 * the camera light goes off, and turning it on acquires a fresh one.
 */
export class LocalMedia extends Emitter<LocalMediaEvents> {
  readonly stream = new MediaStream();
  audioEnabled = false;
  videoEnabled = false;
  /** Whether each device exists and was granted; false after a failure. */
  hasAudio = false;
  hasVideo = false;
  audioDeviceId: string | undefined;
  videoDeviceId: string | undefined;
  /**
   * Cameras and microphones to choose from, once access was asked for (labels
   * are hidden before). Replaced, never changed in place, when a device is
   * plugged in or out.
   */
  devices: DeviceChoice | null = null;
  readonly #devices: MediaDevices | undefined;
  readonly #onDeviceChange = () => void this.#refreshDevices();
  /** Each device's own track, under what is shown and sent when an effect is on. */
  readonly #raw = new Map<"audio" | "video", MediaStreamTrack>();
  #filter: TrackFilter | null = null;
  /** Bumped by stop(): a capture that resolves afterwards is released, not used. */
  #generation = 0;
  /**
   * While the devices start: what the person wants once they are ready. A
   * click on a toggle meanwhile (mute before the mic is up, camera off before
   * its light comes on) is kept here and applied, never lost.
   */
  #wanted: { audio: boolean; video: boolean } | null = null;
  /** Devices the system ended while the page was hidden (a phone's lock screen), and whether they were on. */
  readonly #lostWhileHidden = new Map<"audio" | "video", boolean>();

  constructor(devices: MediaDevices | undefined = globalThis.navigator?.mediaDevices) {
    super();
    this.#devices = devices;
  }

  /**
   * Asks for camera and microphone. If both cannot be had, tries each alone,
   * so a laptop without a camera still joins with sound. Resolves with the
   * errors met (empty when all went well); never rejects.
   */
  async start(want: { audio: boolean; video: boolean } = { audio: true, video: true }) {
    const errors: RoomErrorDetail[] = [];
    this.#wanted = { ...want };
    this.emit("change", undefined);
    if (!this.#devices?.getUserMedia) {
      errors.push(mediaError(new TypeError("no mediaDevices"), "camera and microphone"));
      for (const e of errors) this.emit("error", e);
      return errors;
    }
    try {
      const s = await this.capture({
        audio: want.audio && this.#audioConstraints(),
        video: want.video && this.#videoConstraints(),
      });
      for (const t of s.getTracks()) this.#setTrack(t);
    } catch (err) {
      if ((err as Error)?.name === "AbortError" && this.stream.getTracks().length === 0) {
        return errors; // stopped while asking: nothing to report
      }
      // Retry one at a time to find which one failed.
      for (const kind of ["audio", "video"] as const) {
        if (!want[kind]) continue;
        try {
          const s = await this.capture({
            [kind]: kind === "audio" ? this.#audioConstraints() : this.#videoConstraints(),
          });
          for (const t of s.getTracks()) this.#setTrack(t);
        } catch (e) {
          errors.push(mediaError(e ?? err, kind === "audio" ? "the microphone" : "the camera"));
        }
      }
    }
    mark("camera-ready");
    const wanted = this.#wanted ?? want;
    this.#wanted = null;
    this.hasAudio = this.stream.getAudioTracks().length > 0;
    this.hasVideo = this.stream.getVideoTracks().length > 0;
    // Toggled while starting: the microphone starts muted, the camera is let go (light off).
    for (const t of this.stream.getAudioTracks()) t.enabled = wanted.audio;
    if (this.hasVideo && !wanted.video) {
      this.#removeTrack("video");
      this.emit("track", { kind: "video", track: null });
    }
    this.audioEnabled = this.hasAudio && wanted.audio;
    this.videoEnabled = this.hasVideo && wanted.video;
    this.emit("change", undefined);
    for (const e of errors) this.emit("error", e);
    this.#devices.addEventListener?.("devicechange", this.#onDeviceChange);
    await this.#refreshDevices();
    return errors;
  }

  /** The device id of the camera or microphone in use, if any. */
  deviceInUse(kind: "audio" | "video"): string | undefined {
    return this.track(kind)?.getSettings().deviceId;
  }

  /** @internal Tells of a failure (for the chunks that work on this media). */
  report(error: RoomErrorDetail): void {
    this.emit("error", error);
  }

  /** @internal The device's own track of a kind (under any effect). */
  track(kind: "audio" | "video"): MediaStreamTrack | undefined {
    return this.#raw.get(kind);
  }

  /**
   * The effects asked for: `0none` (none), `1blur` (noise suppression and a
   * blurred background)…; set by whoever turns them on (the element),
   * applied by the effects chunk (media-effects.ts).
   */
  effects = "0none";

  /**
   * Puts a filter (an effect) between the devices and what is shown and
   * sent, or none: the tracks are replaced live (no renegotiation) and the
   * devices keep running.
   */
  refilter(filter: TrackFilter | null): void {
    const old = this.#filter;
    this.#filter = filter;
    for (const [kind, raw] of this.#raw) {
      const was = this.#sent(kind);
      const track = filter?.apply(raw) ?? raw;
      if (track === was) continue;
      // Muting works on the track sent; the device's own runs on under an effect.
      track.enabled = was?.enabled ?? true;
      if (track !== raw) raw.enabled = true;
      if (was) this.stream.removeTrack(was);
      if (was && was !== raw) old?.release(was);
      this.stream.addTrack(track);
      this.emit("track", { kind, track });
    }
  }

  /** Whether the person wants the mic and camera on: their choice, even before the devices are up. */
  get wants(): { audio: boolean; video: boolean } {
    return this.#wanted ?? { audio: this.audioEnabled, video: this.videoEnabled };
  }

  /** True while the devices are being started (the toggles already take clicks). */
  get starting(): boolean {
    return this.#wanted !== null;
  }

  /** Mutes or unmutes the microphone (the track keeps running: instant toggle). */
  setAudioEnabled(on: boolean): void {
    if (this.#wanted) {
      this.#wanted = { ...this.#wanted, audio: on };
      this.emit("change", undefined);
      return;
    }
    const track = this.stream.getAudioTracks()[0];
    if (!track) return;
    track.enabled = on;
    this.audioEnabled = on;
    this.emit("change", undefined);
  }

  /** Camera off stops the track (light off); camera on acquires a new one. */
  async setVideoEnabled(on: boolean): Promise<void> {
    if (this.#wanted) {
      this.#wanted = { ...this.#wanted, video: on };
      this.emit("change", undefined);
      return;
    }
    if (on === this.videoEnabled) return;
    if (!on) {
      this.#removeTrack("video");
      this.videoEnabled = false;
      this.emit("track", { kind: "video", track: null });
      this.emit("change", undefined);
      return;
    }
    try {
      const s = await this.capture({ video: this.#videoConstraints() });
      this.#setTrack(s.getVideoTracks()[0]);
      this.hasVideo = true;
      this.videoEnabled = true;
      this.emit("change", undefined);
    } catch (err) {
      this.emit("error", mediaError(err, "the camera"));
    }
  }

  async #refreshDevices(): Promise<void> {
    const generation = this.#generation;
    const all = (await this.#devices?.enumerateDevices().catch(() => [])) ?? [];
    if (generation !== this.#generation) return; // stopped meanwhile
    this.devices = {
      audioInputs: all.filter((d) => d.kind === "audioinput"),
      videoInputs: all.filter((d) => d.kind === "videoinput"),
    };
    this.emit("devices", this.devices);
  }

  /**
   * Switches camera or microphone live: peers get the new track without
   * renegotiation (device-changes.ts, a chunk: only the settings use it).
   */
  async useDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    await (await import("./device-changes.ts")).switchDevice(this, kind, deviceId);
  }

  /** @internal Takes the track of a kind from a fresh capture, keeping the mute state. */
  adopt(kind: "audio" | "video", s: MediaStream): void {
    const track = s.getTracks()[0];
    if (kind === "audio") track.enabled = this.audioEnabled;
    this.#setTrack(track);
    this.emit("change", undefined);
  }

  /** @internal A device of a kind is gone: off, and peers are sent nothing. */
  lose(kind: "audio" | "video"): void {
    this.#removeTrack(kind);
    if (kind === "video") this.videoEnabled = false;
    else this.audioEnabled = false;
    this.emit("track", { kind, track: null });
    this.emit("change", undefined);
  }

  /**
   * Back in view: what the system ended while the page was hidden is asked
   * for again and turned back on (the microphone keeps its mute state).
   * Devices the person turned off, or that were unplugged, stay off.
   */
  async recover(): Promise<void> {
    const lost = [...this.#lostWhileHidden];
    this.#lostWhileHidden.clear();
    if (lost.length) await (await import("./device-changes.ts")).recoverDevices(this, lost);
  }

  /** Stops every track: camera light off, microphone released. */
  stop(): void {
    this.#generation++;
    this.#wanted = null;
    this.#lostWhileHidden.clear();
    this.#devices?.removeEventListener?.("devicechange", this.#onDeviceChange);
    this.#removeTrack("audio");
    this.#removeTrack("video");
    this.audioEnabled = this.videoEnabled = false;
  }

  /** @internal getUserMedia, but tracks that arrive after stop() are stopped at once (camera light off). */
  async capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
    const generation = this.#generation;
    const stream = await this.#devices!.getUserMedia(constraints);
    if (generation !== this.#generation) {
      for (const t of stream.getTracks()) t.stop();
      throw new DOMException("stopped while waiting for the device", "AbortError");
    }
    return stream;
  }

  #sent(kind: "audio" | "video"): MediaStreamTrack | undefined {
    return this.stream.getTracks().find((t) => t.kind === kind);
  }

  #setTrack(raw: MediaStreamTrack): void {
    const kind = raw.kind as "audio" | "video";
    this.#removeTrack(kind);
    this.#raw.set(kind, raw);
    const track = this.#filter?.apply(raw) ?? raw;
    if (track !== raw) {
      track.enabled = raw.enabled;
      raw.enabled = true;
    }
    this.stream.addTrack(track);
    // Unplugged or revoked: reflect it instead of sending a dead track.
    raw.addEventListener("ended", () => {
      if (this.#raw.get(kind) !== raw) return;
      // A phone that locks its screen may end the capture: taken back by recover().
      if (globalThis.document?.visibilityState === "hidden") {
        this.#lostWhileHidden.set(kind, kind === "audio" ? this.audioEnabled : true);
      }
      this.lose(kind);
    });
    this.emit("track", { kind, track });
  }

  #removeTrack(kind: "audio" | "video"): void {
    const raw = this.#raw.get(kind);
    this.#raw.delete(kind);
    raw?.stop();
    const sent = this.#sent(kind);
    if (!sent) return;
    this.stream.removeTrack(sent);
    if (sent === raw) return;
    sent.stop();
    this.#filter?.release(sent);
  }

  /** @internal What to ask a device of a kind for (the one chosen, or any). */
  constraints(kind: "audio" | "video", chosen = true): MediaTrackConstraints {
    return kind === "audio" ? this.#audioConstraints(chosen) : this.#videoConstraints(chosen);
  }

  #audioConstraints(chosen = true): MediaTrackConstraints {
    return chosen && this.audioDeviceId
      ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: this.audioDeviceId } }
      : AUDIO_CONSTRAINTS;
  }

  #videoConstraints(chosen = true): MediaTrackConstraints {
    return chosen && this.videoDeviceId
      ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: this.videoDeviceId } }
      : VIDEO_CONSTRAINTS;
  }
}
