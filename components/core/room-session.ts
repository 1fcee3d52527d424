import {
  type Knock,
  LIMITS,
  type ModerateAction,
  type PeerInfo,
  type Role,
  type RoomSettings,
  type ServerMessage,
} from "../../protocol/messages.ts";
import { charCount, hasVisibleText } from "../../protocol/text-rules.ts";
import { Emitter } from "./emitter.ts";
import { type DeviceChoice, LocalMedia } from "./local-media.ts";
import type { MediaTransport, TransportContext } from "./media-transport.ts";
import { mark } from "./perf-mark.ts";
import type { PeerLink } from "./peer-link.ts";
import { ClientErrorCode, type RoomErrorDetail } from "./room-error.ts";
import { type ChatEntry, type Participant, Roster } from "./roster.ts";
import type { ScreenCapture } from "./screen-capture.ts";
import {
  type ReconnectPolicy,
  SignalingClient,
  type SignalingOptions,
} from "./signaling-client.ts";
import type { SpeakingDetector } from "./speaking-detector.ts";

export type { ChatEntry, Participant };

/**
 * `waiting`: in the lobby until a host lets us in. `removed` and `ended`: a
 * host removed us, or ended the meeting (no reconnecting after either).
 */
export type RoomStatus =
  | "idle"
  | "connecting"
  | "waiting"
  | "joined"
  | "reconnecting"
  | "left"
  | "failed"
  | "removed"
  | "ended";

/** What the session uses of a signaling client (tests hand in fakes). */
export type Signaling = Pick<
  SignalingClient,
  "id" | "connect" | "send" | "leave" | "dropConnection" | "on"
>;

export interface RoomSessionOptions {
  room: string;
  name: string;
  /** WebSocket URL of the signaling server. */
  server: string;
  /** Room access token, when the server requires one. */
  token?: string;
  iceTransportPolicy?: RTCIceTransportPolicy;
  reconnect?: Partial<ReconnectPolicy>;
  /** Replaces every MediaDevices call (tests, custom capture). */
  mediaDevices?: MediaDevices;
  /** Makes the signaling client for each join (default: a SignalingClient). */
  createSignaling?: (options: SignalingOptions) => Signaling;
  /** Makes the media transport (default: the mesh, loaded as a chunk). */
  createTransport?: (context: TransportContext) => MediaTransport | Promise<MediaTransport>;
}

export interface RoomSessionEvents extends Record<string, unknown> {
  /** Anything in the snapshot (status, participants, chat) changed. */
  change: void;
  status: RoomStatus;
  "peer-joined": Participant;
  "peer-left": Participant;
  chat: ChatEntry;
  "screen-share": boolean;
  error: RoomErrorDetail;
  /** Someone's role changed (our own too). */
  role: { participant: Participant; role: Role };
  /** A host turned our microphone or camera off. */
  moderated: { action: "mute" | "stop-video"; by: Participant | null };
  /** A host removed us, or ended the meeting. */
  removed: { by: Participant | null };
  "room-ended": { by: Participant | null };
  /** Someone knocks (we host and the lobby is on). */
  knock: Knock;
  settings: RoomSettings;
}

const LOCAL_ID = "local";

/**
 * A meeting, seen from one browser. A coordinator: signaling says who is in
 * the room and carries signals; the media transport (a mesh of peer links by
 * default) moves media; the roster holds what views show (participants, chat);
 * local media, the screen share and speaking detection are parts of their
 * own. No DOM, no Lit.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  status: RoomStatus = "idle";
  readonly media: LocalMedia;
  /**
   * How media travels: the mesh, or whatever `createTransport` made. It is a
   * chunk of its own (the pre-join screen does not need it), so it is null
   * until `prepare()` or `join()` has loaded it.
   */
  transport: MediaTransport | null = null;
  /** The latest error, shown until the next successful step. */
  error: RoomErrorDetail | null = null;
  /** The room's lock and lobby. */
  settings: RoomSettings = { locked: false, lobby: false };
  /** Who waits in the lobby (for hosts): a new array whenever it changes. */
  waiting: readonly Knock[] = [];
  readonly #options: RoomSessionOptions;
  readonly #roster = new Roster();
  /** The own screen share, loaded (as a chunk) on first use. */
  #screen: ScreenCapture | null = null;
  #signaling: Signaling | null = null;
  #offSignaling: Array<() => void> = [];
  #mediaStarted: Promise<unknown> | null = null;
  #name: string;
  /**
   * Speaking detection, loaded as a chunk: a call works without it, so it
   * never delays the join. Every use goes through this promise, so calls
   * keep their order.
   */
  #speaking: Promise<SpeakingDetector> | null = null;
  readonly #unsubscribe: Array<() => void> = [];
  #transportLoad: Promise<MediaTransport | null> | null = null;
  /** What signaling said before the transport was ready (messages, state changes), in order. */
  #held: Array<() => void> = [];

  constructor(options: RoomSessionOptions) {
    super();
    this.#options = options;
    this.#name = options.name;
    this.media = new LocalMedia(options.mediaDevices);
    this.#roster.set({
      id: LOCAL_ID,
      name: options.name,
      local: true,
      state: { audio: false, video: false, screen: false },
      stream: this.media.stream,
      screen: null,
      connection: "self",
      speaking: false,
      role: "guest",
    });
    this.#unsubscribe.push(
      this.#roster.on("change", () => this.#changed()),
      this.media.on("track", ({ kind, track }) => {
        // Before the transport exists there is no link to update: links start with the current tracks.
        this.transport?.replaceTrack(kind, track);
        // The only moment the analyser needs rebuilding: a new (or no) microphone track.
        if (kind === "audio") this.#watchSpeaking(LOCAL_ID, this.media.stream);
      }),
      this.media.on("change", () => this.#localStateChanged()),
      this.media.on("devices", () => this.#changed()),
      this.media.on("error", (e) => this.#error(e)),
    );
  }

  /**
   * Loads the media transport ahead of `join()` (the element calls it once
   * the pre-join screen is idle), so joining never waits for the chunk.
   */
  prepare(): Promise<MediaTransport | null> {
    return this.#transportLoad ??= this.#loadTransport();
  }

  async #loadTransport(): Promise<MediaTransport | null> {
    const context: TransportContext = {
      camera: this.media.stream,
      send: (to, data) => this.#signaling?.send({ type: "signal", to, data }),
      iceTransportPolicy: this.#options.iceTransportPolicy ?? "all",
    };
    let t: MediaTransport;
    try {
      t = await (this.#options.createTransport?.(context) ??
        import("./mesh-transport.ts").then((m) => new m.MeshTransport(context)));
    } catch (e) {
      this.#transportLoad = null; // the next join tries again
      this.#error({
        code: ClientErrorCode.ConnectionFailed,
        message: `Cannot start the call: ${(e as Error)?.message ?? e}`,
      });
      this.#signaling?.leave();
      if (this.#signaling) this.#end("failed");
      return null;
    }
    this.#unsubscribe.push(
      t.on("admit", (peer) => this.#admit(peer)),
      t.on("rename", ({ from, to, state }) => {
        const p = this.#roster.get(from);
        if (!p) return;
        this.#roster.rename(from, to, state ? { state } : {});
        this.#unwatchSpeaking(from);
        if (p.stream) this.#watchSpeaking(to, p.stream);
      }),
      t.on("drop", (id) => this.#removePeer(id)),
      t.on("stream", ({ peer, role, stream }) => {
        if (!this.#roster.has(peer)) return;
        if (role === "screen") this.#roster.update(peer, { screen: stream });
        else {
          this.#roster.update(peer, { stream });
          this.#watchSpeaking(peer, stream);
        }
      }),
      t.on("stream-ended", ({ peer, role, stream }) => {
        const p = this.#roster.get(peer);
        if (role === "screen" && p?.screen === stream) this.#roster.update(peer, { screen: null });
        if (role === "camera" && p?.stream === stream) this.#roster.update(peer, { stream: null });
      }),
      t.on("connection", ({ peer, state }) => this.#roster.update(peer, { connection: state })),
      t.on("trouble", ({ peer, why }) => {
        const name = (peer && this.#roster.get(peer)?.name) ?? "a participant";
        this.#error({
          code: ClientErrorCode.ConnectionFailed,
          message: `Cannot reach ${name}: ${why}`,
        });
      }),
    );
    this.transport = t;
    for (const run of this.#held.splice(0)) run();
    return t;
  }

  get self(): Participant {
    return this.#roster.get(LOCAL_ID)!;
  }

  get selfId(): string | null {
    return this.#signaling?.id ?? null;
  }

  /** Our role: hosts moderate. */
  get role(): Role {
    return this.self.role;
  }

  get name(): string {
    return this.#name;
  }

  /** Everyone, self first, in join order: a new array (of new objects where changed) after every change. */
  get participants(): readonly Participant[] {
    return this.#roster.participants;
  }

  /** The chat log, oldest first: a new array after every message. */
  get chat(): readonly ChatEntry[] {
    return this.#roster.chat;
  }

  /** Cameras and microphones to choose from: a new object whenever the list changes. */
  get devices(): DeviceChoice | null {
    return this.media.devices;
  }

  /** Whether a microphone (camera) was found and granted. */
  has(kind: "audio" | "video"): boolean {
    return kind === "audio" ? this.media.hasAudio : this.media.hasVideo;
  }

  /** The device id of the camera or microphone in use, if any. */
  deviceInUse(kind: "audio" | "video"): string | undefined {
    return this.media.deviceInUse(kind);
  }

  /** Switches camera or microphone live; peers get the new track without renegotiation. */
  useDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    return this.media.useDevice(kind, deviceId);
  }

  /** Starts camera and microphone (the pre-join preview). Safe to call again. */
  startMedia(): Promise<unknown> {
    return this.#mediaStarted ??= this.media.start();
  }

  /**
   * Joins the room. The camera and the connection start side by side (tracks
   * join the call as they arrive); media failures do not stop the join: you
   * can still watch and chat.
   */
  async join(name = this.#name): Promise<void> {
    if (
      this.status === "connecting" || this.status === "joined" || this.status === "reconnecting"
    ) {
      return;
    }
    this.#name = name;
    this.#roster.update(LOCAL_ID, { name });
    this.error = null;
    this.#setStatus("connecting");
    mark("join-start");
    const media = this.startMedia();
    void this.prepare();
    const options: SignalingOptions = {
      url: this.#options.server,
      room: this.#options.room,
      name,
      token: this.#options.token,
      reconnect: this.#options.reconnect,
    };
    const signaling = this.#options.createSignaling?.(options) ?? new SignalingClient(options);
    this.#signaling = signaling;
    this.#offSignaling = [
      signaling.on("message", (m) => this.#inOrder(() => this.#onMessage(m))),
      signaling.on("state", (s) =>
        this.#inOrder(() => {
          // "connecting" goes on while we wait in the lobby; "left" follows a removal.
          if (s === "idle" || (s === "connecting" && this.status === "waiting")) return;
          this.#setStatus(s);
        })),
      signaling.on("error", (e) => this.#inOrder(() => this.#error(e))),
    ];
    signaling.connect();
    await media;
  }

  /** Runs what signaling said now, or once the transport is ready (a join does not wait for it). */
  #inOrder(run: () => void): void {
    if (this.transport) run();
    else this.#held.push(run);
  }

  /** Leaves (or stops waiting in the lobby): tells the others, closes every connection; local media stays for a rejoin. */
  leave(): void {
    if (["idle", "left", "removed", "ended"].includes(this.status)) return;
    this.#signaling?.leave();
    this.#end("left");
  }

  /** Everything a meeting held goes, whatever ended it. */
  #end(status: RoomStatus): void {
    this.#screen?.stop();
    for (const off of this.#offSignaling.splice(0)) off();
    this.#signaling = null;
    this.#held = [];
    this.transport?.close();
    for (const p of this.participants) if (!p.local) this.#removePeer(p.id);
    this.waiting = [];
    this.#roster.update(LOCAL_ID, { role: "guest" });
    this.#setStatus(status);
  }

  /**
   * A host's action: mute, stop-video, remove, promote, admit and deny need
   * the person's id. The server refuses it (an error) unless we host.
   */
  moderate(action: ModerateAction, to?: string): boolean {
    return this.#signaling?.send({ type: "moderate", action, ...(to ? { to } : {}) }) ?? false;
  }

  /** Leaves and releases everything, camera included. The session is done. */
  close(): void {
    this.leave();
    this.media.stop();
    void this.#speaking?.then((d) => d.close());
    for (const off of this.#unsubscribe.splice(0)) off();
    this.removeAllListeners();
  }

  toggleAudio(on = !this.media.audioEnabled): void {
    this.media.setAudioEnabled(on);
  }

  toggleVideo(on = !this.media.videoEnabled): Promise<void> {
    return this.media.setVideoEnabled(on);
  }

  /** The own shared screen, while sharing. */
  get screenStream(): MediaStream | null {
    return this.#screen?.stream ?? null;
  }

  async startScreenShare(): Promise<void> {
    if (!this.#screen) {
      const { ScreenCapture } = await import("./screen-capture.ts");
      if (!this.#screen) {
        this.#screen = new ScreenCapture();
        this.#unsubscribe.push(this.#screen.on("change", (s) => this.#screenChanged(s)));
      }
    }
    const err = await this.#screen.start();
    if (err) this.#error(err);
  }

  stopScreenShare(): void {
    this.#screen?.stop();
  }

  /** Sends a chat message; false (and an error) when it cannot be sent. */
  sendChat(text: string): boolean {
    if (!hasVisibleText(text) || charCount(text) > LIMITS.chatMax) return false;
    if (!this.#signaling?.send({ type: "chat", text })) {
      this.#error({
        code: ClientErrorCode.ServerUnreachable,
        message: "Cannot send the message: not connected to the room",
      });
      return false;
    }
    return true;
  }

  /** For tests and diagnostics: the mesh's link to a peer. */
  linkTo(id: string): PeerLink | undefined {
    return (this.transport as { linkTo?: (id: string) => unknown } | null)?.linkTo?.(id) as
      | PeerLink
      | undefined;
  }

  /** For tests: drops the signaling socket as a network failure would. */
  dropSignaling(): void {
    this.#signaling?.dropConnection();
  }

  // ---- signaling ----

  #onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "joined":
        mark("joined");
        this.settings = msg.settings;
        this.waiting = msg.waiting ?? [];
        this.#roster.update(LOCAL_ID, { role: msg.role });
        if (msg.resumed) {
          // Our seat, back: the live connections stay; whoever left meanwhile is gone.
          const here = new Set(msg.peers.map((p) => p.id));
          for (const { id } of this.participants) {
            if (id !== LOCAL_ID && !here.has(id)) this.#removePeer(id);
          }
        }
        this.transport?.joined({
          id: msg.id,
          peers: msg.peers,
          iceServers: msg.iceServers,
          resumed: msg.resumed,
        });
        this.#sendState();
        // Connection trouble is over; a refused camera is still worth showing.
        if (this.error?.code === ClientErrorCode.ServerUnreachable) this.error = null;
        this.#changed();
        return;
      case "peer-joined":
        this.transport?.peerJoined(msg.peer);
        return;
      case "signal":
        this.transport?.signal(msg.from, msg.data);
        return;
      case "peer-state":
        this.#roster.update(msg.id, { state: msg.state });
        return;
      case "peer-left":
        this.#removePeer(msg.id);
        return;
      case "chat": {
        const entry: ChatEntry = {
          from: msg.from,
          name: msg.name,
          text: msg.text,
          ts: msg.ts,
          local: msg.from === this.selfId,
        };
        this.#roster.addChat(entry);
        this.emit("chat", entry);
        return;
      }
      case "error":
        // A peer that left a moment ago: nothing to tell the user.
        if (msg.code !== "unknown-peer") this.#error({ code: msg.code, message: msg.message });
        return;
      case "waiting":
        this.#setStatus("waiting");
        return;
      case "role": {
        const id = msg.id === this.selfId ? LOCAL_ID : msg.id;
        this.#roster.update(id, { role: msg.role });
        const participant = this.#roster.get(id);
        if (participant) this.emit("role", { participant, role: msg.role });
        if (id === LOCAL_ID && msg.role !== "host") this.waiting = [];
        return;
      }
      case "moderated":
        // As in Zoom: off now, and ours to turn on again.
        if (msg.action === "mute") this.toggleAudio(false);
        else void this.toggleVideo(false);
        this.emit("moderated", { action: msg.action, by: this.#roster.get(msg.by) ?? null });
        return;
      case "removed":
        this.emit("removed", { by: this.#roster.get(msg.by) ?? null });
        this.#end("removed");
        return;
      case "room-ended":
        this.emit("room-ended", { by: this.#roster.get(msg.by) ?? null });
        this.#end("ended");
        return;
      case "room-settings":
        this.settings = { locked: msg.locked, lobby: msg.lobby };
        this.emit("settings", this.settings);
        this.#changed();
        return;
      case "knock":
        this.waiting = [...this.waiting.filter((k) => k.id !== msg.peer.id), msg.peer];
        this.emit("knock", msg.peer);
        this.#changed();
        return;
      case "knock-cancelled":
        this.waiting = this.waiting.filter((k) => k.id !== msg.id);
        this.#changed();
        return;
    }
  }

  #admit(peer: PeerInfo): void {
    if (this.#roster.has(peer.id)) return;
    const p: Participant = {
      id: peer.id,
      name: peer.name,
      local: false,
      state: peer.state,
      stream: null,
      screen: null,
      connection: "new",
      speaking: false,
      role: peer.role,
    };
    this.#roster.set(p);
    this.emit("peer-joined", p);
  }

  #removePeer(id: string): void {
    this.transport?.peerLeft(id);
    this.#unwatchSpeaking(id);
    const p = this.#roster.remove(id);
    if (p) this.emit("peer-left", p);
  }

  // ---- local state ----

  #screenChanged(stream: MediaStream | null): void {
    this.transport?.setScreen(stream);
    this.#roster.update(LOCAL_ID, { screen: stream });
    this.emit("screen-share", stream !== null);
    this.#localStateChanged();
  }

  #localStateChanged(): void {
    this.#roster.update(LOCAL_ID, {
      state: {
        audio: this.media.audioEnabled,
        video: this.media.videoEnabled,
        screen: this.screenStream !== null,
      },
    });
    this.#sendState();
    this.#changed(); // the toggles read LocalMedia, which the roster does not hold
  }

  #sendState(): void {
    this.#signaling?.send({ type: "state", state: { ...this.self.state } });
  }

  #watchSpeaking(id: string, stream: MediaStream): void {
    this.#speaking ??= import("./speaking-detector.ts").then(({ SpeakingDetector }) =>
      new SpeakingDetector((key, speaking) => this.#roster.update(key, { speaking }))
    );
    void this.#speaking.then((d) => d.watch(id, stream));
  }

  #unwatchSpeaking(id: string): void {
    void this.#speaking?.then((d) => d.unwatch(id));
  }

  #setStatus(status: RoomStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit("status", status);
    this.#changed();
  }

  #error(error: RoomErrorDetail): void {
    this.error = error;
    this.emit("error", error);
    this.#changed();
  }

  #changed(): void {
    this.emit("change", undefined);
  }
}
