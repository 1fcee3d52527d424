import { Emitter } from "../emitter.ts";
import { mark } from "../perf-mark.ts";

/** What travels between two links through signaling (the protocol's opaque `data`). */
export interface LinkSignal {
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit | null;
  /** Stream id → role, so the far side can tell a screen from a camera. */
  streams?: Record<string, StreamRole>;
}

export type StreamRole = "camera" | "screen";

export interface PeerLinkOptions {
  /** The polite side yields in an offer collision (perfect negotiation). */
  polite: boolean;
  /**
   * The side that makes the first offer. The other side attaches its media
   * to the offered transceivers, so a new link connects in one round trip and
   * without needless glare.
   */
  initiator: boolean;
  rtcConfig?: RTCConfiguration;
  /** Camera stream: its audio and video tracks (either may be absent). */
  camera: MediaStream;
  /** How long `disconnected` may last before an ICE restart. */
  disconnectedRestartMs?: number;
  /**
   * How long a link may try to connect before restarting ICE. Chromium never
   * reports `failed` when no candidate pair exists (e.g. candidates lost while
   * signaling reconnected): it would wait in `connecting` forever.
   */
  connectTimeoutMs?: number;
}

export interface PeerLinkEvents extends Record<string, unknown> {
  /** A signal to deliver to the far side. */
  signal: LinkSignal;
  /** A remote stream appeared or changed (tracks added or removed). */
  stream: { role: StreamRole; stream: MediaStream };
  /** A remote stream has no live tracks left. */
  "stream-removed": { role: StreamRole; stream: MediaStream };
  state: RTCPeerConnectionState;
  /** Not connected in time: ICE is being restarted. */
  stalled: void;
  /** A STUN/TURN server refused or failed us (e.g. 401: bad TURN credentials). */
  "ice-error": { code: number; url: string; text: string };
}

/**
 * One WebRTC connection to one remote peer, following the perfect negotiation
 * pattern: signals in through `signal()`, signals out through the `signal`
 * event; knows nothing of WebSockets. `close()` releases everything.
 */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #awaitingFirstOffer: boolean;
  #queue: Promise<void> = Promise.resolve();
  #pendingCandidates: RTCIceCandidateInit[] = [];
  #closed = false;
  readonly #camera: MediaStream;
  #audio: RTCRtpTransceiver | null = null;
  #video: RTCRtpTransceiver | null = null;
  #screenSender: RTCRtpSender | null = null;
  #screenStreamId: string | null = null;
  /** Remote stream id → role, as the far side told us. */
  readonly #remoteRoles = new Map<string, StreamRole>();
  readonly #remoteStreams = new Map<string, MediaStream>();
  #disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #restarts = 0;
  readonly #disconnectedRestartMs: number;
  readonly #connectTimeoutMs: number;

  constructor(options: PeerLinkOptions) {
    super();
    this.polite = options.polite;
    this.#camera = options.camera;
    this.#awaitingFirstOffer = !options.initiator;
    this.#disconnectedRestartMs = options.disconnectedRestartMs ?? 4000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10000;
    this.pc = new RTCPeerConnection(options.rtcConfig);
    const pc = this.pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.emit("signal", { candidate: candidate.toJSON() });
    };
    pc.ontrack = (ev) => this.#onTrack(ev);
    pc.onconnectionstatechange = () => this.#onConnectionState();
    pc.onicecandidateerror = (e) =>
      this.emit("ice-error", { code: e.errorCode, url: e.url ?? "", text: e.errorText });
    if (options.initiator) {
      // Always offer audio and video, even without devices, so we can receive both.
      this.#audio = pc.addTransceiver(this.#track("audio") ?? "audio", {
        direction: "sendrecv",
        streams: [this.#camera],
      });
      this.#video = pc.addTransceiver(this.#track("video") ?? "video", {
        direction: "sendrecv",
        streams: [this.#camera],
      });
      this.#armConnectTimer();
    }
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /** Takes one signal from the far side. Signals are applied strictly in order. */
  signal(data: LinkSignal): Promise<void> {
    this.#queue = this.#queue.then(() => this.#apply(data)).catch((err) => {
      if (!this.#closed) console.warn("video-room: signal failed", err);
    });
    return this.#queue;
  }

  /** Swaps the camera or microphone track without renegotiation (null = send nothing). */
  async replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): Promise<void> {
    const t = kind === "audio" ? this.#audio ?? this.#findTransceiver("audio") : this.#video ??
      this.#findTransceiver("video");
    if (t && !this.#closed) await t.sender.replaceTrack(track);
  }

  /**
   * Caps the camera video this link sends: in a mesh every sender encodes once
   * per peer, so bigger rooms need smaller video. No renegotiation.
   */
  async setVideoQuality(
    maxBitrate: number,
    scaleResolutionDownBy: number,
    active = true,
  ): Promise<void> {
    const sender = (this.#video ?? this.#findTransceiver("video"))?.sender;
    if (!sender || this.#closed) return;
    const params = sender.getParameters();
    if (!params.encodings?.length) return; // not negotiated yet; applied again later
    for (const e of params.encodings) {
      e.maxBitrate = maxBitrate;
      e.scaleResolutionDownBy = scaleResolutionDownBy;
      e.active = active;
    }
    (params as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference =
      "maintain-resolution";
    await sender.setParameters(params).catch(() => {});
  }

  /** Sends a screen as an extra video track (renegotiates). */
  addScreen(track: MediaStreamTrack, stream: MediaStream): void {
    if (this.#closed || this.#screenSender) return;
    this.#screenStreamId = stream.id;
    this.#screenSender = this.pc.addTrack(track, stream);
  }

  removeScreen(): void {
    if (this.#closed || !this.#screenSender) return;
    this.pc.removeTrack(this.#screenSender);
    this.#screenSender = null;
    this.#screenStreamId = null;
  }

  /** Starts an ICE restart (also done by itself when the connection fails). */
  restartIce(): void {
    if (this.#closed) return;
    this.pc.restartIce();
    this.#armConnectTimer();
  }

  /**
   * Restarts ICE if not connected in time; the polite side waits longer to
   * avoid glare. Each restart doubles the wait: on a slow, busy machine the
   * checks may be progressing, and restarting too often would reset them
   * before they can finish.
   */
  #armConnectTimer(): void {
    clearTimeout(this.#connectTimer);
    const wait = this.#connectTimeoutMs * 2 ** Math.min(this.#restarts, 3);
    this.#connectTimer = setTimeout(() => {
      if (this.pc.connectionState === "connected") return;
      this.#restarts++;
      this.emit("stalled", undefined);
      this.restartIce();
    }, wait * (this.polite ? 1.5 : 1));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#disconnectTimer);
    clearTimeout(this.#connectTimer);
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.ontrack = null;
    this.pc.onconnectionstatechange = this.pc.onicecandidateerror = null;
    this.pc.close();
    for (const [id, stream] of this.#remoteStreams) {
      this.emit("stream-removed", { role: this.#remoteRoles.get(id) ?? "camera", stream });
    }
    this.#remoteStreams.clear();
    this.emit("state", "closed");
    this.removeAllListeners();
  }

  // ---- negotiation ----

  async #negotiate(): Promise<void> {
    // The answering side stays quiet until the first offer has arrived.
    if (this.#awaitingFirstOffer || this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#sendDescription();
    } catch (err) {
      if (!this.#closed) console.warn("video-room: offer failed", err);
    } finally {
      this.#makingOffer = false;
    }
  }

  #sendDescription(): void {
    const d = this.pc.localDescription;
    if (!d) return;
    if (d.type === "offer") mark("offer-sent");
    const streams: Record<string, StreamRole> = { [this.#camera.id]: "camera" };
    if (this.#screenStreamId) streams[this.#screenStreamId] = "screen";
    this.emit("signal", { description: { type: d.type, sdp: d.sdp }, streams });
  }

  async #apply({ description, candidate, streams }: LinkSignal): Promise<void> {
    if (this.#closed) return;
    if (streams) {
      for (const [id, role] of Object.entries(streams)) {
        this.#remoteRoles.set(id, role);
      }
    }
    const pc = this.pc;
    if (description) {
      const collision = description.type === "offer" &&
        (this.#makingOffer || pc.signalingState !== "stable");
      this.#ignoreOffer = !this.polite && collision;
      if (this.#ignoreOffer) return;
      await pc.setRemoteDescription(description); // rolls back our offer if needed
      if (description.type === "offer") {
        if (this.#awaitingFirstOffer) {
          this.#attachToOffer();
          this.#armConnectTimer();
        }
        await pc.setLocalDescription();
        this.#sendDescription();
      }
      await this.#flushCandidates();
      this.#refreshRemoteStreams();
    } else if (candidate) {
      if (!pc.remoteDescription) {
        this.#pendingCandidates.push(candidate);
        return;
      }
      try {
        await pc.addIceCandidate(candidate);
      } catch (err) {
        if (!this.#ignoreOffer) throw err;
      }
    }
  }

  /** Answering side: send our media on the transceivers the offer created. */
  #attachToOffer(): void {
    this.#awaitingFirstOffer = false;
    for (const kind of ["audio", "video"] as const) {
      const t = this.#findTransceiver(kind);
      if (!t) continue;
      t.direction = "sendrecv";
      void t.sender.replaceTrack(this.#track(kind));
      t.sender.setStreams(this.#camera);
      if (kind === "video") this.#video = t;
    }
  }

  async #flushCandidates(): Promise<void> {
    const queued = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const c of queued) {
      try {
        await this.pc.addIceCandidate(c);
      } catch { /* a candidate for a description we rolled back */ }
    }
  }

  #track(kind: "audio" | "video"): MediaStreamTrack | null {
    return (kind === "audio" ? this.#camera.getAudioTracks() : this.#camera.getVideoTracks())[0] ??
      null;
  }

  /** The first transceiver of a kind: the camera/microphone one. */
  #findTransceiver(kind: "audio" | "video"): RTCRtpTransceiver | null {
    return this.pc.getTransceivers().find((t) =>
      t.receiver.track.kind === kind && t.sender !== this.#screenSender &&
      t.currentDirection !== "stopped"
    ) ?? null;
  }

  // ---- remote media ----

  #onTrack(ev: RTCTrackEvent): void {
    const stream = ev.streams[0] ?? new MediaStream([ev.track]);
    if (!this.#remoteStreams.has(stream.id)) {
      this.#remoteStreams.set(stream.id, stream);
      stream.addEventListener("removetrack", () => this.#refreshRemoteStreams());
    }
    this.emit("stream", { role: this.#roleOf(stream), stream });
  }

  #roleOf(stream: MediaStream): StreamRole {
    return this.#remoteRoles.get(stream.id) ?? "camera";
  }

  /** Drops remote streams whose tracks were all removed by renegotiation. */
  #refreshRemoteStreams(): void {
    for (const [id, stream] of this.#remoteStreams) {
      if (stream.getTracks().length === 0) {
        this.#remoteStreams.delete(id);
        this.emit("stream-removed", { role: this.#roleOf(stream), stream });
      }
    }
  }

  #onConnectionState(): void {
    const state = this.pc.connectionState;
    clearTimeout(this.#disconnectTimer);
    if (state === "connected") {
      mark("ice-connected");
      clearTimeout(this.#connectTimer);
      this.#restarts = 0;
    }
    if (state === "failed") {
      // The impolite side restarts at once; the polite one only if that did not happen.
      this.#disconnectTimer = setTimeout(() => this.restartIce(), this.polite ? 2000 : 0);
    } else if (state === "disconnected") {
      this.#disconnectTimer = setTimeout(
        () => this.restartIce(),
        this.#disconnectedRestartMs * (this.polite ? 2 : 1),
      );
    }
    this.emit("state", state);
  }
}
