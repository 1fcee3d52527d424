/**
 * The one seam between a connection and the rooms: every join, resume,
 * leave, moderation and fan-out goes through a RoomRegistry. MemoryRegistry
 * keeps rooms in this process; RedisRegistry shares them between instances.
 * Both apply the same room rules (room-rules.ts).
 */
import type {
  BreakoutMessage,
  ErrorCode,
  Knock,
  MediaMode,
  MediaState,
  ModerateAction,
  PeerInfo,
  Reaction,
  RecordingInfo,
  Role,
  RoomSettings,
  ServerMessage,
  SignalData,
} from "../../protocol/messages.ts";
import type { HostMode, RecordingNews, Refusal } from "./room-rules.ts";

/** Where a seat's messages go: the socket currently holding it. */
export interface SeatSink {
  send(text: string): void;
  /** The room's media moved (told just before the `media-mode` message itself). */
  mediaMoved(mode: MediaMode): void;
  /** The room's recording started or stopped (told just before the `room-settings` message). */
  recordingChanged(recording: RecordingInfo | undefined): void;
  /** Closes the transport (a resume elsewhere replaced it; the person was removed; the meeting ended). */
  close(code: number, reason: string): void;
  /** A join that waited in the lobby now has its seat. */
  admitted(admission: Admission): void;
  /** A join that waited in the lobby was turned away. */
  denied(message: string): void;
}

/** One participant's place in a room; it outlives a dropped socket for the grace period. */
export interface Seat {
  readonly id: string;
  readonly room: string;
  readonly name: string;
  state: MediaState;
  role: Role;
  resumeToken: string;
  /** `null` while the seat waits in its resume grace. */
  sink: SeatSink | null;
}

/** A seat granted by join or resume, with the room as it was at that moment. */
export interface Admission {
  seat: Seat;
  /** Everyone else in the room. */
  peers: PeerInfo[];
  settings: RoomSettings;
  /** Who waits in the lobby (told to hosts). */
  waiting: Knock[];
  /** The seat's own raised hand, when it is up (a resumed seat keeps it). */
  hand?: number;
  /** How the room's media travels now. */
  media: MediaMode;
}

/** Who asks to join: their display name, and `media: "none"` when their browser has no WebRTC. */
export interface Joiner {
  name: string;
  media?: "none";
}

/** What a join got: a seat, a place in the lobby, or a refusal with its reason. */
export type JoinResult =
  | { admitted: Admission }
  | { waiting: string }
  | { refused: ErrorCode; message?: string };

export interface RegistryOptions {
  maxPeers: number;
  resumeGraceMs: number;
  hosts: HostMode;
  /** New rooms start with the lobby on. */
  lobby: boolean;
  /** Recordings ask guests who join during them first. */
  recordingConsent?: boolean;
  /** The largest mesh (with an SFU); null without one. */
  meshMax: number | null;
  /** Whether a recording started now is made by the SFU (see RoomPolicy). */
  recordOnServer?: () => boolean;
  /** Called for each message delivered to a peer, by type (for metrics). */
  onDeliver?: (type: ServerMessage["type"]) => void;
}

/**
 * Rooms and fan-out. Operations that can fail answer with an ErrorCode (or
 * `undefined` for success) instead of throwing, so a store outage becomes a
 * reply to the one client that asked.
 */
export interface RoomRegistry {
  /** Rooms and peers with a seat held by this process (a cluster reports its own share). */
  readonly roomCount: number;
  readonly peerCount: number;
  /** Why new joins cannot be served right now, or `null` when they can. */
  readonly unavailable: string | null;
  /**
   * A new seat (others get `peer-joined`), a place in the lobby (hosts get
   * `knock`; the sink hears `admitted` or `denied` later), or a refusal.
   * `claimed` is the role a room token gives.
   */
  join(room: string, joiner: Joiner, sink: SeatSink, claimed?: Role): Promise<JoinResult>;
  /**
   * Gives a seat back to whoever shows its resume token for the same room,
   * replacing any socket still attached. The token is spent; a new one is
   * issued. `undefined` when the token is unknown, spent or for another room.
   */
  resume(token: string, room: string, sink: SeatSink): Promise<Admission | ErrorCode | undefined>;
  /**
   * Relays to the one addressee in the sender's room, or `unknown-peer`.
   * (The session refuses signals to oneself before they get here.)
   */
  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined>;
  /** Chat to the whole room, the sender included, in one order for everyone. */
  chat(from: Seat, text: string): Promise<ErrorCode | undefined>;
  /** Records the seat's media state and tells the others. */
  setState(seat: Seat, state: MediaState): Promise<ErrorCode | undefined>;
  /** Raises or lowers the seat's hand and tells everyone. */
  setHand(seat: Seat, raised: boolean): Promise<ErrorCode | undefined>;
  /** A reaction to the whole room, the sender included (rate-limited by the session). */
  react(from: Seat, emoji: Reaction): Promise<ErrorCode | undefined>;
  /** A host's action (mute, remove, lock, admit…), or why it was refused. */
  moderate(
    seat: Seat,
    action: ModerateAction,
    to?: string,
  ): Promise<Refusal | ErrorCode | undefined>;
  /** A breakout-group action (a host's, or a guest choosing a group), or why it was refused. */
  breakout(seat: Seat, msg: BreakoutMessage): Promise<Refusal | ErrorCode | undefined>;
  /** What became of server recording `id`: its hosts hear it (a failure also ends it). */
  recordingNews(room: string, id: string, news: RecordingNews): Promise<void>;
  /** Removes a seat now and tells the others. */
  leave(seat: Seat): Promise<void>;
  /** A guest waiting in the lobby left before being let in. */
  cancelWait(room: string, id: string): void;
  /** The socket dropped without a goodbye: keep the seat for the grace period. */
  detach(seat: Seat, sink: SeatSink): void;
  /**
   * Applies the room's media rule now: an SFU room down to two long enough
   * goes back to the mesh; with `force` (no SFU node left) any room small
   * enough for a mesh does. (Registries call it themselves after a leave.)
   */
  settleMedia(room: string, force?: boolean): Promise<void>;
  /**
   * How a room's media travels, as this instance knows it; with `seat`, how
   * that person's does (their breakout group's path, while groups are open).
   */
  mediaMode(room: string, seat?: string): MediaMode;
  /** The breakout group `seat` is in ("" for the main room), as this instance knows it. */
  groupOf(room: string, seat: string): string;
  /** Stops timers and lets go of the store; seats still held wait out their grace. */
  close(): Promise<void>;
}

/** A seat as the others see it (a copy: later state changes are not shared). */
export function info(seat: Seat): PeerInfo {
  return { id: seat.id, name: seat.name, state: { ...seat.state }, role: seat.role };
}
