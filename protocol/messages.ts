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
  /** Reactions per person: a burst of this many, then `reactionsPerSecond`. */
  reactionBurst: 5,
  reactionsPerSecond: 1,
} as const;

/** Breakout limits, apart from LIMITS: only the server reads them (the bundle carries LIMITS). */
export const BREAKOUT_LIMITS = {
  /** Groups a meeting may have at once. */
  groupsMax: 50,
  /** Timers, in seconds: from 5 s (tests) to 4 hours. */
  secondsMin: 5,
  secondsMax: 14_400,
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
  /** A guest's join into a locked room. */
  RoomLocked: "room-locked",
  /** A host turned a waiting guest away (or ended the meeting while they waited). */
  Denied: "denied",
  /** `moderate` from someone who is not a host. */
  Forbidden: "forbidden",
  /** To hosts: a server recording could not be kept or made into a file (disk full, size limit). */
  RecordingFailed: "recording-failed",
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
  /** A host removed this person from the room: do not reconnect. */
  Removed: 4003,
  /** A host ended the meeting for everyone: do not reconnect. */
  RoomEnded: 4004,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a peer is sending, broadcast so others can show indicators. */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** A host moderates (mute, remove, lock, lobby, end); a guest takes part. */
export const Roles = ["host", "guest"] as const;
export type Role = (typeof Roles)[number];

export interface PeerInfo {
  id: string;
  name: string;
  state: MediaState;
  role: Role;
  /** A raised hand: when it went up (the server's clock, ms), so everyone sees one order. */
  hand?: number;
  /**
   * `none`: their browser cannot send or receive media (no WebRTC); they take
   * part in chat, hands and reactions, and nobody tries to connect to them.
   */
  media?: "none";
}

/** The reactions one can send: they float on the sender's tile for a moment. */
export const REACTIONS = ["👍", "👏", "😂", "❤️", "🎉", "😮"] as const;
export type Reaction = (typeof REACTIONS)[number];

/**
 * A recording in progress. `browser`: the host `by` records the call in
 * their own browser (it ends when they leave). `server`: the SFU records
 * everyone (the room's media goes through it meanwhile); it ends when the
 * last host leaves, and hosts get `recording-ready` once the file is made.
 */
export interface RecordingInfo {
  /** The host who started it. */
  by: string;
  mode: "browser" | "server";
  /** A server recording's own id (its files' folder). */
  id?: string;
  /** When it started (the server's clock, ms). */
  since: number;
  /** Guests who join during it are asked first, their microphone and camera off until they agree. */
  consent?: true;
}

/** A breakout group: its id, its name, and who is in it (ids, in the order they came). */
export interface BreakoutRoom {
  id: string;
  name: string;
  people: string[];
  /** The group's media goes through the SFU (it outgrew the mesh); absent: peer to peer. */
  media?: "sfu";
}

/**
 * Breakout groups, while a host has them open. Everyone else is in the main
 * room; each person sees, hears and chats with their own group only.
 */
export interface BreakoutsInfo {
  rooms: BreakoutRoom[];
  /** Guests may pick a group themselves (and go back to the main room). */
  choose?: true;
  /** When everyone returns to the main room (the server's clock, ms). */
  endsAt?: number;
}

/** How a host fills the groups: as listed, spread evenly, or each guest picks. */
export const BreakoutAssignments = ["hand", "auto", "choose"] as const;
export type BreakoutAssignment = (typeof BreakoutAssignments)[number];

/** A room's settings, which hosts change. */
export interface RoomSettings {
  /** Guests cannot join (a host still can). */
  locked: boolean;
  /** Guests wait until a host admits them. */
  lobby: boolean;
  /** Set while the meeting is being recorded: everyone is told. */
  recording?: RecordingInfo;
  /** Set while breakout groups are open. */
  breakouts?: BreakoutsInfo;
}

/** Someone waiting in the lobby, as hosts see them. */
export interface Knock {
  id: string;
  name: string;
}

/** What a host can do: those in `MODERATE_TARGETED` need a `to`. */
export const ModerateActions = [
  "mute",
  "mute-all",
  "stop-video",
  "remove",
  "lock",
  "unlock",
  "lobby-on",
  "lobby-off",
  "admit",
  "deny",
  "promote",
  "lower-hand",
  "end",
  "record-start",
  "record-stop",
] as const;
export type ModerateAction = (typeof ModerateActions)[number];
export const MODERATE_TARGETED: readonly ModerateAction[] = [
  "mute",
  "stop-video",
  "remove",
  "admit",
  "deny",
  "promote",
  "lower-hand",
];

/** An opaque JSON object: a session description or an ICE candidate. */
export type SignalData = { [key: string]: unknown };

/** An RTCIceServer as JSON (kept local so the server needs no DOM types). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * How a room's media travels: `mesh`, browser to browser; `sfu`, through the
 * SFU (Janus), which the server switches to when a room outgrows the mesh.
 */
export const MediaModes = ["mesh", "sfu"] as const;
export type MediaMode = (typeof MediaModes)[number];

/** The SFU connections a browser holds: one to publish its own media, one to receive others'. */
export const SfuConnections = ["pub", "sub"] as const;
export type SfuConnection = (typeof SfuConnections)[number];

/** A session description as JSON. */
export interface Jsep {
  type: "offer" | "answer";
  sdp: string;
}

/** The video a browser wants of someone in an SFU room: the large layer, the small one. */
export const VideoLayers = ["high", "low"] as const;
export type VideoLayer = (typeof VideoLayers)[number];

/** What a published stream shows: the camera (with the microphone) or a screen share. */
export const StreamRoles = ["camera", "screen"] as const;
export type StreamRole = (typeof StreamRoles)[number];

/** One received stream of an SFU subscription: which m-line carries whose what. */
export interface SfuStream {
  mid: string;
  peer: string;
  kind: "audio" | "video";
  role: StreamRole;
}

// ---- client → server ----------------------------------------------------

export interface JoinMessage {
  type: "join";
  room: string;
  name: string;
  resume?: string;
  /** Room access token (a JWT), required when the server has ROOM_TOKEN_SECRET. */
  token?: string;
  /** `none`: this browser cannot send or receive media (told to the others as `PeerInfo.media`). */
  media?: "none";
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
export interface ModerateMessage {
  type: "moderate";
  action: ModerateAction;
  /** The person acted on, for the actions that need one. */
  to?: string;
}
/** Raises or lowers one's own hand. */
export interface HandMessage {
  type: "hand";
  raised: boolean;
}
/** A quick reaction, shown on the sender's tile for everyone. */
export interface ReactMessage {
  type: "react";
  emoji: Reaction;
}
/**
 * Negotiation with the SFU, relayed by the server: on `pub`, the browser's
 * offer (with which m-line is the screen) and its ICE candidates; on `sub`,
 * its answer to the server's offer and its candidates. `candidate: null`: no
 * more candidates.
 */
export interface SfuClientMessage {
  type: "sfu";
  pc: SfuConnection;
  jsep?: Jsep;
  candidate?: SignalData | null;
  /** With a `pub` offer: the m-line (mid) of each published video, by role. */
  video?: Partial<Record<StreamRole, string>>;
}
/**
 * Whose video to receive in an SFU room, and which layer; those left out get
 * audio only (off-screen tiles cost nothing).
 */
export interface SfuViewMessage {
  type: "sfu-view";
  video: Record<string, VideoLayer>;
}
/** A group in a host's plan: its name and, assigned by hand, who goes in it. */
export interface BreakoutPlanRoom {
  name: string;
  people?: string[];
}
/**
 * Breakout groups. Hosts: `open` (the plan), `move` (someone, `to`, into
 * `room`, a group's id, or null for the main room), `broadcast` (a line to
 * every group), `close` (everyone back). Anyone, while guests may choose:
 * `join` (`room`, or null for the main room).
 */
export type BreakoutMessage =
  | {
    type: "breakout";
    action: "open";
    rooms: BreakoutPlanRoom[];
    assign: BreakoutAssignment;
    /** Seconds until everyone returns (absent: until a host closes them). */
    seconds?: number;
  }
  | { type: "breakout"; action: "move"; to: string; room: string | null }
  | { type: "breakout"; action: "join"; room: string | null }
  | { type: "breakout"; action: "broadcast"; text: string }
  | { type: "breakout"; action: "close" };
export type BreakoutAction = BreakoutMessage["action"];
export const BreakoutActions = ["open", "move", "join", "broadcast", "close"] as const;

export type ClientMessage =
  | BreakoutMessage
  | SfuClientMessage
  | SfuViewMessage
  | JoinMessage
  | SignalMessage
  | ChatMessage
  | StateMessage
  | LeaveMessage
  | ModerateMessage
  | HandMessage
  | ReactMessage;

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
  /** The joiner's role. */
  role: Role;
  settings: RoomSettings;
  /** For hosts: who is waiting in the lobby. */
  waiting?: Knock[];
  /** The joiner's own raised hand (a resumed seat keeps it): when it went up. */
  hand?: number;
  /** How the room's media travels now (absent: `mesh`). */
  media?: MediaMode;
}
export interface PeerJoinedMessage {
  type: "peer-joined";
  peer: PeerInfo;
  /** They came from another breakout group (or back to the main room): not a newcomer. */
  moved?: true;
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
  /** They went to another breakout group (or back to the main room): not a goodbye. */
  moved?: true;
}
/**
 * You are now in breakout group `room` (null: the main room), moved by a host
 * or by your own choice: `peers` are the people there; connect to them as
 * after a join, keeping your camera and microphone as they are.
 */
export interface MovedMessage {
  type: "moved";
  room: string | null;
  peers: PeerInfo[];
  media: MediaMode;
  by: string;
}
/** A host's line to every group: shown as a banner and in the chat. */
export interface BroadcastMessage {
  type: "broadcast";
  from: string;
  name: string;
  text: string;
  ts: number;
}
export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
}
/** Someone's role changed (a host left, or one was made). */
export interface RoleMessage {
  type: "role";
  id: string;
  role: Role;
}
/** A host turned your microphone or camera off; you may turn it on again. */
export interface ModeratedMessage {
  type: "moderated";
  action: "mute" | "stop-video";
  by: string;
}
/** A host removed you: the connection closes with 4003. */
export interface RemovedMessage {
  type: "removed";
  by: string;
}
export interface RoomSettingsMessage extends RoomSettings {
  type: "room-settings";
  /** Who changed them: the host, or someone whose leaving ended a recording. */
  by?: string;
}
/** Your join waits in the lobby until a host admits (then `joined`) or denies (`denied`) it. */
export interface WaitingMessage {
  type: "waiting";
}
/** To hosts: someone is waiting in the lobby. */
export interface KnockMessage {
  type: "knock";
  peer: Knock;
}
/** To hosts: a waiting guest is gone (left, admitted or denied). */
export interface KnockCancelledMessage {
  type: "knock-cancelled";
  id: string;
}
/**
 * To hosts: a server recording's file is made. `url` is a signed link
 * (relative to the server; it expires), as are each person's own files.
 */
export interface RecordingReadyMessage {
  type: "recording-ready";
  url: string;
  bytes: number;
  durationMs: number;
  mode: "server";
  /** Each person who was on: their own file (video and audio). */
  people: Array<{ name: string; url: string }>;
}
/** A host ended the meeting: every connection closes with 4004. */
export interface RoomEndedMessage {
  type: "room-ended";
  by: string;
}
/** Someone's hand went up (`at`: when, the server's clock) or down. To everyone, them too. */
export interface HandChangedMessage {
  type: "hand";
  id: string;
  raised: boolean;
  at?: number;
}
/** Someone reacted. To everyone, the sender too. */
export interface ReactionMessage {
  type: "reaction";
  id: string;
  emoji: Reaction;
}
/** The room's media moved to the SFU or back to the mesh: everyone follows, nobody clicks. */
export interface MediaModeMessage {
  type: "media-mode";
  mode: MediaMode;
}
/**
 * From the SFU, relayed: on `pub`, the answer to the browser's offer; on
 * `sub`, an offer for everything this browser receives (`streams` says whose
 * each m-line is). `restart`: the SFU connection was lost (a node failed):
 * publish again (a new `pub` offer); a `sub` offer follows by itself.
 */
export interface SfuServerMessage {
  type: "sfu";
  pc: SfuConnection;
  jsep?: Jsep;
  streams?: SfuStream[];
  restart?: boolean;
}
export type ServerMessage =
  | MovedMessage
  | BroadcastMessage
  | MediaModeMessage
  | SfuServerMessage
  | HandChangedMessage
  | ReactionMessage
  | JoinedMessage
  | PeerJoinedMessage
  | RelayedSignalMessage
  | RelayedChatMessage
  | PeerStateMessage
  | PeerLeftMessage
  | ErrorMessage
  | RoleMessage
  | ModeratedMessage
  | RemovedMessage
  | RoomSettingsMessage
  | WaitingMessage
  | KnockMessage
  | KnockCancelledMessage
  | RecordingReadyMessage
  | RoomEndedMessage;

// Pure: a bundle that never reads it leaves it out.
export const INITIAL_STATE: Readonly<MediaState> = /* @__PURE__ */ Object.freeze({
  audio: false,
  video: false,
  screen: false,
});
