/**
 * Media through the SFU: two peer connections to Janus, both negotiated
 * through the signaling server (the browser never talks to Janus itself).
 * `pub` sends the camera (in two simulcast layers), the microphone and, while
 * sharing, the screen; `sub` receives everyone else on one connection, its
 * m-lines labelled by the server (`streams`: whose camera, microphone or
 * screen each is). What arrives is reported as one MediaStream per person and
 * role, a new object whenever its tracks change.
 */
import type {
  IceServer,
  SfuClientMessage,
  SfuServerMessage,
  SfuStream,
  SfuViewMessage,
  StreamRole,
} from "../../../protocol/messages.ts";
import { Emitter } from "../emitter.ts";
import type { TileSize } from "./media-transport.ts";

export interface SfuTransportEvents extends Record<string, unknown> {
  stream: { peer: string; role: StreamRole; stream: MediaStream };
  "stream-ended": { peer: string; role: StreamRole; stream: MediaStream };
  connection: { peer: string; state: RTCPeerConnectionState };
  trouble: { why: string };
}

export interface SfuTransportOptions {
  camera: MediaStream;
  send(message: SfuClientMessage | SfuViewMessage): void;
  iceServers: readonly IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}

/**
 * The camera's layers, as Janus expects them (high first): the large tile
 * gets `h`, small tiles `l` at half the size and a fraction of the bitrate.
 */
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: "h", maxBitrate: 900_000 },
  { rid: "l", maxBitrate: 200_000, scaleResolutionDownBy: 2 },
];

export class SfuTransport extends Emitter<SfuTransportEvents> {
  readonly #o: SfuTransportOptions;
  #pub: RTCPeerConnection | null = null;
  #sub: RTCPeerConnection | null = null;
  #audio: RTCRtpTransceiver | null = null;
  #video: RTCRtpTransceiver | null = null;
  #screenTx: RTCRtpTransceiver | null = null;
  #screen: MediaStream | null = null;
  /** An offer of ours awaits Janus's answer; another change waits for it. */
  #offering = false;
  #reoffer = false;
  /** What each m-line of `sub` carries, from the server's last offer. */
  #labels = new Map<string, SfuStream>();
  /** What we report now: (peer, role) → stream. */
  #shown = new Map<string, { peer: string; role: StreamRole; stream: MediaStream }>();
  #toldView = "";
  #closed = false;

  constructor(options: SfuTransportOptions) {
    super();
    this.#o = options;
  }

  /** Publishes: makes the `pub` connection and sends its offer. */
  start(): void {
    this.#closed = false;
    const pc = this.#pub = this.#connection("pub");
    const camera = this.#o.camera;
    this.#audio = pc.addTransceiver("audio", { direction: "sendonly", streams: [camera] });
    this.#video = pc.addTransceiver("video", {
      direction: "sendonly",
      streams: [camera],
      sendEncodings: SIMULCAST.map((e) => ({ ...e })),
    });
    void this.#audio.sender.replaceTrack(camera.getAudioTracks()[0] ?? null);
    void this.#video.sender.replaceTrack(camera.getVideoTracks()[0] ?? null);
    if (this.#screen) this.#addScreen(this.#screen);
    void this.#offer();
  }

  /** The SFU lost us (a node failed): everything anew on another node. */
  restart(): void {
    this.#closeConnections();
    this.start();
  }

  /** A relayed message from the SFU. */
  async handle(msg: SfuServerMessage): Promise<void> {
    if (this.#closed) return;
    if (msg.restart) return this.restart();
    if (msg.pc === "pub" && msg.jsep?.type === "answer" && this.#pub) {
      await this.#pub.setRemoteDescription(msg.jsep).catch((e) => this.#trouble(e));
      this.#offering = false;
      if (this.#reoffer) {
        this.#reoffer = false;
        void this.#offer();
      }
      return;
    }
    if (msg.pc === "sub" && msg.jsep?.type === "offer") {
      this.#labels = new Map((msg.streams ?? []).map((s) => [s.mid, s]));
      const pc = this.#sub ??= this.#connection("sub");
      try {
        await pc.setRemoteDescription(msg.jsep);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.#o.send({ type: "sfu", pc: "sub", jsep: { type: "answer", sdp: answer.sdp ?? "" } });
      } catch (e) {
        return this.#trouble(e);
      }
      this.#report();
    }
  }

  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): void {
    void (kind === "audio" ? this.#audio : this.#video)?.sender.replaceTrack(track);
  }

  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    if (!this.#pub) return;
    if (stream) this.#addScreen(stream);
    else if (this.#screenTx) {
      void this.#screenTx.sender.replaceTrack(null);
      this.#screenTx.direction = "inactive";
    }
    void this.#offer();
  }

  /** Whose video to receive: large tiles the high layer, small ones the low; hidden ones none. */
  setView(sizes: ReadonlyMap<string, TileSize>): void {
    const video: Record<string, "high" | "low"> = {};
    for (const [id, size] of sizes) {
      if (size !== "hidden") video[id] = size === "large" ? "high" : "low";
    }
    const told = JSON.stringify(video);
    if (told === this.#toldView) return;
    this.#toldView = told;
    this.#o.send({ type: "sfu-view", video });
  }

  /** The view again (after a restart the server has forgotten it). */
  #retellView(): void {
    if (!this.#toldView) return;
    this.#o.send({ type: "sfu-view", video: JSON.parse(this.#toldView) });
  }

  /** The state of the connection everyone's media arrives on (null: none yet). */
  get receiveState(): RTCPeerConnectionState | null {
    return this.#sub?.connectionState ?? null;
  }

  /** Whose media arrives on the `sub` connection now. */
  get peers(): string[] {
    return [...new Set([...this.#shown.values()].map((s) => s.peer))];
  }

  connections(): Array<{ peers: string[]; pc: RTCPeerConnection }> {
    const out: Array<{ peers: string[]; pc: RTCPeerConnection }> = [];
    if (this.#pub) out.push({ peers: [], pc: this.#pub });
    if (this.#sub) out.push({ peers: this.peers, pc: this.#sub });
    return out;
  }

  close(): void {
    this.#closed = true;
    this.#closeConnections();
    this.#toldView = "";
  }

  // ---- internals ----

  #closeConnections(): void {
    this.#pub?.close();
    this.#sub?.close();
    this.#pub = this.#sub = null;
    this.#audio = this.#video = this.#screenTx = null;
    this.#offering = this.#reoffer = false;
    this.#labels = new Map();
    for (const shown of this.#shown.values()) this.emit("stream-ended", shown);
    this.#shown = new Map();
  }

  #connection(which: "pub" | "sub"): RTCPeerConnection {
    const pc = new RTCPeerConnection({
      iceServers: this.#o.iceServers as RTCIceServer[],
      iceTransportPolicy: this.#o.iceTransportPolicy,
    });
    pc.onicecandidate = (e) => {
      if (pc !== this.#pub && pc !== this.#sub) return;
      const candidate = e.candidate ? { ...e.candidate.toJSON() } : null;
      this.#o.send({ type: "sfu", pc: which, candidate });
    };
    if (which === "pub") {
      pc.onconnectionstatechange = () => {
        if (pc === this.#pub && pc.connectionState === "failed") {
          this.emit("trouble", { why: "sending to the media server failed" });
        }
      };
      return pc;
    }
    pc.onconnectionstatechange = () => {
      if (pc !== this.#sub) return;
      for (const peer of this.peers) this.emit("connection", { peer, state: pc.connectionState });
      if (pc.connectionState === "failed") {
        this.emit("trouble", { why: "the connection to the media server failed" });
      }
    };
    // A track's first packets: a stream that was silent may be "flowing" now.
    pc.ontrack = (e) => {
      e.track.onunmute = () => this.#report();
    };
    return pc;
  }

  #addScreen(stream: MediaStream): void {
    const track = stream.getVideoTracks()[0] ?? null;
    if (this.#screenTx) {
      this.#screenTx.direction = "sendonly";
      void this.#screenTx.sender.replaceTrack(track);
    } else {
      this.#screenTx = this.#pub!.addTransceiver(track ?? "video", {
        direction: "sendonly",
        streams: [stream],
      });
    }
  }

  async #offer(): Promise<void> {
    const pc = this.#pub;
    if (!pc) return;
    if (this.#offering) {
      this.#reoffer = true;
      return;
    }
    this.#offering = true;
    try {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      if (pc !== this.#pub) return;
      const video: Partial<Record<StreamRole, string>> = {};
      if (this.#video?.mid) video.camera = this.#video.mid;
      if (this.#screenTx?.mid && this.#screenTx.direction !== "inactive") {
        video.screen = this.#screenTx.mid;
      }
      this.#o.send({
        type: "sfu",
        pc: "pub",
        jsep: { type: "offer", sdp: offer.sdp ?? "" },
        video,
      });
      this.#retellView();
    } catch (e) {
      this.#offering = false;
      this.#trouble(e);
    }
  }

  /** Turns the `sub` connection's live m-lines into one stream per person and role. */
  #report(): void {
    const pc = this.#sub;
    if (!pc) return;
    const tracks = new Map<
      string,
      { peer: string; role: StreamRole; tracks: MediaStreamTrack[] }
    >();
    for (const t of pc.getTransceivers()) {
      const label = t.mid ? this.#labels.get(t.mid) : undefined;
      if (!label || t.currentDirection === "inactive" || t.receiver.track.readyState === "ended") {
        continue;
      }
      const key = `${label.peer}\n ${label.role}`;
      const entry = tracks.get(key) ?? { peer: label.peer, role: label.role, tracks: [] };
      entry.tracks.push(t.receiver.track);
      tracks.set(key, entry);
    }
    const next = new Map<string, { peer: string; role: StreamRole; stream: MediaStream }>();
    for (const [key, { peer, role, tracks: list }] of tracks) {
      const before = this.#shown.get(key);
      const same = before && before.stream.getTracks().length === list.length &&
        list.every((t) => before.stream.getTracks().includes(t));
      // The same tracks: the same stream, so a flowing track is reported once it flows.
      next.set(key, same ? before : { peer, role, stream: new MediaStream(list) });
    }
    for (const [key, shown] of this.#shown) {
      if (!next.has(key)) this.emit("stream-ended", shown);
    }
    for (const [key, shown] of next) {
      // A new stream, or one whose packets just began (the router waits for those).
      if (this.#shown.get(key) !== shown || shown.stream.getTracks().some((t) => !t.muted)) {
        this.emit("stream", shown);
      }
    }
    const before = new Set(this.peers);
    this.#shown = next;
    // Someone new on the connection shares its state (it may have been connected for a while).
    for (const peer of this.peers) {
      if (!before.has(peer)) this.emit("connection", { peer, state: pc.connectionState });
    }
  }

  #trouble(e: unknown): void {
    this.emit("trouble", { why: `the media server: ${(e as Error)?.message ?? e}` });
  }
}
