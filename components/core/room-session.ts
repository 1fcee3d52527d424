import {
  type Knock,
  LIMITS,
  type MediaMode,
  type ModerateAction,
  type PeerInfo,
  type Reaction,
  REACTIONS,
  type Role,
  type RoomSettings,
  type ServerMessage,
} from "../../protocol/messages.ts";
import { charCount, hasVisibleText } from "../../protocol/text-rules.ts";
import { Emitter } from "./emitter.ts";
import { type DeviceChoice, LocalMedia } from "./local-media.ts";
import type { Quality, QualityMonitor } from "./connection-quality.ts";
import type { MediaTransport, TileSize, TransportContext } from "./media-transport.ts";
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
import { SpeakerTracking } from "./speaker-tracking.ts";

export type { ChatEntry, Participant, Quality, TileSize };

/** How long a reaction shows on its sender's tile. */
export const REACTION_MS = 3000;
/** How long the own uplink must stay poor before we say the connection is unstable. */
const UNSTABLE_AFTER_MS = 5000;

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
  /** Someone's hand went up or down (our own too). */
  hand: { participant: Participant; raised: boolean };
  /** Someone reacted (we too). */
  reaction: { participant: Participant; emoji: Reaction };
  /** The stage changed hands: who has spoken long enough to hold it (null: nobody). */
  "active-speaker": Participant | null;
  /** Our uplink has been poor for a while (true), or is fine again (false). */
  unstable: boolean;
  settings: RoomSettings;
  /** The room's media moved to the SFU or back to peer to peer. */
  "media-mode": MediaMode;
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
  /**
   * The one the speaker view features: the last other person to hold the
   * stage (we never feature ourselves), or null.
   */
  stageSpeaker: string | null = null;
  /** Whether our uplink has been poor for a while (the "unstable" notice). */
  unstable = false;
  /** Lower our raised hand once we have spoken long enough to hold the stage. */
  lowerHandWhenSpeaking = true;
  readonly #options: RoomSessionOptions;
  readonly #roster = new Roster();
  /** The own screen share, loaded (as a chunk) on first use. */
  #screen: ScreenCapture | null = null;
  #signaling: Signaling | null = null;
  #offSignaling: Array<() => void> = [];
  #mediaStarted: Promise<unknown> | null = null;
  #name: string;
  readonly #speakers = new SpeakerTracking(
    (id, speaking) => this.#roster.update(id, { speaking }),
    (id) => this.#onStage(id),
  );
  /** Connection quality, a chunk started on join. */
  #quality: Promise<QualityMonitor | null> | null = null;
  #poorSince = 0;
  /** How large each peer shows here (the view tells us; the quality monitor reads it). */
  #sizes: ReadonlyMap<string, TileSize> = new Map();
  #reactionSeq = 0;
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
      hand: null,
      reaction: null,
      quality: null,
    });
    this.#unsubscribe.push(
      this.#roster.on("change", () => this.#changed()),
      this.media.on("track", ({ kind, track }) => {
        // Before the transport exists there is no link to update: links start with the current tracks.
        this.transport?.replaceTrack(kind, track);
        // The only moment the analyser needs rebuilding: a new (or no) microphone track.
        if (kind === "audio") this.#speakers.watch(LOCAL_ID, this.media.stream);
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
      sendSfu: (message) => this.#signaling?.send(message),
      iceTransportPolicy: this.#options.iceTransportPolicy ?? "all",
    };
    let t: MediaTransport;
    try {
      t = await (this.#options.createTransport?.(context) ??
        import("./media-router.ts").then((m) => new m.MediaRouter(context)));
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
        this.#speakers.rename(from, to, p.stream);
      }),
      t.on("drop", (id) => this.#removePeer(id)),
      t.on("stream", ({ peer, role, stream }) => {
        if (!this.#roster.has(peer)) return;
        if (role === "screen") this.#roster.update(peer, { screen: stream });
        else {
          this.#roster.update(peer, { stream });
          this.#speakers.watch(peer, stream);
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
    void this.#quality?.then((m) => m?.stop());
    this.#quality = null;
    this.#poorSince = 0;
    this.unstable = false;
    this.stageSpeaker = null;
    this.#roster.update(LOCAL_ID, { role: "guest", hand: null, reaction: null, quality: null });
    this.#setStatus(status);
  }

  /** Raises our hand: everyone sees it, in the order hands went up. */
  raiseHand(): boolean {
    return this.#signaling?.send({ type: "hand", raised: true }) ?? false;
  }

  lowerHand(): boolean {
    return this.#signaling?.send({ type: "hand", raised: false }) ?? false;
  }

  /** A reaction on our tile for everyone (false: unknown emoji, or not in a room). */
  react(emoji: Reaction): boolean {
    if (!(REACTIONS as readonly string[]).includes(emoji)) return false;
    return this.#signaling?.send({ type: "react", emoji }) ?? false;
  }

  /**
   * Tells the transport how large each peer shows (peers left out: not shown),
   * so it asks for no more video than that; the view calls it when it changes.
   */
  setView(sizes: ReadonlyMap<string, TileSize>): void {
    this.#sizes = sizes;
    this.transport?.setView(sizes);
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
    this.#speakers.close();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.removeAllListeners();
  }

  toggleAudio(on = !this.media.wants.audio): void {
    this.media.setAudioEnabled(on);
  }

  toggleVideo(on = !this.media.wants.video): Promise<void> {
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

  /** How the room's media travels now: `mesh` (browser to browser) or `sfu`. */
  mediaMode: MediaMode = "mesh";

  #setMediaMode(mode: MediaMode): void {
    if (mode === this.mediaMode) return;
    this.mediaMode = mode;
    this.emit("media-mode", mode);
    this.#changed();
  }

  // ---- signaling ----

  #onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "joined":
        mark("joined");
        this.settings = msg.settings;
        this.waiting = msg.waiting ?? [];
        this.#roster.update(LOCAL_ID, { role: msg.role, hand: msg.hand ?? null });
        this.#watchQuality();
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
          media: msg.media ?? "mesh",
        });
        this.#setMediaMode(msg.media ?? "mesh");
        this.#sendState();
        // Connection trouble is over; a refused camera is still worth showing.
        if (this.error?.code === ClientErrorCode.ServerUnreachable) this.error = null;
        this.#changed();
        return;
      case "peer-joined":
        this.transport?.peerJoined(msg.peer);
        return;
      case "media-mode":
        this.transport?.setMode?.(msg.mode);
        this.#setMediaMode(msg.mode);
        return;
      case "sfu":
        this.transport?.sfu?.(msg);
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
      case "hand": {
        const id = msg.id === this.selfId ? LOCAL_ID : msg.id;
        if (!this.#roster.has(id)) return;
        this.#roster.update(id, { hand: msg.raised ? msg.at ?? Date.now() : null });
        this.emit("hand", { participant: this.#roster.get(id)!, raised: msg.raised });
        return;
      }
      case "reaction": {
        const id = msg.id === this.selfId ? LOCAL_ID : msg.id;
        if (!this.#roster.has(id)) return;
        // A number of its own, so the same emoji twice shows twice.
        const reaction = { emoji: msg.emoji, n: ++this.#reactionSeq };
        this.#roster.update(id, { reaction });
        setTimeout(() => {
          if (this.#roster.get(id)?.reaction === reaction) {
            this.#roster.update(id, { reaction: null });
          }
        }, REACTION_MS);
        this.emit("reaction", { participant: this.#roster.get(id)!, emoji: msg.emoji });
        return;
      }
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
      hand: peer.hand ?? null,
      reaction: null,
      quality: null,
    };
    this.#roster.set(p);
    this.emit("peer-joined", p);
  }

  #removePeer(id: string): void {
    this.transport?.peerLeft(id);
    this.#speakers.forget(id);
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

  #onStage(id: string | null): void {
    const p = id === null ? null : this.#roster.get(id) ?? null;
    if (p && !p.local) this.stageSpeaker = p.id;
    // Spoken long enough to hold the stage: the question was asked, as the hand meant.
    if (p?.local && p.hand !== null && this.lowerHandWhenSpeaking) this.lowerHand();
    this.emit("active-speaker", p);
    this.#changed();
  }

  /** Rates connections every 2 s while joined (a chunk, loaded on join). */
  #watchQuality(): void {
    this.#quality ??= import("./connection-quality.ts").then(({ QualityMonitor }) => {
      const t = this.transport;
      if (!t || !this.#signaling) return null;
      return new QualityMonitor({
        transport: t,
        videoFrom: (peer) =>
          (this.#roster.get(peer)?.state.video ?? false) && this.#sizes.get(peer) !== "hidden",
        videoOut: () => this.media.videoEnabled,
        onRate: (peer, quality) => {
          if (peer !== null) return this.#roster.update(peer, { quality });
          this.#roster.update(LOCAL_ID, { quality });
          const now = performance.now();
          if (quality !== "poor") this.#poorSince = 0;
          else this.#poorSince ||= now;
          const unstable = this.#poorSince > 0 && now - this.#poorSince >= UNSTABLE_AFTER_MS;
          if (unstable !== this.unstable) {
            this.unstable = unstable;
            this.emit("unstable", unstable);
            this.#changed();
          }
        },
      });
    }, () => null);
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
