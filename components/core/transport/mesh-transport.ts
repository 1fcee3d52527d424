import type { IceServer, PeerInfo, SignalData } from "../../../protocol/messages.ts";
import { Emitter } from "../emitter.ts";
import type {
  JoinedRoom,
  MediaTransport,
  MediaTransportEvents,
  TileSize,
  TransportContext,
} from "./media-transport.ts";
import { type LinkSignal, PeerLink, type PeerLinkOptions } from "./peer-link.ts";

/** What the mesh uses of a PeerLink (tests hand in fakes). */
export type MeshLink = Pick<
  PeerLink,
  | "signal"
  | "replaceTrack"
  | "setVideoQuality"
  | "addScreen"
  | "removeScreen"
  | "close"
  | "on"
  | "pc"
>;

export interface MeshTransportOptions extends TransportContext {
  createLink?: (options: PeerLinkOptions) => MeshLink;
  /** How long links from before a server restart wait to be claimed. */
  orphanTimeoutMs?: number;
  /** How long a newcomer after a restart may take to say whether it is someone we know. */
  repairWaitMs?: number;
}

/** Signal data beyond what a link exchanges: re-pairing links after a server restart. */
interface MeshSignal extends LinkSignal {
  /** "I was this id before the server forgot us; do you have a link to it?" */
  rebind?: string;
  /** The answer: my own previous id if I re-paired, or null. */
  rebound?: string | null;
  /** How large the sender of this shows our video: we send no more than that needs. */
  view?: TileSize;
  /** And how many device pixels wide (in steps of PX_STEP), when known. */
  px?: number;
}

/** Tile widths are told in steps of this many pixels, so a resize does not renegotiate each pixel. */
const PX_STEP = 160;

interface Pending {
  peer: PeerInfo;
  initiator: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The full mesh: one PeerLink per other peer. The newcomer offers to those
 * already in the room; the others answer. After a server restart (a fresh
 * seat while links are alive) the live links are kept and re-paired with the
 * peers' new ids (rebind / rebound), so media never stops and nobody is shown
 * twice. Each sender's video shrinks as the mesh grows.
 */
export class MeshTransport extends Emitter<MediaTransportEvents> implements MediaTransport {
  readonly #options: MeshTransportOptions;
  readonly #links = new Map<string, MeshLink>();
  /** Links kept alive across a server restart, by the peer's previous id. */
  readonly #orphans = new Map<string, MeshLink>();
  /** Peers heard of but not yet shown, while re-pairing after a restart. */
  readonly #pending = new Map<string, Pending>();
  /** Peers shown (admitted); signals from anyone else are not for this room. */
  readonly #known = new Set<string>();
  /** Our id before the server forgot us, offered to peers for re-pairing. */
  #rebindAs: string | null = null;
  #myId: string | null = null;
  #orphanTimer: ReturnType<typeof setTimeout> | undefined;
  #iceServers: readonly IceServer[] = [];
  #screen: MediaStream | null = null;
  /** How large each peer shows us (what they told us), and how large we show them (told). */
  /** How each peer shows our video (their tile's size and, if told, its width in pixels). */
  readonly #theirView = new Map<string, { size: TileSize; px?: number }>();
  readonly #toldView = new Map<string, string>();
  #myView: ReadonlyMap<string, TileSize> = new Map();
  #myWidths: ReadonlyMap<string, number> = new Map();

  constructor(options: MeshTransportOptions) {
    super();
    this.#options = options;
  }

  /** For tests and diagnostics: the link to a peer. */
  linkTo(id: string): MeshLink | undefined {
    return this.#links.get(id);
  }

  joined({ id, peers, iceServers, resumed }: JoinedRoom): void {
    this.#iceServers = iceServers;
    if (!resumed && this.#links.size > 0) {
      // The server forgot us (a restart): keep the live links to re-pair them.
      this.#rebindAs = this.#myId;
      this.#orphanLinks();
    }
    this.#myId = id;
    for (const peer of peers) {
      if (resumed && this.#links.has(peer.id)) continue; // still connected
      if (this.#orphans.size > 0) {
        this.#hold(peer, true);
        this.#options.send(peer.id, { rebind: this.#rebindAs ?? "" });
      } else this.#admit(peer, true);
    }
  }

  peerJoined(peer: PeerInfo): void {
    // After a restart, wait for the newcomer to say whether it is someone we know.
    if (this.#orphans.size > 0) this.#hold(peer, false);
    else this.#admit(peer, false);
  }

  peerLeft(id: string): void {
    this.#known.delete(id);
    this.#theirView.delete(id);
    this.#toldView.delete(id);
    this.#links.get(id)?.close();
    this.#links.delete(id);
    clearTimeout(this.#pending.get(id)?.timer);
    this.#pending.delete(id);
  }

  signal(from: string, data: SignalData): void {
    const s = data as MeshSignal;
    if (s.rebind !== undefined) return this.#onRebind(from, s.rebind);
    if (s.rebound !== undefined) return this.#onRebound(from, s.rebound);
    if (s.view !== undefined) {
      if (!this.#known.has(from)) return;
      if (s.view === "large" || s.view === "small" || s.view === "hidden") {
        const px = typeof s.px === "number" && s.px >= PX_STEP ? s.px : undefined;
        this.#theirView.set(from, { size: s.view, px });
        this.#adaptVideo();
      }
      return;
    }
    if (!this.#links.has(from)) {
      const pending = this.#pending.get(from);
      if (pending) this.#admit(pending.peer, false);
      else if (this.#known.has(from)) this.#createLink(from, false);
      else return; // not in our room as far as we know
    }
    void this.#links.get(from)!.signal(s);
  }

  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): void {
    for (const link of this.#allLinks()) void link.replaceTrack(kind, track);
  }

  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    for (const link of this.#allLinks()) {
      if (stream) link.addScreen(stream.getVideoTracks()[0], stream);
      else link.removeScreen();
    }
  }

  setView(sizes: ReadonlyMap<string, TileSize>, widths?: ReadonlyMap<string, number>): void {
    this.#myView = sizes;
    this.#myWidths = widths ?? new Map();
    for (const id of this.#links.keys()) this.#tellView(id);
  }

  /**
   * Back from the SFU: a connection to everyone not connected to (the lower id
   * offers, the other waits for it), without showing anyone anew.
   */
  reconnect(myId: string, peers: readonly PeerInfo[], iceServers: readonly IceServer[]): void {
    this.#myId = myId;
    this.#iceServers = iceServers;
    for (const peer of peers) {
      if (this.#links.has(peer.id) || peer.media === "none") continue;
      this.#known.add(peer.id);
      this.#createLink(peer.id, myId < peer.id);
    }
  }

  /** Closes the connection to one person, who stays in the room (their media comes another way). */
  closeLink(id: string): void {
    this.#known.delete(id);
    this.#theirView.delete(id);
    this.#toldView.delete(id);
    this.#links.get(id)?.close();
    this.#links.delete(id);
  }

  connections(): Array<{ peers: string[]; pc: RTCPeerConnection }> {
    return [...this.#links].map(([id, link]) => ({ peers: [id], pc: link.pc }));
  }

  /** Tells a peer how large we show them, when that changed (or the link is new). */
  #tellView(id: string): void {
    const size = this.#myView.get(id) ?? "hidden";
    const width = this.#myWidths.get(id);
    const px = size !== "hidden" && width ? Math.ceil(width / PX_STEP) * PX_STEP : undefined;
    const key = `${size} ${px ?? ""}`;
    if (this.#toldView.get(id) === key) return;
    this.#toldView.set(id, key);
    this.#options.send(id, { view: size, ...(px ? { px } : {}) });
  }

  close(): void {
    clearTimeout(this.#orphanTimer);
    this.#theirView.clear();
    this.#toldView.clear();
    for (const link of this.#allLinks()) link.close();
    this.#links.clear();
    this.#orphans.clear();
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#known.clear();
    this.#rebindAs = this.#myId = null;
  }

  // ---- links ----

  /**
   * Shows a peer and makes its link: the newcomer's side offers at once; the
   * other side's link waits for that offer, ready, so answering costs no
   * connection setup.
   */
  #admit(peer: PeerInfo, initiator: boolean): void {
    clearTimeout(this.#pending.get(peer.id)?.timer);
    this.#pending.delete(peer.id);
    this.emit("admit", peer);
    // A browser without WebRTC: shown, never connected to (it could not answer).
    if (peer.media === "none") return this.emit("connection", { peer: peer.id, state: "none" });
    this.#known.add(peer.id);
    if (!this.#links.has(peer.id)) this.#createLink(peer.id, initiator);
  }

  /** Waits (bounded) for a peer to re-pair before treating it as new. */
  #hold(peer: PeerInfo, initiator: boolean): void {
    const timer = setTimeout(
      () => this.#admit(peer, initiator),
      this.#options.repairWaitMs ?? 3000,
    );
    this.#pending.set(peer.id, { peer, initiator, timer });
  }

  #createLink(id: string, initiator: boolean): MeshLink {
    const options: PeerLinkOptions = {
      polite: (this.#myId ?? "") < id,
      initiator,
      camera: this.#options.camera,
      rtcConfig: {
        iceServers: this.#iceServers as RTCIceServer[],
        iceTransportPolicy: this.#options.iceTransportPolicy,
      },
    };
    const link = this.#options.createLink?.(options) ?? new PeerLink(options);
    this.#links.set(id, link);
    this.#wire(link);
    if (this.#screen) link.addScreen(this.#screen.getVideoTracks()[0], this.#screen);
    return link;
  }

  /** Routes a link's output to whichever id its peer has now (ids change on re-pairing). */
  #wire(link: MeshLink): void {
    const idOf = () => {
      for (const [id, l] of this.#links) if (l === link) return id;
      return undefined;
    };
    link.on("signal", (data) => {
      const to = idOf();
      if (to) this.#options.send(to, { ...data });
    });
    link.on("stream", ({ role, stream }) => {
      const peer = idOf();
      if (peer) this.emit("stream", { peer, role, stream });
    });
    link.on("stream-removed", ({ role, stream }) => {
      const peer = idOf();
      if (peer) this.emit("stream-ended", { peer, role, stream });
    });
    link.on("ice-error", ({ code, url }) => {
      // 401/403 from a TURN server: the credentials are wrong or expired.
      if (url.startsWith("turn") && (code === 401 || code === 403)) {
        this.emit("trouble", {
          peer: idOf(),
          why: `the TURN relay refused our credentials (${code})`,
        });
      }
    });
    link.on("stalled", () =>
      this.emit("trouble", {
        peer: idOf(),
        why: "no network path for media was found; retrying",
      }));
    link.on("state", (state) => {
      if (state === "connected") this.#adaptVideo();
      const peer = idOf();
      if (!peer) return;
      this.emit("connection", { peer, state });
      if (state === "failed") {
        this.emit("trouble", { peer, why: "the connection failed; retrying" });
      }
    });
  }

  /**
   * Smaller video as the mesh grows: each link encodes separately, so CPU and
   * upload grow with every peer. 720p for one peer, then steps down. A peer
   * that shows us small gets less; one that does not show us at all (another
   * page) gets no video until it does.
   */
  #adaptVideo(): void {
    const n = this.#allLinks().length;
    const [bitrate, scale] = n <= 1 ? [1_500_000, 1] : n <= 3 ? [700_000, 1.5] : [400_000, 2];
    const camera = this.#options.camera.getVideoTracks()[0]?.getSettings().width ?? 0;
    for (const [id, link] of [...this.#links, ...this.#orphans]) {
      const { size, px } = this.#theirView.get(id) ?? { size: "large" };
      // No wider than their tile shows it (never scaled up): the size it asks for, from the start.
      const fit = px && camera > px ? camera / px : 1;
      if (size === "small") {
        void link.setVideoQuality(Math.min(bitrate, 250_000), Math.max(scale, 2.5, fit));
      } else void link.setVideoQuality(bitrate, Math.max(scale, fit), size !== "hidden");
    }
  }

  #allLinks(): MeshLink[] {
    return [...this.#links.values(), ...this.#orphans.values()];
  }

  // ---- re-pairing after the server forgot us (restart): keep media flowing ----

  #orphanLinks(): void {
    for (const [id, link] of this.#links) this.#orphans.set(id, link);
    this.#links.clear();
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = setTimeout(
      () => this.#dropOrphans(),
      this.#options.orphanTimeoutMs ?? 10000,
    );
  }

  #onRebind(from: string, previous: string): void {
    const link = this.#orphans.get(previous);
    if (link && this.#pending.has(from)) {
      this.#orphans.delete(previous);
      this.#adopt(previous, from, link);
      this.#options.send(from, { rebound: this.#rebindAs });
    } else {
      this.#options.send(from, { rebound: null });
    }
  }

  #onRebound(from: string, previous: string | null): void {
    const link = previous ? this.#orphans.get(previous) : undefined;
    const pending = this.#pending.get(from);
    if (!pending) return;
    if (link && previous) {
      this.#orphans.delete(previous);
      this.#adopt(previous, from, link);
    } else {
      this.#admit(pending.peer, pending.initiator); // a stranger after all: connect afresh
    }
  }

  /** Moves a live link from a peer's old id to its new one. */
  #adopt(oldId: string, newId: string, link: MeshLink): void {
    const pending = this.#pending.get(newId);
    clearTimeout(pending?.timer);
    this.#pending.delete(newId);
    this.#links.set(newId, link);
    this.#known.delete(oldId);
    this.#known.add(newId);
    this.emit("rename", { from: oldId, to: newId, state: pending?.peer.state });
    if (this.#orphans.size === 0) clearTimeout(this.#orphanTimer);
  }

  #dropOrphans(): void {
    for (const [id, link] of this.#orphans) {
      link.close();
      this.#known.delete(id);
      this.emit("drop", id);
    }
    this.#orphans.clear();
    // Anyone still unpaired is a new peer.
    for (const { peer, initiator } of [...this.#pending.values()]) this.#admit(peer, initiator);
  }
}
