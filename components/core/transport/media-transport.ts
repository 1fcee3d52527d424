import type {
  IceServer,
  MediaMode,
  MediaState,
  PeerInfo,
  SfuClientMessage,
  SfuServerMessage,
  SfuViewMessage,
  SignalData,
} from "../../../protocol/messages.ts";
import type { Emitter } from "../emitter.ts";
import type { StreamRole } from "./peer-link.ts";

export type { StreamRole };

/**
 * How media travels between this browser and the others: a full mesh of peer
 * connections today, an SFU next. RoomSession drives it with what signaling
 * says (who is in the room, signals addressed to us) and the local tracks;
 * the transport reports back who to show, their streams and connection
 * states. It never touches the roster or the DOM.
 */
export interface MediaTransportEvents extends Record<string, unknown> {
  /**
   * Show this peer. Usually at once; after a server restart the mesh first
   * checks whether a newcomer is someone it still has a connection to.
   */
  admit: PeerInfo;
  /** A peer is known under a new id (re-paired after a server restart). */
  rename: { from: string; to: string; state?: MediaState };
  /** A peer the transport gave up on (a connection from before a restart that nobody claimed). */
  drop: string;
  /** A peer's camera or screen appeared or changed. */
  stream: { peer: string; role: StreamRole; stream: MediaStream };
  /** A peer's camera or screen stream has no tracks left. */
  "stream-ended": { peer: string; role: StreamRole; stream: MediaStream };
  /** A peer's media connection changed state. */
  /** `none`: no connection can exist (their browser, or ours, has no WebRTC). */
  connection: { peer: string; state: RTCPeerConnectionState | "none" };
  /** Media cannot get through to a peer (or to anyone, without `peer`); the session words it. */
  trouble: { peer?: string; why: string };
}

/**
 * How large a peer is on screen, so the transport asks for no more video
 * than shows: `large` (featured, or a big grid tile), `small` (a filmstrip or
 * a crowded grid), `hidden` (on another page).
 */
export type TileSize = "large" | "small" | "hidden";

/** What signaling told us when the room was (re)joined. */
export interface JoinedRoom {
  /** Our id in the room. */
  id: string;
  /** Everyone else in the room now. */
  peers: readonly PeerInfo[];
  iceServers: readonly IceServer[];
  /** The same seat as before a drop: connections are kept, only the gaps are filled. */
  resumed: boolean;
  /** How the room's media travels (absent: the mesh). */
  media?: MediaMode;
}

export interface MediaTransport extends Emitter<MediaTransportEvents> {
  /** The room was joined, rejoined after a drop, or joined afresh after the server forgot us. */
  joined(room: JoinedRoom): void;
  peerJoined(peer: PeerInfo): void;
  peerLeft(id: string): void;
  /** A signal addressed to us by another peer. */
  signal(from: string, data: SignalData): void;
  /** The camera or microphone track changed (null: none is sent). */
  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): void;
  /** The own screen share started (a stream) or ended (null). */
  setScreen(stream: MediaStream | null): void;
  /**
   * How large each peer shows (peers not listed: `hidden`), and how many
   * device pixels wide their tile is, where the view knows.
   */
  setView(sizes: ReadonlyMap<string, TileSize>, widths?: ReadonlyMap<string, number>): void;
  /**
   * The peer connections media travels on, with the peers each one carries
   * (for connection quality from getStats): in the mesh one per peer.
   */
  connections(): Array<{ peers: string[]; pc: RTCPeerConnection }>;
  /** Closes every connection; the transport may be joined again afterwards. */
  close(): void;
  /** The server moved the room to the SFU or back (transports without an SFU ignore it). */
  setMode?(mode: MediaMode): void;
  /** A relayed message from the SFU. */
  sfu?(msg: SfuServerMessage): void;
}

/** What a transport needs from the session that owns it. */
export interface TransportContext {
  /** The local camera and microphone (tracks come and go). */
  camera: MediaStream;
  /** Sends a signal to another peer through the signaling server. */
  send(to: string, data: SignalData): void;
  /** Sends an SFU negotiation message through the signaling server. */
  sendSfu?(message: SfuClientMessage | SfuViewMessage): void;
  iceTransportPolicy: RTCIceTransportPolicy;
}
