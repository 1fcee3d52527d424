/**
 * The rules of a room, written once: given what a room holds, what a join, a
 * leave, a state change or a host's action does to it: the changes to store,
 * the notices to deliver (who hears what), and the effects on connections
 * (a waiting guest let in or turned away, someone removed, the meeting
 * ended). Pure functions, no I/O: the memory registry applies an outcome to
 * its maps, the Redis registry stores it atomically if the room did not
 * change meanwhile (and decides again if it did). Cluster mechanics (sockets,
 * resume tokens, grace, instances) are not rules and stay with the registries.
 */
import {
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
  type ModerateAction,
  type RecordingReadyMessage,
  type Role,
  type RoomSettings,
} from "../../protocol/messages.ts";
import {
  type Audience,
  BACK_TO_MESH_MS,
  changeSettings,
  everyoneInGroup,
  groupMembers,
  groupOf,
  type MediaPath,
  type Member,
  MESH,
  othersInGroup,
  type Outcome,
  type Refusal,
  type RoomData,
  type RoomPolicy,
  settingsNow,
  type Waiting,
} from "./room-data.ts";
import { leaveGroup } from "./breakout-rules.ts";

export { breakout, timeUp } from "./breakout-rules.ts";

// The rules' vocabulary comes with them: `rules.RoomData`, `rules.applyChanges`, …
export * from "./room-data.ts";

const nothing = (): Outcome => ({ changes: [], events: [] });
const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });

/** The settings a room starts with (and returns to once it empties). */
export function freshSettings(policy: RoomPolicy): RoomSettings {
  return { locked: false, lobby: policy.hosts !== "off" && policy.lobby };
}

/**
 * A seat for `joiner`, a place in the lobby, or the reason there is neither.
 * `claimed` is the role a room token gives (with `tokens` hosts).
 */
export function join(
  room: RoomData,
  joiner: { id: string; name: string; media?: "none" },
  claimed: Role | undefined,
  policy: RoomPolicy,
): Refusal | (Outcome & { ok: true; member: Member | null }) {
  const empty = room.members.length === 0 && room.waiting.length === 0;
  const settings = empty ? freshSettings(policy) : room.settings;
  const role: Role = policy.hosts === "tokens"
    ? claimed === "host" ? "host" : "guest"
    : policy.hosts === "open" && room.members.length === 0
    ? "host"
    : "guest";
  const out = nothing();
  if (empty && settings !== room.settings) out.changes.push({ op: "settings", settings });
  if (role !== "host" && settings.locked) {
    return refuse(ErrorCode.RoomLocked, "Cannot join: the room is locked");
  }
  const media = joiner.media ? { media: joiner.media } : {};
  if (role !== "host" && settings.lobby) {
    const knock: Waiting = { id: joiner.id, name: joiner.name, ...media };
    out.changes.push({ op: "knock", knock });
    out.events.push({ to: { hosts: true }, message: { type: "knock", peer: knock } });
    return { ok: true, member: null, ...out };
  }
  if (room.members.length >= policy.maxPeers) {
    return refuse(ErrorCode.RoomFull, `Cannot join: room is full (${policy.maxPeers} peers)`);
  }
  const member: Member = {
    id: joiner.id,
    name: joiner.name,
    state: { ...INITIAL_STATE },
    role,
    ...media,
  };
  out.changes.push({ op: "add", member });
  grown(room, room.members.length + 1, member.id, policy, out);
  // Into the main room: while groups are open, only those there see them come.
  out.events.push({
    to: mainRoom(room, member.id),
    message: { type: "peer-joined", peer: member },
  });
  return { ok: true, member, ...out };
}

/** Everyone in the main room (not in a breakout group), but `but`. */
function mainRoom(room: RoomData, but: string): Audience {
  if (!room.settings.breakouts) return { allBut: but };
  return { some: groupMembers(room, "").filter((m) => m.id !== but).map((m) => m.id) };
}

/**
 * The room grows to `count`: past the mesh's size it moves to the SFU (everyone
 * already in hears it before they hear of the newcomer, so nobody starts a
 * mesh connection to them); an SFU room that was down to two is no longer.
 */
function grown(
  room: RoomData,
  count: number,
  joiner: string,
  policy: RoomPolicy,
  out: Outcome,
): void {
  const path = [...out.changes].reverse().find((c) => c.op === "media");
  const media = path?.op === "media" ? path.media : room.media;
  // While breakout groups are open a newcomer comes into the main room: its own size counts.
  const split = room.settings.breakouts !== undefined;
  const size = split ? groupMembers(room, "").length + 1 : count;
  if (media.mode === "mesh" && policy.meshMax !== null && size > policy.meshMax) {
    out.changes.push({ op: "media", media: { mode: "sfu" } });
    out.events.push({ to: mainRoom(room, joiner), message: { type: "media-mode", mode: "sfu" } });
  } else if (media.mode === "sfu" && media.low !== undefined && size > 2) {
    out.changes.push({ op: "media", media: { mode: "sfu" } });
  }
}

/** The room shrinks to `rest`: empty, it starts afresh as a mesh; an SFU room down to two starts its clock. */
function shrunk(
  media: MediaPath,
  rest: number,
  now: number,
  out: Outcome,
  split = false,
): void {
  if (rest === 0 && media.mode !== "mesh") {
    out.changes.push({ op: "media", media: MESH });
  } else if (!split && rest > 0 && rest <= 2 && media.mode === "sfu" && media.low === undefined) {
    out.changes.push({ op: "media", media: { mode: "sfu", low: now } });
  }
}

/**
 * An SFU room that has been down to two for BACK_TO_MESH_MS goes back to peer
 * to peer (or at once with `force`: no SFU node is left, and the room is small
 * enough for a mesh). Everyone hears it; their browsers switch by themselves.
 */
export function settleMedia(
  room: RoomData,
  now: number,
  policy: RoomPolicy,
  force = false,
): Outcome {
  const out = nothing();
  const { media } = room;
  // While breakout groups are open each group keeps its path until they close; while the SFU
  // records, the room stays in it (unless no node is left: then the recording ends).
  if (media.mode !== "sfu" || room.members.length === 0 || room.settings.breakouts) return out;
  const recorded = room.settings.recording?.mode === "server";
  if (recorded && !force) return out;
  const calm = media.low !== undefined && now - media.low >= BACK_TO_MESH_MS &&
    room.members.length <= 2;
  const small = room.members.length <= (policy.meshMax ?? Infinity);
  if (!calm && !(force && small)) return out;
  if (recorded) changeSettings(settingsNow(room, out), { recording: undefined }, "", out);
  out.changes.push({ op: "media", media: MESH });
  out.events.push({ to: { all: true }, message: { type: "media-mode", mode: "mesh" } });
  return out;
}

/** Someone leaves (or their grace ended): the others are told; a host is found if none is left. */
export function leave(room: RoomData, id: string, policy: RoomPolicy, now = Date.now()): Outcome {
  const out = nothing();
  if (!room.members.some((m) => m.id === id)) return out;
  out.changes.push({ op: "remove", id });
  out.events.push({ to: othersInGroup(room, id), message: { type: "peer-left", id } });
  const rest = room.members.filter((m) => m.id !== id);
  if (rest.length > 0) {
    stopRecordingOf(room, id, out);
    leaveGroup(room, id, out);
  }
  shrunk(room.media, rest.length, now, out, room.settings.breakouts !== undefined);
  if (rest.length === 0) {
    // Nobody left to let the lobby in: turn it away, and the room starts afresh.
    for (const w of room.waiting) {
      out.changes.push({ op: "unknock", id: w.id });
      out.events.push({ kind: "deny", id: w.id, message: "Cannot join: everyone has left" });
    }
    out.changes.push({ op: "settings", settings: freshSettings(policy) });
  } else handOver(rest, policy, out);
  return out;
}

/** In an open room, when the last host is gone, the one present longest hosts. */
function handOver(rest: readonly Member[], policy: RoomPolicy, out: Outcome): void {
  if (policy.hosts !== "open" || rest.some((m) => m.role === "host")) return;
  const next: Member = { ...rest[0], role: "host" };
  out.changes.push({ op: "update", member: next });
  out.events.push({ to: { all: true }, message: { type: "role", id: next.id, role: "host" } });
}

/** Someone's microphone, camera or screen changed: the others are told. */
export function setState(room: RoomData, id: string, state: MediaState): Outcome {
  const out = nothing();
  const member = room.members.find((m) => m.id === id);
  if (!member) return out;
  out.changes.push({ op: "update", member: { ...member, state } });
  out.events.push({ to: othersInGroup(room, id), message: { type: "peer-state", id, state } });
  return out;
}

/**
 * Someone's hand went up (at `now`, the server's clock) or down: everyone
 * hears it, them too, so all show one order. Raising a raised hand changes
 * nothing: it keeps its place in the queue.
 */
export function setHand(room: RoomData, id: string, raised: boolean, now: number): Outcome {
  const out = nothing();
  const member = room.members.find((m) => m.id === id);
  if (!member || raised === (member.hand !== undefined)) return out;
  const { hand: _, ...rest } = member;
  out.changes.push({ op: "update", member: raised ? { ...rest, hand: now } : rest });
  out.events.push({
    to: everyoneInGroup(room, id),
    message: { type: "hand", id, raised, ...(raised ? { at: now } : {}) },
  });
  return out;
}

/** A waiting guest left before anyone let them in. */
export function cancelKnock(room: RoomData, id: string): Outcome {
  const out = nothing();
  if (!room.waiting.some((w) => w.id === id)) return out;
  out.changes.push({ op: "unknock", id });
  out.events.push({ to: { hosts: true }, message: { type: "knock-cancelled", id } });
  return out;
}

/** A host's action, or why it cannot be done. */
export function moderate(
  room: RoomData,
  by: string,
  action: ModerateAction,
  to: string | undefined,
  policy: RoomPolicy,
): Refusal | (Outcome & { ok: true }) {
  const host = room.members.find((m) => m.id === by);
  if (policy.hosts === "off" || host?.role !== "host") {
    return refuse(ErrorCode.Forbidden, `Cannot ${action}: only a host can`);
  }
  const out = nothing();
  const done = () => ({ ok: true as const, ...out });
  const member = room.members.find((m) => m.id === to);
  const waiting = room.waiting.find((w) => w.id === to);
  const unknown = () =>
    refuse(ErrorCode.UnknownPeer, `Cannot ${action}: no such peer in this room`);
  const settings = (change: Partial<RoomSettings>) =>
    changeSettings(settingsNow(room, out), change, by, out);
  switch (action) {
    case "mute":
    case "stop-video":
      if (!member) return unknown();
      out.events.push({ to: { only: member.id }, message: { type: "moderated", action, by } });
      return done();
    case "mute-all":
      for (const m of room.members) {
        if (m.id !== by) {
          out.events.push({
            to: { only: m.id },
            message: { type: "moderated", action: "mute", by },
          });
        }
      }
      return done();
    case "remove":
      if (!member) return unknown();
      stopRecordingOf(room, member.id, out);
      leaveGroup(room, member.id, out);
      out.changes.push({ op: "remove", id: member.id });
      // "removed" reaches them before the others hear that they left.
      out.events.push({ kind: "kick", id: member.id, by });
      out.events.push({
        to: othersInGroup(room, member.id),
        message: { type: "peer-left", id: member.id },
      });
      handOver(room.members.filter((m) => m.id !== member.id), policy, out);
      shrunk(
        room.media,
        room.members.length - 1,
        Date.now(),
        out,
        room.settings.breakouts !== undefined,
      );
      return done();
    case "promote":
      if (!member) return unknown();
      if (member.role !== "host") {
        out.changes.push({ op: "update", member: { ...member, role: "host" } });
        out.events.push({
          to: { all: true },
          message: { type: "role", id: member.id, role: "host" },
        });
      }
      return done();
    case "lower-hand": {
      if (!member) return unknown();
      const lowered = setHand(room, member.id, false, 0);
      out.changes.push(...lowered.changes);
      out.events.push(...lowered.events);
      return done();
    }
    case "lock":
    case "unlock":
      settings({ locked: action === "lock" });
      return done();
    case "lobby-on":
      settings({ lobby: true });
      return done();
    case "lobby-off": {
      settings({ lobby: false });
      // Nobody waits for a lobby that is gone: in as far as there is room.
      const seated = [...room.members];
      for (const w of room.waiting) {
        if (seated.length < policy.maxPeers) admitOne(w, seated, out, room, policy);
        else denyOne(w, "Cannot join: room is full", out);
      }
      return done();
    }
    case "admit":
      if (!waiting) return unknown();
      if (room.members.length >= policy.maxPeers) {
        return refuse(ErrorCode.RoomFull, `Cannot admit: room is full (${policy.maxPeers} peers)`);
      }
      admitOne(waiting, [...room.members], out, room, policy);
      return done();
    case "deny":
      if (!waiting) return unknown();
      denyOne(waiting, "Cannot join: a host turned you away", out);
      return done();
    case "record-start": {
      // Starting again changes nothing.
      if (room.settings.recording) return done();
      const since = Date.now();
      const consent = policy.recordingConsent ? { consent: true as const } : {};
      if (!policy.recordOnServer?.()) {
        settings({ recording: { by, mode: "browser", since, ...consent } });
        return done();
      }
      // The SFU records what goes through it: a mesh room moves there first, as a big one would.
      const id = `${new Date(since).toISOString().replace(/\D/g, "").slice(0, 14)}-${
        crypto.randomUUID().replaceAll("-", "").slice(0, 12)
      }`;
      settings({ recording: { by, mode: "server", id, since, ...consent } });
      if (room.media.mode === "mesh") {
        out.events.push({ to: mainRoom(room, ""), message: { type: "media-mode", mode: "sfu" } });
      }
      if (room.media.mode === "mesh" || room.media.low !== undefined) {
        out.changes.push({ op: "media", media: { mode: "sfu" } });
      }
      return done();
    }
    case "record-stop":
      if (room.settings.recording) settings({ recording: undefined });
      afterServerRecording(room, out);
      return done();
    case "end":
      for (const m of room.members) out.changes.push({ op: "remove", id: m.id });
      for (const w of room.waiting) out.changes.push({ op: "unknock", id: w.id });
      out.changes.push({ op: "settings", settings: freshSettings(policy) });
      if (room.media.mode !== "mesh") out.changes.push({ op: "media", media: MESH });
      out.events.push({ kind: "end", by });
      return done();
  }
}

/**
 * `id` is leaving: a recording in their browser goes with them, and one
 * with no host left to stop it ends.
 */
function stopRecordingOf(room: RoomData, id: string, out: Outcome): void {
  const recording = room.settings.recording;
  if (!recording) return;
  const hostLeft = room.members.some((m) => m.id !== id && m.role === "host");
  if ((recording.mode === "browser" && recording.by === id) || !hostLeft) {
    changeSettings(settingsNow(room, out), { recording: undefined }, id, out);
    afterServerRecording({ ...room, members: room.members.filter((m) => m.id !== id) }, out);
  }
}

/** What became of a server recording, for the room's hosts: its file, or why there is none. */
export type RecordingNews =
  | { ready: RecordingReadyMessage }
  | { failed: string };

/**
 * News of server recording `id` reaches the hosts (a file is ready, or it
 * failed); a failure ends the recording if it still runs (a full disk, its
 * size limit).
 */
export function recordingNews(room: RoomData, id: string, news: RecordingNews): Outcome {
  const out = nothing();
  if ("failed" in news && room.settings.recording?.id === id) {
    changeSettings(settingsNow(room, out), { recording: undefined }, "", out);
    afterServerRecording(room, out);
  }
  out.events.push({
    to: { hosts: true },
    message: "ready" in news
      ? news.ready
      : { type: "error", code: ErrorCode.RecordingFailed, message: news.failed },
  });
  return out;
}

/**
 * A server recording ended: an SFU room that it alone kept there (two people
 * or fewer) starts its clock back to the mesh.
 */
function afterServerRecording(room: RoomData, out: Outcome): void {
  if (room.settings.recording?.mode !== "server") return;
  const { media } = room;
  if (media.mode === "sfu" && media.low === undefined && room.members.length <= 2) {
    out.changes.push({ op: "media", media: { mode: "sfu", low: Date.now() } });
  }
}

/** Lets a waiting guest in; `seated` is everyone in before them (it grows by them). */
function admitOne(
  w: Waiting,
  seated: Member[],
  out: Outcome,
  room: RoomData,
  policy: RoomPolicy,
): void {
  const member: Member = {
    id: w.id,
    name: w.name,
    state: { ...INITIAL_STATE },
    role: "guest",
    ...(w.media ? { media: w.media } : {}),
  };
  out.changes.push({ op: "unknock", id: w.id }, { op: "add", member });
  // Several let in at once: the room's path so far in this step decides (grown reads it).
  grown(room, seated.length + 1, w.id, policy, out);
  // Into the main room: those in breakout groups neither see them nor connect to them.
  const main = seated.filter((m) => groupOf(room.settings, m.id) === "");
  out.events.push(
    { kind: "admit", id: w.id, member, peers: main },
    { to: { hosts: true }, message: { type: "knock-cancelled", id: w.id } },
    {
      to: room.settings.breakouts ? { some: main.map((m) => m.id) } : { allBut: w.id },
      message: { type: "peer-joined", peer: member },
    },
  );
  seated.push(member);
}

function denyOne(w: Waiting, message: string, out: Outcome): void {
  out.changes.push({ op: "unknock", id: w.id });
  out.events.push({ kind: "deny", id: w.id, message });
  out.events.push({ to: { hosts: true }, message: { type: "knock-cancelled", id: w.id } });
}
