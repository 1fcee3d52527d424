/**
 * What a RoomSession is made with and tells: its options, its status, the
 * events views and the element follow, and what its parts use of it.
 */
import type {
  ClientMessage,
  Knock,
  MediaMode,
  Reaction,
  RecordingInfo,
  Role,
  RoomSettings,
} from "../../../protocol/messages.ts";
import type { RoomErrorDetail } from "../room-error.ts";
import type {
  ReconnectPolicy,
  SignalingClient,
  SignalingOptions,
} from "../signaling/signaling-client.ts";
import type { MediaTransport, TransportContext } from "../transport/media-transport.ts";
import type { ChatEntry, Participant, Roster } from "./roster.ts";

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
  /** A recording of the meeting started or stopped (`by`: who started or stopped it). */
  recording: { recording: RecordingInfo | null; by: Participant | null };
  /** Our recording's file is ready: a `blob:` URL to download it from. */
  "recording-ready": RecordingFile;
  /** The room's media moved to the SFU or back to peer to peer. */
  "media-mode": MediaMode;
  /** Breakout groups opened, changed or closed (null). */
  breakouts: import("./breakout-groups.ts").BreakoutState | null;
  /** We are now in another breakout group (null: the main room); `by`: who moved us. */
  breakout: {
    group: import("./breakout-groups.ts").BreakoutGroup | null;
    by: Participant | null;
  };
  /** A host's line to every group. */
  broadcast: import("./breakout-groups.ts").Broadcast;
  /** Someone came into our group, or left it, by a move (not a join or a leave). */
  "peer-moved": { participant: Participant; here: boolean };
}

/** A recording made in this browser: its file at a `blob:` URL. */
export interface RecordingFile {
  url: string;
  bytes: number;
  durationMs: number;
  mode: "browser" | "server";
  /** A server recording's per-person files (signed links). */
  people?: Array<{ name: string; url: string }>;
  /** Its media type (`video/webm`; `video/mp4` in Safari). */
  type: string;
}

/** How long a reaction shows on its sender's tile. */
export const REACTION_MS = 3000;

/** The roster id of ourselves (the server's id for us changes with every join). */
export const LOCAL_ID = "local";

/** What the session's parts (host controls, hands, the uplink watch) use of it. */
export interface SessionContext {
  readonly roster: Roster;
  /** Our id on the server now (null when not in a room). */
  selfId(): string | null;
  /** Sends to the server; false when not connected. */
  send(message: ClientMessage): boolean;
  emit<K extends keyof RoomSessionEvents>(type: K, payload: RoomSessionEvents[K]): void;
  /** Something views read changed. */
  changed(): void;
}

/** The roster id of someone the server names: ours is LOCAL_ID. */
export function rosterId(context: SessionContext, serverId: string): string {
  return serverId === context.selfId() ? LOCAL_ID : serverId;
}

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
  /** The site's URL that gives a fresh token for each join: POSTed `{room, name}`, answers `{token}`. */
  tokenUrl?: string;
  /** The site's own function that gives a fresh token for each join. */
  tokenProvider?: import("../signaling/token-source.ts").TokenProvider;
  /** The three above, asked for at each join instead (an element's current properties). */
  tokens?: () => import("../signaling/token-source.ts").TokenOptions;
  iceTransportPolicy?: RTCIceTransportPolicy;
  reconnect?: Partial<ReconnectPolicy>;
  /** Replaces every MediaDevices call (tests, custom capture). */
  mediaDevices?: MediaDevices;
  /** Makes the signaling client for each join (default: a SignalingClient). */
  createSignaling?: (options: SignalingOptions) => Signaling;
  /**
   * What the browser can do (default: asked of the browser). Without WebRTC
   * the session joins for chat only and the others are told so.
   */
  support?: import("../media/call-support.ts").CallSupport;
  /** Makes the media transport (default: the mesh, loaded as a chunk). */
  createTransport?: (context: TransportContext) => MediaTransport | Promise<MediaTransport>;
}
