import type { RoomErrorDetail } from "../core/room-error.ts";
import type { RoomStatus } from "../core/room-session.ts";
import type { Knock, MediaState, Reaction, Role } from "../../protocol/messages.ts";

/** A participant as events and the `peers` property describe it. */
export interface PeerSummary {
  id: string;
  name: string;
  state: MediaState;
  connection: RTCPeerConnectionState | "self" | "none";
  /** `host` or `guest`. */
  role: Role;
  /** When their hand went up (server time, ms), or null. */
  hand: number | null;
}

export interface ChatMessageDetail {
  from: string;
  name: string;
  text: string;
  /** Server time, milliseconds since the epoch. */
  ts: number;
  /** Sent from this page. */
  local: boolean;
}

/** Every event the elements fire, with its `detail` type. */
export interface VideoRoomEventMap {
  "room-joined": CustomEvent<{ id: string; room: string }>;
  "room-left": CustomEvent<{ room: string }>;
  "peer-joined": CustomEvent<{ peer: PeerSummary }>;
  "peer-left": CustomEvent<{ peer: PeerSummary }>;
  "chat-message": CustomEvent<ChatMessageDetail>;
  "screen-share-started": CustomEvent<Record<string, never>>;
  "screen-share-stopped": CustomEvent<Record<string, never>>;
  "room-state": CustomEvent<{ state: RoomStatus; previous: RoomStatus }>;
  "room-error": CustomEvent<RoomErrorDetail>;
  "role-changed": CustomEvent<{ peer: PeerSummary; role: Role }>;
  moderated: CustomEvent<{ action: "mute" | "stop-video"; by: PeerSummary | null }>;
  removed: CustomEvent<{ by: PeerSummary | null }>;
  "room-ended": CustomEvent<{ by: PeerSummary | null }>;
  knock: CustomEvent<{ peer: Knock }>;
  "room-settings-changed": CustomEvent<{ locked: boolean; lobby: boolean }>;
  /** `layout`: the view shown; `mode`: what was chosen (`auto` decides by the room). */
  "layout-changed": CustomEvent<
    { layout: "grid" | "speaker"; mode: "grid" | "speaker" | "auto" }
  >;
  "active-speaker-changed": CustomEvent<{ peer: PeerSummary | null }>;
  "hand-raised": CustomEvent<{ peer: PeerSummary }>;
  "hand-lowered": CustomEvent<{ peer: PeerSummary }>;
  reaction: CustomEvent<{ peer: PeerSummary; emoji: Reaction }>;
  /** `sfu`: through the media server (bigger rooms); `mesh`: browser to browser. */
  "media-mode-changed": CustomEvent<{ mode: "mesh" | "sfu" }>;
  /** Breakout groups opened, changed (who is where) or closed (`null`). */
  "breakouts-changed": CustomEvent<{
    breakouts: import("../core/session/breakout-groups.ts").BreakoutState | null;
  }>;
  /** This page went into another breakout group (`null`: the main room); `by`: who moved it. */
  "breakout-changed": CustomEvent<{
    breakout: import("../core/session/breakout-groups.ts").BreakoutGroup | null;
    by: PeerSummary | null;
  }>;
  /** A host started recording the meeting (told to everyone, late joiners too). */
  "recording-started": CustomEvent<{ by: PeerSummary | null; mode: "browser" | "server" }>;
  /** The recording ended: a host stopped it, its host left, or this page left. */
  "recording-stopped": CustomEvent<{ by: PeerSummary | null }>;
  /**
   * The file: on the recording host's page at a `blob:` URL (revoke it when
   * done); of a server recording, on every host's page at a signed link that
   * expires, with each person's own file in `people`.
   */
  "recording-ready": CustomEvent<{
    url: string;
    bytes: number;
    durationMs: number;
    mode: "browser" | "server";
    people?: Array<{ name: string; url: string }>;
  }>;
  /** From `<chat-panel>`: the user submitted a message. */
  "chat-send": CustomEvent<{ text: string }>;
  /** From `<screen-share-button>`: the user asked to start or stop sharing. */
  "screen-share-toggle": CustomEvent<{ sharing: boolean }>;
}

/** Dispatches a typed, bubbling, composed CustomEvent. */
export function fire<K extends keyof VideoRoomEventMap>(
  target: EventTarget,
  type: K,
  detail: VideoRoomEventMap[K]["detail"],
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }),
  );
}

declare global {
  // Lets `addEventListener("room-joined", e => e.detail.id)` type-check on any element.
  interface HTMLElementEventMap extends VideoRoomEventMap {}
}
