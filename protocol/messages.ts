/**
 * Wire protocol v1: the one definition of every message exchanged between the
 * signaling server and the browser client. Both sides import this module.
 * See docs/protocol.md for the prose reference.
 */

export const PROTOCOL_VERSION = 1;

/** Size limits that both sides enforce. Lengths count Unicode code points. */
export const LIMITS = {
  roomMax: 64,
  nameMax: 64,
  chatMax: 2000,
  idMax: 64,
  tokenMax: 4096,
} as const;

/** Room names: 1–64 of A–Z, a–z, 0–9, `_` and `-`. */
export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Error codes sent in `{"type":"error"}`. Stable: clients switch on them. */
export const ErrorCode = {
  BadMessage: "bad-message",
  BadRoom: "bad-room",
  BadName: "bad-name",
  TooLarge: "too-large",
  RoomFull: "room-full",
  NotInRoom: "not-in-room",
  AlreadyJoined: "already-joined",
  UnknownPeer: "unknown-peer",
  RateLimited: "rate-limited",
  ForbiddenOrigin: "forbidden-origin",
  Unauthorized: "unauthorized",
  /** The server cannot reach its shared room store (Redis); retry shortly. */
  Unavailable: "unavailable",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes the server uses. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  TooLarge: 1009,
  ServiceRestart: 1012,
  /** Sent to an old socket whose seat was resumed from a new one. */
  Replaced: 4001,
  /** A client closing in order to reconnect: the server keeps its seat. */
  Reconnecting: 4002,
  /** Refused: the server or this address has too many connections. Retry later. */
  TryAgainLater: 1013,
  /** The client read too slowly; its send buffer passed the limit. */
  TooSlow: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a peer is sending, broadcast so others can show indicators. */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface PeerInfo {
  id: string;
  name: string;
  state: MediaState;
}

/** An opaque JSON object: a session description or an ICE candidate. */
export type SignalData = { [key: string]: unknown };

/** An RTCIceServer as JSON (kept local so the server needs no DOM types). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

// ---- client → server ----------------------------------------------------

export interface JoinMessage {
  type: "join";
  room: string;
  name: string;
  resume?: string;
  /** Room access token (a JWT), required when the server has ROOM_TOKEN_SECRET. */
  token?: string;
}
export interface SignalMessage {
  type: "signal";
  to: string;
  data: SignalData;
}
export interface ChatMessage {
  type: "chat";
  text: string;
}
export interface StateMessage {
  type: "state";
  state: MediaState;
}
export interface LeaveMessage {
  type: "leave";
}
export type ClientMessage =
  | JoinMessage
  | SignalMessage
  | ChatMessage
  | StateMessage
  | LeaveMessage;

// ---- server → client ----------------------------------------------------

export interface JoinedMessage {
  type: "joined";
  id: string;
  room: string;
  resume: string;
  peers: PeerInfo[];
  iceServers: IceServer[];
  /** True when this join took over an existing seat through `resume`. */
  resumed: boolean;
}
export interface PeerJoinedMessage {
  type: "peer-joined";
  peer: PeerInfo;
}
export interface RelayedSignalMessage {
  type: "signal";
  from: string;
  data: SignalData;
}
export interface RelayedChatMessage {
  type: "chat";
  from: string;
  name: string;
  text: string;
  ts: number;
}
export interface PeerStateMessage {
  type: "peer-state";
  id: string;
  state: MediaState;
}
export interface PeerLeftMessage {
  type: "peer-left";
  id: string;
}
export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
}
export type ServerMessage =
  | JoinedMessage
  | PeerJoinedMessage
  | RelayedSignalMessage
  | RelayedChatMessage
  | PeerStateMessage
  | PeerLeftMessage
  | ErrorMessage;

export const INITIAL_STATE: Readonly<MediaState> = Object.freeze({
  audio: false,
  video: false,
  screen: false,
});
