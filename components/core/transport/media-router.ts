/**
 * The media transport a room uses: the mesh, the SFU, or both for a moment
 * while the room moves from one to the other. The server decides the mode
 * (`media-mode`); this follows it make-before-break, per person: someone's
 * tile switches to the new path only once their media flows on it, and only
 * then is the old path to them closed, so nobody sees a tile vanish or a
 * picture freeze. The SFU part is a chunk of its own, loaded by rooms that
 * move to it.
 */
import type {
  IceServer,
  MediaMode,
  PeerInfo,
  SfuServerMessage,
  SignalData,
} from "../../../protocol/messages.ts";
import { Emitter } from "../emitter.ts";
import type {
  JoinedRoom,
  MediaTransport,
  MediaTransportEvents,
  StreamRole,
  TileSize,
  TransportContext,
} from "./media-transport.ts";
import { MeshTransport, type MeshTransportOptions } from "./mesh-transport.ts";
import type { SfuTransport, SfuTransportOptions } from "./sfu-transport.ts";

/** What the router uses of the SFU transport (tests hand in fakes). */
export type SfuPath = Pick<
  SfuTransport,
  | "on"
  | "start"
  | "handle"
  | "replaceTrack"
  | "setScreen"
  | "setView"
  | "connections"
  | "close"
  | "receiveState"
>;

export interface MediaRouterOptions {
  mesh?: MeshTransport;
  /** Makes the SFU transport (default: the real one, fetched as a chunk). */
  createSfu?: (options: SfuTransportOptions) => SfuPath | Promise<SfuPath>;
}

/** Someone whose media does not flow on the new path by then switches anyway (camera and mic off). */
const HANDOVER_MS = 6000;

type Path = "mesh" | "sfu";

export class MediaRouter extends Emitter<MediaTransportEvents> implements MediaTransport {
  readonly #ctx: TransportContext;
  readonly mesh: MeshTransport;
  #sfu: SfuPath | null = null;
  #sfuLoad: Promise<SfuPath> | null = null;
  readonly #createSfu: NonNullable<MediaRouterOptions["createSfu"]>;
  #mode: MediaMode = "mesh";
  #myId = "";
  #iceServers: readonly IceServer[] = [];
  readonly #peers = new Map<string, PeerInfo>();
  /** Which path each person's tile shows now. */
  readonly #via = new Map<string, Path>();
  /** The latest stream of each person and role on each path. */
  readonly #streams: Record<Path, Map<string, MediaStream>> = { mesh: new Map(), sfu: new Map() };
  #handover: ReturnType<typeof setTimeout> | undefined;
  #screen: MediaStream | null = null;
  /** The room came back from the SFU: mesh connections are made by whoever hears first. */
  #movedBack = false;
  #view: ReadonlyMap<string, TileSize> = new Map();

  constructor(ctx: TransportContext, options: MediaRouterOptions = {}) {
    super();
    this.#ctx = ctx;
    this.mesh = options.mesh ?? new MeshTransport(ctx as MeshTransportOptions);
    this.#createSfu = options.createSfu ??
      ((o) => import("./sfu-transport.ts").then((m) => new m.SfuTransport(o)));
    this.mesh.on("admit", (peer) => this.#admit(peer));
    this.mesh.on("rename", (r) => {
      const via = this.#via.get(r.from);
      this.#via.delete(r.from);
      if (via) this.#via.set(r.to, via);
      this.emit("rename", r);
    });
    this.mesh.on("drop", (id) => this.emit("drop", id));
    this.mesh.on("stream", (s) => this.#stream("mesh", s));
    this.mesh.on("stream-ended", (s) => this.#streamEnded("mesh", s));
    this.mesh.on("connection", (c) => {
      if (this.#path(c.peer) === "mesh") this.emit("connection", c);
    });
    this.mesh.on("trouble", (t) => {
      if (this.#mode === "mesh") this.emit("trouble", t);
    });
  }

  /** For tests and diagnostics: the mesh link to a peer. */
  linkTo(id: string): ReturnType<MeshTransport["linkTo"]> {
    return this.mesh.linkTo(id);
  }

  /** How media travels now. */
  get mode(): MediaMode {
    return this.#mode;
  }

  joined(room: JoinedRoom): void {
    this.#myId = room.id;
    this.#iceServers = room.iceServers;
    const mode = room.media ?? "mesh";
    for (const p of room.peers) this.#peers.set(p.id, p);
    if (mode === "mesh") {
      if (this.#mode === "sfu") return this.setMode("mesh");
      this.mesh.joined(room);
      return;
    }
    this.#mode = "sfu";
    for (const p of room.peers) this.#admit(p);
    // A (re)join in an SFU room: publish afresh; the server forgot the old connections.
    void this.#startSfu(true);
  }

  peerJoined(peer: PeerInfo): void {
    this.#peers.set(peer.id, peer);
    if (this.#mode === "mesh") this.mesh.peerJoined(peer);
    else this.#admit(peer); // their media comes through the SFU
  }

  peerLeft(id: string): void {
    this.#peers.delete(id);
    this.#via.delete(id);
    for (const path of ["mesh", "sfu"] as const) {
      for (const key of [...this.#streams[path].keys()]) {
        if (key.startsWith(`${id}\n`)) this.#streams[path].delete(key);
      }
    }
    this.mesh.peerLeft(id);
  }

  signal(from: string, data: SignalData): void {
    // In the SFU, a mesh connection is only kept while its person's SFU media is not yet there.
    if (this.#mode === "sfu" && this.#via.get(from) === "sfu") return;
    // Back in the mesh, someone's offer may come before we heard the room moved.
    const peer = this.#peers.get(from);
    if (this.#mode === "mesh" && this.#movedBack && peer && !this.mesh.linkTo(from)) {
      this.mesh.reconnect(this.#myId, [peer], this.#iceServers);
    }
    this.mesh.signal(from, data);
  }

  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): void {
    this.mesh.replaceTrack(kind, track);
    this.#sfu?.replaceTrack(kind, track);
  }

  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    this.mesh.setScreen(stream);
    this.#sfu?.setScreen(stream);
  }

  setView(sizes: ReadonlyMap<string, TileSize>, widths?: ReadonlyMap<string, number>): void {
    this.#view = sizes;
    this.mesh.setView(sizes, widths);
    this.#sfu?.setView(sizes); // the SFU picks a simulcast layer by size alone
  }

  connections(): Array<{ peers: string[]; pc: RTCPeerConnection }> {
    return [...this.mesh.connections(), ...(this.#sfu?.connections() ?? [])];
  }

  /** The server moved the room: follow it, make-before-break. */
  setMode(mode: MediaMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    clearTimeout(this.#handover);
    if (mode === "sfu") {
      // Fresh connections: the server let go of what we had in the SFU before the mesh.
      void this.#startSfu(true);
    } else {
      this.#movedBack = true;
      // Back to peer to peer: everyone connects again (the lower id offers), the SFU
      // keeps showing each person until their mesh media flows.
      this.mesh.reconnect(this.#myId, [...this.#peers.values()], this.#iceServers);
    }
    this.#handover = setTimeout(() => this.#finishHandover(), HANDOVER_MS);
  }

  /** A relayed SFU message. */
  sfu(msg: SfuServerMessage): void {
    if (!this.#sfu && !this.#sfuLoad) return;
    void this.#loadSfu().then((sfu) => sfu.handle(msg));
  }

  close(): void {
    clearTimeout(this.#handover);
    this.mesh.close();
    this.#sfu?.close();
    this.#sfu = null;
    this.#sfuLoad = null;
    this.#mode = "mesh";
    this.#peers.clear();
    this.#via.clear();
    this.#streams.mesh.clear();
    this.#streams.sfu.clear();
  }

  // ---- internals ----

  #admit(peer: PeerInfo): void {
    this.#peers.set(peer.id, peer);
    if (!this.#via.has(peer.id)) this.#via.set(peer.id, this.#mode);
    this.emit("admit", peer);
    if (peer.media === "none") this.emit("connection", { peer: peer.id, state: "none" });
  }

  #path(peer: string): Path {
    return this.#via.get(peer) ?? this.#mode;
  }

  #loadSfu(): Promise<SfuPath> {
    return this.#sfuLoad ??= Promise.resolve(this.#createSfu({
      camera: this.#ctx.camera,
      send: (msg) => this.#ctx.sendSfu?.(msg),
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#ctx.iceTransportPolicy,
    })).then((sfu) => {
      sfu.on("stream", (s) => this.#stream("sfu", s));
      sfu.on("stream-ended", (s) => this.#streamEnded("sfu", s));
      sfu.on("connection", (c) => {
        if (this.#path(c.peer) === "sfu") this.emit("connection", c);
      });
      sfu.on("trouble", ({ why }) => {
        if (this.#mode === "sfu") this.emit("trouble", { why });
      });
      this.#sfu = sfu;
      return sfu;
    });
  }

  async #startSfu(fresh: boolean): Promise<void> {
    const sfu = await this.#loadSfu();
    if (this.#mode !== "sfu") return;
    if (fresh) sfu.close();
    sfu.setScreen(this.#screen);
    sfu.start();
    sfu.setView(this.#view);
  }

  #stream(path: Path, s: { peer: string; role: StreamRole; stream: MediaStream }): void {
    this.#streams[path].set(`${s.peer}\n${s.role}`, s.stream);
    const current = this.#path(s.peer);
    if (current === path) return this.emit("stream", s);
    // The other path: take it once this person's media flows on it (the room is moving there).
    if (path === this.#mode && s.stream.getTracks().some((t) => !t.muted)) this.#switch(s.peer);
  }

  #streamEnded(path: Path, s: { peer: string; role: StreamRole; stream: MediaStream }): void {
    const key = `${s.peer}\n${s.role}`;
    if (this.#streams[path].get(key) === s.stream) this.#streams[path].delete(key);
    if (this.#path(s.peer) === path) this.emit("stream-ended", s);
  }

  /** Shows a person through the current mode's path, then lets the other path to them go. */
  #switch(peer: string): void {
    const path: Path = this.#mode;
    this.#via.set(peer, path);
    // The tile's connection state is the new path's from now on.
    const state = path === "sfu"
      ? this.#sfu?.receiveState
      : this.mesh.linkTo(peer)?.pc.connectionState;
    if (state) this.emit("connection", { peer, state });
    for (const role of ["camera", "screen"] as const) {
      const stream = this.#streams[path].get(`${peer}\n${role}`);
      if (stream) this.emit("stream", { peer, role, stream });
    }
    if (path === "sfu") this.mesh.closeLink(peer);
    this.#maybeDone();
  }

  /** Everyone on the new path: the old one goes. */
  #maybeDone(): void {
    // (Someone whose browser has no WebRTC is on no path, and holds no move up.)
    const moving = [...this.#peers.values()].filter((p) => p.media !== "none");
    if (moving.some((p) => this.#path(p.id) !== this.#mode)) return;
    clearTimeout(this.#handover);
    if (this.#mode === "mesh" && this.#sfu) {
      this.#sfu.close();
      this.#sfu = null;
      this.#sfuLoad = null;
    }
  }

  /** Time is up: whoever has not moved (no media to show) moves now. */
  #finishHandover(): void {
    for (const id of this.#peers.keys()) {
      if (this.#path(id) !== this.#mode) this.#switch(id);
    }
    this.#maybeDone();
  }
}
