/**
 * What a room holds and how it changes, the vocabulary of the room rules
 * (room-rules.ts): the room's data, the changes a decision makes to it and
 * the one reducer that applies them (used in memory, and by every instance
 * of a cluster on the changes it reads), who hears a notice, and the effects
 * on connections. Pure; no decisions here.
 */
import type {
  ErrorCode,
  Knock,
  MediaMode,
  PeerInfo,
  Role,
  RoomSettings,
  ServerMessage,
} from "../../protocol/messages.ts";

/** Someone seated in a room, as everyone else sees them. */
export type Member = PeerInfo;

/** Someone in the lobby; `instance` holds their connection (in a cluster). */
export interface Waiting extends Knock {
  instance?: string;
  /** Their browser cannot send or receive media (kept for when they are let in). */
  media?: "none";
}

/**
 * How a room's media travels. `low`, in the SFU: since when (ms) it has had
 * two people or fewer; after BACK_TO_MESH_MS of that it goes back to the mesh.
 */
export interface MediaPath {
  readonly mode: MediaMode;
  readonly low?: number;
}

export const MESH: MediaPath = { mode: "mesh" };

/** How long a room in the SFU must be down to two before it returns to peer to peer (Jitsi: 10 s). */
export const BACK_TO_MESH_MS = 10_000;

/** What a room holds that its rules read. */
export interface RoomData {
  /** Everyone seated, in the order they joined (those in their resume grace too). */
  readonly members: readonly Member[];
  readonly settings: RoomSettings;
  /** The lobby, in the order they knocked. */
  readonly waiting: readonly Waiting[];
  readonly media: MediaPath;
}

/**
 * Who hosts: `open` rooms make their first person host and hand the role on
 * when the last host leaves; with `tokens` the host site's tokens say who
 * hosts; `off` has no hosts at all (nobody can moderate).
 */
export type HostMode = "open" | "tokens" | "off";

export interface RoomPolicy {
  /** Seats per room. */
  maxPeers: number;
  hosts: HostMode;
  /** New rooms start with the lobby on. */
  lobby: boolean;
  /** Recordings ask guests who join during them first (RECORDING_CONSENT=required). */
  recordingConsent?: boolean;
  /** The largest mesh: one more person moves the room to the SFU. Null: no SFU, always a mesh. */
  meshMax: number | null;
  /**
   * Whether a recording started now is made by the SFU (RECORDINGS_DIR set and
   * a node up); else the starting host's browser records.
   */
  recordOnServer?: () => boolean;
}

/**
 * Who a notice is for. `some`: exactly these (the rules count a breakout
 * group's members themselves); `groupOf`: whoever is in the same group as
 * this person when it is delivered, them included (a chat line, a reaction).
 */
export type Audience =
  | { all: true }
  | { allBut: string }
  | { only: string }
  | { hosts: true }
  | { some: readonly string[] }
  | { groupOf: string };

export interface Notice {
  to: Audience;
  message: ServerMessage;
}

/** A change to what the room holds. */
export type Change =
  | { op: "add"; member: Member }
  | { op: "remove"; id: string }
  | { op: "update"; member: Member }
  | { op: "settings"; settings: RoomSettings }
  | { op: "knock"; knock: Waiting }
  | { op: "unknock"; id: string }
  | { op: "media"; media: MediaPath };

/** What happens to connections, beyond messages. */
export type Effect =
  /**
   * The waiting guest `id` now has a seat: their connection gets `joined`,
   * listing `peers` (everyone seated before them, those let in just before
   * them in the same step included).
   */
  | { kind: "admit"; id: string; member: Member; peers: Member[] }
  /** The waiting guest `id` is turned away with an error `denied`. */
  | { kind: "deny"; id: string; message: string }
  /** `id` was removed: their connection gets `removed` and closes (4003). */
  | { kind: "kick"; id: string; by: string }
  /** The meeting ended: everyone gets `room-ended` and closes (4004); the lobby is denied. */
  | { kind: "end"; by: string };

/**
 * What a decision does: the changes to store, then the notices and effects in
 * the order they must reach people (someone removed hears "removed" before
 * the others hear that they left; a guest let in gets their seat before the
 * others hear they joined).
 */
export interface Outcome {
  changes: Change[];
  events: Array<Notice | Effect>;
}

export function isNotice(e: Notice | Effect): e is Notice {
  return "to" in e;
}

/** Why the rules said no (a join, a host's action): the message reads "Cannot X: Y". */
export type Refusal = { ok: false; code: ErrorCode; message: string };

export const DEFAULT_SETTINGS: RoomSettings = { locked: false, lobby: false };
export const EMPTY_ROOM: RoomData = {
  members: [],
  settings: DEFAULT_SETTINGS,
  waiting: [],
  media: MESH,
};

/** Whether someone hears a notice (`room`: the room as it is now, for `groupOf`). */
export function hears(
  to: Audience,
  who: { id: string; role?: Role },
  room?: Pick<RoomData, "settings">,
): boolean {
  if ("all" in to) return true;
  if ("allBut" in to) return to.allBut !== who.id;
  if ("only" in to) return to.only === who.id;
  if ("some" in to) return to.some.includes(who.id);
  if ("groupOf" in to) {
    const settings = room?.settings ?? DEFAULT_SETTINGS;
    return groupOf(settings, who.id) === groupOf(settings, to.groupOf);
  }
  return who.role === "host";
}

/** The breakout group someone is in: its id, or "" for the main room. */
export function groupOf(settings: RoomSettings, id: string): string {
  return settings.breakouts?.rooms.find((r) => r.people.includes(id))?.id ?? "";
}

/** How `id`'s media travels: their breakout group's path, or the room's. */
export function pathOf(room: RoomData, id: string): MediaMode {
  const group = groupOf(room.settings, id);
  if (group === "") return room.media.mode;
  return room.settings.breakouts?.rooms.find((r) => r.id === group)?.media ?? "mesh";
}

/** Who is in breakout group `group` ("" for the main room), in the order they joined. */
export function groupMembers(room: RoomData, group: string): Member[] {
  if (!room.settings.breakouts) return [...room.members];
  return room.members.filter((m) => groupOf(room.settings, m.id) === group);
}

/**
 * Everyone in `id`'s group but `id` (`{ allBut }` while there are no groups:
 * the same people, said the short way).
 */
export function othersInGroup(room: RoomData, id: string): Audience {
  if (!room.settings.breakouts) return { allBut: id };
  const group = groupOf(room.settings, id);
  return { some: groupMembers(room, group).filter((m) => m.id !== id).map((m) => m.id) };
}

/** Everyone in `id`'s group, them too. */
export function everyoneInGroup(room: RoomData, id: string): Audience {
  if (!room.settings.breakouts) return { all: true };
  return { some: groupMembers(room, groupOf(room.settings, id)).map((m) => m.id) };
}

/** The room after `changes` (a new object; the old one is untouched). */
export function applyChanges(room: RoomData, changes: readonly Change[]): RoomData {
  let { members, settings, waiting, media } = room;
  for (const change of changes) {
    switch (change.op) {
      case "add":
        members = [...members, change.member];
        break;
      case "remove":
        members = members.filter((m) => m.id !== change.id);
        break;
      case "update":
        members = members.map((m) => (m.id === change.member.id ? change.member : m));
        break;
      case "settings":
        settings = change.settings;
        break;
      case "knock":
        waiting = [...waiting, change.knock];
        break;
      case "unknock":
        waiting = waiting.filter((w) => w.id !== change.id);
        break;
      case "media":
        media = change.media;
        break;
    }
  }
  return { members, settings, waiting, media };
}

/** New settings, told to everyone with who changed them; `undefined` in `change` removes a field. */
export function changeSettings(
  current: RoomSettings,
  change: Partial<RoomSettings>,
  by: string,
  out: Outcome,
): RoomSettings {
  const next: RoomSettings = { ...current, ...change };
  // Stored and sent without them.
  if (next.recording === undefined) delete next.recording;
  if (next.breakouts === undefined) delete next.breakouts;
  out.changes.push({ op: "settings", settings: next });
  out.events.push({ to: { all: true }, message: { type: "room-settings", ...next, by } });
  return next;
}

/** The settings as `out` leaves them so far (a second change in one step builds on the first). */
export function settingsNow(room: RoomData, out: Outcome): RoomSettings {
  const last = out.changes.findLast((c) => c.op === "settings");
  return last?.op === "settings" ? last.settings : room.settings;
}
