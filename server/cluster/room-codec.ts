/**
 * How a room and its events look in Redis, written once, both ways: the
 * registry encodes what it stores and publishes, the feed and the presence
 * parse it back, and a test checks the round trips without a Redis.
 *
 * - A room is `{members, doc}`: each member a JSON PeerInfo with `since` (the
 *   room's version when it was added, for the join order), and one doc for
 *   the settings, the lobby and the media path (empty when all are defaults).
 * - An event on the room's channel is `seq \n kind \n audience \n payload`.
 * - An audience is `*` everyone, `-id` everyone but id, `=id` only id, `@host`
 *   the hosts, `+a,b` these ids, `~id` id's breakout group: the rules'
 *   Audience, as text (ids are letters and digits).
 * - What the rules changed travels as a `changes` event (the rules' own
 *   Change list), which every instance applies with the rules' own reducer.
 *   It goes out after the effects that close seats (kick, end) and before the
 *   rest, so everyone then reads the room as the rules left it.
 */
import type { PeerInfo, ServerMessage } from "../../protocol/messages.ts";
import {
  type Audience,
  type Change,
  DEFAULT_SETTINGS,
  type Effect,
  isNotice,
  MESH,
  type Notice,
  type RoomData,
  type Waiting,
} from "../rooms/room-rules.ts";
import type { Reply } from "./redis-script-runner.ts";

/** One letter per kind of room event on the channel. */
export const EventKind = {
  /** News about the room (a server message: peer-joined, peer-left, peer-state, role…). */
  News: "n",
  /** What the rules changed: a JSON Change list. */
  Changes: "x",
  Chat: "c",
  Signal: "g",
  Reaction: "r",
  /** A seat was resumed by the instance named in the payload (published by the resume script). */
  Takeover: "t",
  /** A waiting guest was let in: an AdmitPayload; their instance seats them. */
  Admit: "a",
  /** A waiting guest was turned away: the error message for them. */
  Deny: "d",
  /** Someone was removed: the `removed` message; their instance closes them (4003). */
  Kick: "k",
  /** The meeting ended: the `room-ended` message; every instance closes its seats (4004). */
  End: "e",
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** A room event as it arrives on the channel. */
export interface RoomEvent {
  seq: number;
  kind: EventKind;
  audience: string;
  /** A server message for clients, or what its kind says. */
  payload: string;
}

/** What an admission event carries to the instance holding the waiting guest. */
export interface AdmitPayload {
  id: string;
  token: string;
  owner: string;
  member: PeerInfo;
  /** Everyone seated before them. */
  peers: PeerInfo[];
}

/** What a relayed event carries, by its kind (news names its own type), for the metrics. */
const RELAYED: Partial<Record<EventKind, ServerMessage["type"]>> = {
  [EventKind.Chat]: "chat",
  [EventKind.Signal]: "signal",
  [EventKind.Reaction]: "reaction",
};

const KINDS = new Set<string>(Object.values(EventKind));

// ---- rooms ----

/**
 * Members as stored, in the order they joined. A hash has no order, so each
 * stored member carries `since`, which is sorted on and then left out.
 */
export function parseMembers(raw: Reply, order?: Map<string, number>): PeerInfo[] {
  return (raw as string[])
    .map((text) => JSON.parse(text) as PeerInfo & { since?: number })
    .sort((a, b) => (a.since ?? 0) - (b.since ?? 0))
    .map(({ since, ...member }) => {
      order?.set(member.id, since ?? 0);
      return member;
    });
}

/** A member as stored: with `since`, for the join order. */
export function storedMember(member: PeerInfo, since: number): string {
  return JSON.stringify({ ...member, since });
}

/** The room's doc as stored: its settings, lobby and media path; "" when all are defaults. */
export function storedDoc(room: RoomData): string {
  const defaults = room.waiting.length === 0 &&
    room.settings.locked === DEFAULT_SETTINGS.locked &&
    room.settings.lobby === DEFAULT_SETTINGS.lobby &&
    room.settings.recording === undefined &&
    room.settings.breakouts === undefined &&
    room.media.mode === "mesh";
  return defaults ? "" : JSON.stringify({
    settings: room.settings,
    waiting: room.waiting,
    ...(room.media.mode !== "mesh" ? { media: room.media } : {}),
  });
}

/** A room as the `read`, `apply`, `resume` and `snapshot` scripts return it: {members, doc}. */
export function parseRoomView(raw: Reply, order?: Map<string, number>): RoomData {
  const [members, doc] = raw as [Reply, string];
  const parsed = doc
    ? JSON.parse(doc) as {
      settings: RoomData["settings"];
      waiting: Waiting[];
      media?: RoomData["media"];
    }
    : null;
  return {
    members: parseMembers(members, order),
    settings: parsed?.settings ?? DEFAULT_SETTINGS,
    waiting: parsed?.waiting ?? [],
    media: parsed?.media ?? MESH,
  };
}

// ---- audiences ----

export function encodeAudience(to: Audience): string {
  if ("all" in to) return "*";
  if ("allBut" in to) return `-${to.allBut}`;
  if ("only" in to) return `=${to.only}`;
  if ("some" in to) return `+${to.some.join(",")}`;
  if ("groupOf" in to) return `~${to.groupOf}`;
  return "@host";
}

/** The audience an event names; null for text no instance of ours writes. */
export function decodeAudience(text: string): Audience | null {
  if (text === "*") return { all: true };
  if (text === "@host") return { hosts: true };
  if (text.startsWith("-")) return { allBut: text.slice(1) };
  if (text.startsWith("=")) return { only: text.slice(1) };
  if (text.startsWith("+")) return { some: text.length > 1 ? text.slice(1).split(",") : [] };
  if (text.startsWith("~")) return { groupOf: text.slice(1) };
  return null;
}

// ---- events ----

/** A channel message as an event; null when it is not one of ours (no crash on junk). */
export function parseEvent(message: string): RoomEvent | null {
  const a = message.indexOf("\n");
  const b = message.indexOf("\n", a + 1);
  const c = message.indexOf("\n", b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  const seq = Number(message.slice(0, a));
  const kind = message.slice(a + 1, b);
  if (!Number.isSafeInteger(seq) || !KINDS.has(kind)) return null;
  return {
    seq,
    kind: kind as EventKind,
    audience: message.slice(b + 1, c),
    payload: message.slice(c + 1),
  };
}

/** The news an event carries (parsed), or null for another kind. */
export function readNews(event: RoomEvent): ServerMessage | null {
  return event.kind === EventKind.News ? JSON.parse(event.payload) as ServerMessage : null;
}

/**
 * What a client-bound event is, for the metrics (`news`: the event's news,
 * read already); undefined for events that are not delivered as they are.
 */
export function deliveredType(
  event: RoomEvent,
  news = readNews(event),
): ServerMessage["type"] | undefined {
  return news?.type ?? RELAYED[event.kind];
}

/**
 * What `apply` publishes for an outcome, as [kind, audience, payload]
 * triples: the effects that close seats, then the changes, then the notices
 * and the other effects in the rules' order. `admitted` gives each guest let
 * in their resume token and the instance holding their connection.
 */
export function outcomeEvents(
  changes: readonly Change[],
  events: ReadonlyArray<Notice | Effect>,
  admitted: (id: string) => { token: string; owner: string },
): string[] {
  const closing = events.filter((e) => !isNotice(e) && (e.kind === "kick" || e.kind === "end"));
  const rest = events.filter((e) => !closing.includes(e));
  const out: string[] = [];
  for (const e of closing) out.push(...effectEvent(e as Effect, admitted));
  if (changes.length > 0) out.push(EventKind.Changes, "*", JSON.stringify(changes));
  for (const e of rest) {
    if (isNotice(e)) out.push(EventKind.News, encodeAudience(e.to), JSON.stringify(e.message));
    else out.push(...effectEvent(e, admitted));
  }
  return out;
}

function effectEvent(
  e: Effect,
  admitted: (id: string) => { token: string; owner: string },
): string[] {
  switch (e.kind) {
    case "admit": {
      const payload: AdmitPayload = {
        id: e.id,
        ...admitted(e.id),
        member: e.member,
        peers: e.peers,
      };
      return [EventKind.Admit, encodeAudience({ only: e.id }), JSON.stringify(payload)];
    }
    case "deny":
      return [EventKind.Deny, encodeAudience({ only: e.id }), e.message];
    case "kick":
      return [
        EventKind.Kick,
        encodeAudience({ only: e.id }),
        JSON.stringify({ type: "removed", by: e.by }),
      ];
    case "end":
      return [
        EventKind.End,
        encodeAudience({ all: true }),
        JSON.stringify({ type: "room-ended", by: e.by }),
      ];
  }
}

/** An effect event back as the rules' effect (admit comes with its payload). */
export function readEffect(
  event: RoomEvent,
): Exclude<Effect, { kind: "admit" }> | { kind: "admit"; payload: AdmitPayload } | null {
  const target = decodeAudience(event.audience);
  const id = target && "only" in target ? target.only : "";
  switch (event.kind) {
    case EventKind.Admit:
      return { kind: "admit", payload: JSON.parse(event.payload) as AdmitPayload };
    case EventKind.Deny:
      return { kind: "deny", id, message: event.payload };
    case EventKind.Kick:
      return { kind: "kick", id, by: (JSON.parse(event.payload) as { by: string }).by };
    case EventKind.End:
      return { kind: "end", by: (JSON.parse(event.payload) as { by: string }).by };
    default:
      return null;
  }
}

/** The changes a `changes` event carries. */
export function readChanges(event: RoomEvent): Change[] {
  const changes = JSON.parse(event.payload);
  if (!Array.isArray(changes)) throw new Error("changes are not a list");
  return changes as Change[];
}
