import {
  type IceServer,
  LIMITS,
  type PeerInfo,
  type ServerMessage,
} from "../../protocol/messages.ts";
import { charCount } from "../../protocol/parse-client-message.ts";
import { Emitter } from "./emitter.ts";
import { type DeviceChoice, LocalMedia } from "./local-media.ts";
import { type LinkSignal, PeerLink } from "./peer-link.ts";
import { ClientErrorCode, type RoomErrorDetail } from "./room-error.ts";
import { type ChatEntry, type Participant, Roster } from "./roster.ts";
import type { ScreenCapture } from "./screen-capture.ts";
import { type ReconnectPolicy, SignalingClient } from "./signaling-client.ts";
import type { SpeakingDetector } from "./speaking-detector.ts";

export type { ChatEntry, Participant };

export type RoomStatus = "idle" | "connecting" | "joined" | "reconnecting" | "left" | "failed";

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
}

/** Signal data beyond what a link exchanges: re-pairing links after a server restart. */
interface SessionSignal extends LinkSignal {
  /** "I was this id before the server forgot us; do you have a link to it?" */
  rebind?: string;
  /** The answer: my own previous id if I re-paired, or null. */
  rebound?: string | null;
}

const ORPHAN_TIMEOUT_MS = 10000;
const REPAIR_WAIT_MS = 3000;
const LOCAL_ID = "local";

/**
 * A meeting, seen from one browser: joins through signaling, keeps one
 * PeerLink per remote peer (full mesh), owns the local media and screen share,
 * and keeps a snapshot the elements render. No DOM, no Lit.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  status: RoomStatus = "idle";
  readonly media: LocalMedia;
  /** The own screen share, loaded (as a chunk) on first use. */
  #screen: ScreenCapture | null = null;
  /** The latest error, shown until the next successful step. */
  error: RoomErrorDetail | null = null;
  readonly #options: RoomSessionOptions;
  readonly #roster = new Roster();
  readonly #links = new Map<string, PeerLink>();
  /** Links kept alive across a server restart, by the peer's previous id. */
  readonly #orphans = new Map<string, PeerLink>();
  /** Peers we have heard of but not yet paired with, while re-pairing after a restart. */
  readonly #pendingPeers = new Map<
    string,
    { peer: PeerInfo; initiator: boolean; timer: ReturnType<typeof setTimeout> }
  >();
  /** Our id before the server forgot us, offered to peers for re-pairing. */
  #rebindAs: string | null = null;
  #myId: string | null = null;
  #orphanTimer: ReturnType<typeof setTimeout> | undefined;
  #signaling: SignalingClient | null = null;
  #iceServers: IceServer[] = [];
  #mediaStarted: Promise<unknown> | null = null;
  #name: string;
  /**
   * Speaking detection, loaded as a chunk: a call works without it, so it
   * never delays the join. Every use goes through this promise, so calls
   * keep their order.
   */
  #speaking: Promise<SpeakingDetector> | null = null;
  readonly #unsubscribe: Array<() => void> = [];

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
    });
    this.#unsubscribe.push(
      this.#roster.on("change", () => this.#changed()),
      this.media.on("track", ({ kind, track }) => {
        for (const link of this.#allLinks()) void link.replaceTrack(kind, track);
        // The only moment the analyser needs rebuilding: a new (or no) microphone track.
        if (kind === "audio") this.#watchSpeaking(LOCAL_ID, this.media.stream);
      }),
      this.media.on("change", () => this.#localStateChanged()),
      this.media.on("devices", () => this.#changed()),
      this.media.on("error", (e) => this.#error(e)),
    );
  }

  get self(): Participant {
    return this.#roster.get(LOCAL_ID)!;
  }

  get selfId(): string | null {
    return this.#signaling?.id ?? null;
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

  /** Joins the room. Media failures do not stop the join: you can still watch and chat. */
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
    await this.startMedia();
    if ((this.status as RoomStatus) !== "connecting") return; // left while waiting for permission
    const signaling = new SignalingClient({
      url: this.#options.server,
      room: this.#options.room,
      name,
      token: this.#options.token,
      reconnect: this.#options.reconnect,
    });
    this.#signaling = signaling;
    this.#unsubscribe.push(
      signaling.on("message", (m) => this.#onMessage(m)),
      signaling.on("state", (s) => {
        if (s !== "idle") this.#setStatus(s);
      }),
      signaling.on("error", (e) => this.#error(e)),
    );
    signaling.connect();
  }

  /** Leaves: tells the others, closes every connection; local media stays for a rejoin. */
  leave(): void {
    if (this.status === "idle" || this.status === "left") return;
    this.#screen?.stop();
    this.#signaling?.leave();
    this.#signaling = null;
    this.#closeAllLinks();
    this.#setStatus("left");
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
    const n = charCount(text);
    if (text.trim() === "" || n > LIMITS.chatMax) return false;
    if (!this.#signaling?.send({ type: "chat", text })) {
      this.#error({
        code: ClientErrorCode.ServerUnreachable,
        message: "Cannot send the message: not connected to the room",
      });
      return false;
    }
    return true;
  }

  /** For tests and diagnostics: the link to a peer. */
  linkTo(id: string): PeerLink | undefined {
    return this.#links.get(id);
  }

  /** For tests: drops the signaling socket as a network failure would. */
  dropSignaling(): void {
    this.#signaling?.dropConnection();
  }

  // ---- signaling ----

  #onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "joined": {
        this.#iceServers = msg.iceServers;
        if (!msg.resumed && this.#links.size > 0) {
          this.#rebindAs = this.#myId;
          this.#orphanLinks();
        }
        this.#myId = msg.id;
        if (msg.resumed) {
          // Our seat, back: keep the live links; forget whoever left while we were away.
          const here = new Set(msg.peers.map((p) => p.id));
          for (const { id } of this.#roster.participants) {
            if (id !== LOCAL_ID && !here.has(id)) this.#removePeer(id);
          }
        }
        for (const peer of msg.peers) {
          if (msg.resumed && this.#links.has(peer.id)) continue;
          if (this.#orphans.size > 0) {
            this.#holdPeer(peer, true);
            this.#signaling?.send({
              type: "signal",
              to: peer.id,
              data: { rebind: this.#rebindAs ?? "" },
            });
          } else {
            this.#addPeer(peer, true);
          }
        }
        this.#sendState();
        // Connection trouble is over; a refused camera is still worth showing.
        if (this.error?.code === ClientErrorCode.ServerUnreachable) this.error = null;
        this.#changed();
        return;
      }
      case "peer-joined":
        // After a restart, wait for the newcomer to say whether it is someone we know.
        if (this.#orphans.size > 0) this.#holdPeer(msg.peer, false);
        else this.#addPeer(msg.peer, false);
        return;
      case "signal":
        this.#onSignal(msg.from, msg.data as SessionSignal);
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
    }
  }

  /** Waits (bounded) for a peer to re-pair before treating it as new. */
  #holdPeer(peer: PeerInfo, initiator: boolean): void {
    const timer = setTimeout(() => this.#addPeer(peer, initiator), REPAIR_WAIT_MS);
    this.#pendingPeers.set(peer.id, { peer, initiator, timer });
  }

  #addPeer(peer: PeerInfo, initiator: boolean): Participant {
    clearTimeout(this.#pendingPeers.get(peer.id)?.timer);
    this.#pendingPeers.delete(peer.id);
    let p = this.#roster.get(peer.id);
    if (!p) {
      p = {
        id: peer.id,
        name: peer.name,
        local: false,
        state: peer.state,
        stream: null,
        screen: null,
        connection: "new",
        speaking: false,
      };
      this.#roster.set(p);
      this.emit("peer-joined", p);
    }
    // The newcomer offers; the others answer when the offer arrives.
    if (initiator) this.#createLink(peer.id, true);
    return p;
  }

  #removePeer(id: string): void {
    this.#links.get(id)?.close();
    this.#links.delete(id);
    this.#unwatchSpeaking(id);
    clearTimeout(this.#pendingPeers.get(id)?.timer);
    this.#pendingPeers.delete(id);
    const p = this.#roster.remove(id);
    if (p) this.emit("peer-left", p);
  }

  #onSignal(from: string, data: SessionSignal): void {
    if (data.rebind !== undefined) return this.#onRebind(from, data.rebind);
    if (data.rebound !== undefined) return this.#onRebound(from, data.rebound);
    let link = this.#links.get(from);
    if (!link) {
      const pending = this.#pendingPeers.get(from);
      if (pending) this.#addPeer(pending.peer, false);
      else if (!this.#roster.has(from)) return; // not in our room as far as we know
      link = this.#createLink(from, false);
    }
    void link.signal(data);
  }

  #createLink(id: string, initiator: boolean): PeerLink {
    const link = new PeerLink({
      polite: (this.#myId ?? "") < id,
      initiator,
      camera: this.media.stream,
      rtcConfig: {
        iceServers: this.#iceServers as RTCIceServer[],
        iceTransportPolicy: this.#options.iceTransportPolicy ?? "all",
      },
    });
    this.#links.set(id, link);
    this.#wireLink(link);
    const screen = this.screenStream;
    if (screen) link.addScreen(screen.getVideoTracks()[0], screen);
    return link;
  }

  /** Routes a link's output to whichever id its peer has now (ids change on re-pairing). */
  #wireLink(link: PeerLink): void {
    const idOf = () => {
      for (const [id, l] of this.#links) if (l === link) return id;
      return undefined;
    };
    link.on("signal", (data) => {
      const to = idOf();
      if (to) this.#signaling?.send({ type: "signal", to, data: { ...data } });
    });
    link.on("stream", ({ role, stream }) => {
      const id = idOf();
      if (!id || !this.#roster.has(id)) return;
      if (role === "screen") this.#roster.update(id, { screen: stream });
      else {
        this.#roster.update(id, { stream });
        this.#watchSpeaking(id, stream);
      }
    });
    link.on("stream-removed", ({ stream }) => {
      const id = idOf();
      const p = id && this.#roster.get(id);
      if (!p) return;
      if (p.screen === stream) this.#roster.update(p.id, { screen: null });
      if (p.stream === stream) this.#roster.update(p.id, { stream: null });
    });
    const nameOf = () => this.#roster.get(idOf() ?? "")?.name ?? "a participant";
    link.on("ice-error", ({ code, url }) => {
      // 401/403 from a TURN server: the credentials are wrong or expired.
      if (url.startsWith("turn") && (code === 401 || code === 403)) {
        this.#error({
          code: ClientErrorCode.ConnectionFailed,
          message: `Cannot reach ${nameOf()}: the TURN relay refused our credentials (${code})`,
        });
      }
    });
    link.on("stalled", () =>
      this.#error({
        code: ClientErrorCode.ConnectionFailed,
        message: `Cannot reach ${nameOf()}: no network path for media was found; retrying`,
      }));
    link.on("state", (state) => {
      if (state === "connected") this.#adaptVideo();
      const id = idOf();
      const p = id && this.#roster.get(id);
      if (!p || !this.#roster.update(p.id, { connection: state })) return;
      if (state === "failed") {
        this.#error({
          code: ClientErrorCode.ConnectionFailed,
          message: `Cannot reach ${p.name}: the connection failed; retrying`,
        });
      }
    });
  }

  /**
   * Smaller video as the mesh grows: each of our links encodes separately,
   * so CPU and upload grow with every peer. 720p for one peer, then steps down.
   */
  #adaptVideo(): void {
    const links = this.#allLinks();
    const n = links.length;
    const [bitrate, scale] = n <= 1 ? [1_500_000, 1] : n <= 3 ? [700_000, 1.5] : [400_000, 2];
    for (const link of links) void link.setVideoQuality(bitrate, scale);
  }

  // ---- re-pairing after the server forgot us (restart): keep media flowing ----

  #orphanLinks(): void {
    for (const [id, link] of this.#links) this.#orphans.set(id, link);
    this.#links.clear();
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = setTimeout(() => this.#dropOrphans(), ORPHAN_TIMEOUT_MS);
  }

  #onRebind(from: string, previous: string): void {
    const link = this.#orphans.get(previous);
    if (link && this.#pendingPeers.has(from)) {
      this.#orphans.delete(previous);
      this.#adopt(previous, from, link);
      this.#signaling?.send({
        type: "signal",
        to: from,
        data: { rebound: this.#rebindAs },
      });
    } else {
      this.#signaling?.send({ type: "signal", to: from, data: { rebound: null } });
    }
  }

  #onRebound(from: string, previous: string | null): void {
    const link = previous ? this.#orphans.get(previous) : undefined;
    const pending = this.#pendingPeers.get(from);
    if (!pending) return;
    if (link && previous) {
      this.#orphans.delete(previous);
      this.#adopt(previous, from, link);
    } else {
      this.#addPeer(pending.peer, pending.initiator); // a stranger after all: connect afresh
    }
  }

  /** Moves a live link and its participant from a peer's old id to its new one. */
  #adopt(oldId: string, newId: string, link: PeerLink): void {
    const pending = this.#pendingPeers.get(newId);
    clearTimeout(pending?.timer);
    this.#pendingPeers.delete(newId);
    this.#links.set(newId, link);
    const p = this.#roster.get(oldId);
    if (p) {
      this.#roster.rename(oldId, newId, pending ? { state: pending.peer.state } : {});
      this.#unwatchSpeaking(oldId);
      if (p.stream) this.#watchSpeaking(newId, p.stream);
    }
    if (this.#orphans.size === 0) clearTimeout(this.#orphanTimer);
  }

  #dropOrphans(): void {
    for (const [id, link] of this.#orphans) {
      link.close();
      this.#removePeer(id);
    }
    this.#orphans.clear();
    // Anyone still unpaired is a new peer.
    for (const { peer, initiator } of [...this.#pendingPeers.values()]) {
      this.#addPeer(peer, initiator);
    }
  }

  #closeAllLinks(): void {
    clearTimeout(this.#orphanTimer);
    for (const link of this.#allLinks()) link.close();
    this.#links.clear();
    this.#orphans.clear();
    for (const { timer } of this.#pendingPeers.values()) clearTimeout(timer);
    this.#pendingPeers.clear();
    this.#rebindAs = this.#myId = null;
    for (const p of this.participants) if (!p.local) this.#removePeer(p.id);
  }

  #allLinks(): PeerLink[] {
    return [...this.#links.values(), ...this.#orphans.values()];
  }

  // ---- local state ----

  #screenChanged(stream: MediaStream | null): void {
    for (const link of this.#allLinks()) {
      if (stream) link.addScreen(stream.getVideoTracks()[0], stream);
      else link.removeScreen();
    }
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
