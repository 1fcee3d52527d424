/**
 * The rules of breakout groups, pure like the room's own (room-rules.ts): a
 * host opens groups (by hand, spread evenly, or for guests to choose), moves
 * people, speaks to every group, and closes them; a timer brings everyone
 * back. The groups live in the room's settings, so a move is one settings
 * change: those who move hear `moved` with their new group's people, those
 * who stay hear `peer-left`/`peer-joined` marked as moves, not goodbyes.
 * Hosts, the lobby, the lock and recording stay the room's, whatever group
 * one is in. Each group's media travels by its own size: peer to peer up to
 * the mesh's size, past it through the SFU (a Janus room of its own) until
 * the groups close; together again, a room past the mesh's size goes to the SFU.
 */
import {
  BREAKOUT_LIMITS,
  type BreakoutMessage,
  type BreakoutRoom,
  type BreakoutsInfo,
  ErrorCode,
  type MediaMode,
} from "../../protocol/messages.ts";
import {
  changeSettings,
  groupOf,
  type MediaPath,
  type Member,
  MESH,
  type Outcome,
  type Refusal,
  type RoomData,
  type RoomPolicy,
  settingsNow,
} from "./room-data.ts";

const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });

/** A breakout message from `by`, or why it cannot be done. */
export function breakout(
  room: RoomData,
  by: string,
  msg: BreakoutMessage,
  policy: RoomPolicy,
  now: number,
): Refusal | (Outcome & { ok: true }) {
  const me = room.members.find((m) => m.id === by);
  const host = policy.hosts !== "off" && me?.role === "host";
  const open = room.settings.breakouts;
  const out: Outcome = { changes: [], events: [] };
  const done = () => ({ ok: true as const, ...out });
  if (!me) return refuse(ErrorCode.NotInRoom, `Cannot ${msg.action}: join the room first`);
  if (msg.action === "join") {
    if (!host && !open?.choose) {
      return refuse(ErrorCode.Forbidden, "Cannot join a breakout room: a host places people");
    }
    return moveOne(room, by, by, msg.room, policy, out) ?? done();
  }
  if (!host) {
    return refuse(ErrorCode.Forbidden, `Cannot ${msg.action} breakout rooms: only a host can`);
  }
  switch (msg.action) {
    case "open": {
      if (open) {
        return refuse(ErrorCode.BadMessage, "Cannot open breakout rooms: they are open already");
      }
      const rooms: BreakoutRoom[] = msg.rooms.map((r, i) => ({
        id: `g${i + 1}`,
        name: r.name,
        people: [],
      }));
      const placed = new Set<string>();
      const place = (i: number, id: string) => {
        if (placed.has(id)) return;
        placed.add(id);
        rooms[i].people.push(id);
      };
      if (msg.assign === "hand") {
        msg.rooms.forEach((r, i) => {
          for (const id of r.people ?? []) if (room.members.some((m) => m.id === id)) place(i, id);
        });
      } else if (msg.assign === "auto") {
        // Guests in the order they came, one group after the other; hosts stay to look in.
        room.members.filter((m) => m.role !== "host").forEach((m, i) =>
          place(i % rooms.length, m.id)
        );
      }
      const info: BreakoutsInfo = {
        rooms,
        ...(msg.assign === "choose" ? { choose: true as const } : {}),
        ...(msg.seconds ? { endsAt: now + msg.seconds * 1000 } : {}),
      };
      regroup(room, info, by, policy, out);
      return done();
    }
    case "move":
      if (!room.members.some((m) => m.id === msg.to)) {
        return refuse(ErrorCode.UnknownPeer, "Cannot move: no such peer in this room");
      }
      return moveOne(room, by, msg.to, msg.room, policy, out) ?? done();
    case "broadcast":
      out.events.push({
        to: { all: true },
        message: { type: "broadcast", from: by, name: me.name, text: msg.text, ts: now },
      });
      return done();
    case "close":
      if (open) regroup(room, undefined, by, policy, out);
      return done();
  }
}

/** The breakout timer ran out: everyone comes back (nothing when it has not, or none are open). */
export function timeUp(room: RoomData, now: number, policy: RoomPolicy): Outcome {
  const out: Outcome = { changes: [], events: [] };
  const endsAt = room.settings.breakouts?.endsAt;
  if (endsAt !== undefined && endsAt <= now) regroup(room, undefined, "", policy, out);
  return out;
}

/** `id` is leaving the room: out of their group too (the others' lists follow). */
export function leaveGroup(room: RoomData, id: string, out: Outcome): void {
  const settings = settingsNow(room, out);
  const open = settings.breakouts;
  if (!open || groupOf(settings, id) === "") return;
  const rooms = open.rooms.map((r) => ({ ...r, people: r.people.filter((p) => p !== id) }));
  changeSettings(settings, { breakouts: { ...open, rooms } }, id, out);
}

/** One person into group `to` (null: the main room); a refusal when there is no such group. */
function moveOne(
  room: RoomData,
  by: string,
  who: string,
  to: string | null,
  policy: RoomPolicy,
  out: Outcome,
): Refusal | null {
  const open = room.settings.breakouts;
  if (!open) return refuse(ErrorCode.BadMessage, "Cannot move: no breakout rooms are open");
  if (to !== null && !open.rooms.some((r) => r.id === to)) {
    return refuse(ErrorCode.BadMessage, "Cannot move: no such breakout room");
  }
  if (groupOf(room.settings, who) === (to ?? "")) return null;
  const rooms = open.rooms.map((r) => ({
    ...r,
    people: r.id === to ? [...r.people, who] : r.people.filter((p) => p !== who),
  }));
  regroup(room, { ...open, rooms }, by, policy, out);
  return null;
}

/**
 * The room's groups become `breakouts` (undefined: all together again). The
 * settings first (everyone learns the groups), then for those who stay the
 * people who left their group, the media path of their group if it changes,
 * each mover's new group, and the people who arrived in the stayers' groups.
 * Each group (the main room too) travels by its own size: past the mesh's
 * size through the SFU, else peer to peer.
 */
function regroup(
  room: RoomData,
  breakouts: BreakoutsInfo | undefined,
  by: string,
  policy: RoomPolicy,
  out: Outcome,
): void {
  const before = room.settings;
  if (breakouts && breakouts.rooms.length > BREAKOUT_LIMITS.groupsMax) return;
  const placed = breakouts ? { ...before, breakouts } : { ...before, breakouts: undefined };
  const now = (m: Member) => groupOf(placed, m.id);
  const was = (m: Member) => groupOf(before, m.id);
  const size = (group: string) => room.members.filter((m) => now(m) === group).length;
  const big = (n: number) => policy.meshMax !== null && n > policy.meshMax;
  // Past the mesh's size a group goes through the SFU, and stays there while the groups are open
  // (no back and forth as people come and go).
  const rooms = breakouts?.rooms.map((r) =>
    big(size(r.id)) && !r.media ? { ...r, media: "sfu" as const } : r
  );
  const after = changeSettings(
    before,
    { breakouts: breakouts && { ...breakouts, rooms: rooms! } },
    by,
    out,
  );
  const main = mainPath(room, size(""), breakouts !== undefined, policy);
  if (main.mode !== room.media.mode) out.changes.push({ op: "media", media: main });
  const pathBefore = (group: string): MediaMode =>
    group === ""
      ? room.media.mode
      : before.breakouts?.rooms.find((r) => r.id === group)?.media ?? "mesh";
  const pathAfter = (group: string): MediaMode =>
    group === "" ? main.mode : after.breakouts?.rooms.find((r) => r.id === group)?.media ?? "mesh";
  const movers = room.members.filter((m) => was(m) !== now(m));
  const stayers = room.members.filter((m) => was(m) === now(m));
  const ids = (list: Member[]) => list.map((m) => m.id);
  for (const m of movers) {
    const lost = ids(stayers.filter((s) => was(s) === was(m)));
    if (lost.length > 0) {
      out.events.push({
        to: { some: lost },
        message: { type: "peer-left", id: m.id, moved: true },
      });
    }
  }
  // Those who stay in a group whose path changes follow it before anyone arrives.
  for (const group of new Set(stayers.map(now))) {
    const mode = pathAfter(group);
    if (mode === pathBefore(group)) continue;
    out.events.push({
      to: { some: ids(stayers.filter((s) => now(s) === group)) },
      message: { type: "media-mode", mode },
    });
  }
  for (const m of movers) {
    const peers = room.members.filter((p) => p.id !== m.id && now(p) === now(m));
    out.events.push({
      to: { only: m.id },
      message: { type: "moved", room: now(m) || null, peers, media: pathAfter(now(m)), by },
    });
  }
  for (const m of movers) {
    const gained = ids(stayers.filter((s) => now(s) === now(m)));
    if (gained.length > 0) {
      out.events.push({
        to: { some: gained },
        message: { type: "peer-joined", peer: m, moved: true },
      });
    }
  }
}

/**
 * The main room's path for `count` people in it: past the mesh's size through
 * the SFU (as it was, if it was), else peer to peer; all together again, a
 * small room keeps the path it had (it settles back to the mesh by itself).
 */
function mainPath(room: RoomData, count: number, split: boolean, policy: RoomPolicy): MediaPath {
  const big = policy.meshMax !== null && count > policy.meshMax;
  if (big) return room.media.mode === "sfu" ? room.media : { mode: "sfu" };
  return split ? MESH : room.media;
}
