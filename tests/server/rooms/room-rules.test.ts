/** The room rules alone: pure decisions, the same for the memory and the Redis registry. */
import assert from "node:assert/strict";
import type { ModerateAction, Role } from "../../../protocol/messages.ts";
import * as rules from "../../../server/rooms/room-rules.ts";

const OPEN: rules.RoomPolicy = { maxPeers: 3, hosts: "open", lobby: false, meshMax: null };
const TOKENS: rules.RoomPolicy = { ...OPEN, hosts: "tokens" };
const OFF: rules.RoomPolicy = { ...OPEN, hosts: "off" };

const member = (id: string, role: Role = "guest"): rules.Member => ({
  id,
  name: id.toUpperCase(),
  state: { audio: false, video: false, screen: false },
  role,
});
const room = (
  members: rules.Member[],
  settings: Partial<rules.RoomData["settings"]> = {},
  waiting: rules.Waiting[] = [],
  media: rules.MediaPath = rules.MESH,
): rules.RoomData => ({
  members,
  settings: { ...rules.DEFAULT_SETTINGS, ...settings },
  waiting,
  media,
});
const joiner = (id: string) => ({ id, name: id.toUpperCase() });
const noticesOf = (o: rules.Outcome) => o.events.filter(rules.isNotice);
const effectsOf = (o: rules.Outcome) =>
  o.events.filter((e) => !rules.isNotice(e)) as rules.Effect[];
const typesOf = (o: rules.Outcome) => noticesOf(o).map((n) => n.message.type);

Deno.test("join: the first person in an open room hosts; the others are guests; the others hear", () => {
  const first = rules.join(rules.EMPTY_ROOM, joiner("a"), undefined, OPEN);
  assert.ok(first.ok && first.member);
  assert.equal(first.member.role, "host");
  const second = rules.join(room([member("a", "host")]), joiner("b"), "host", OPEN);
  assert.ok(second.ok && second.member);
  assert.equal(second.member.role, "guest", "a claim means nothing in an open room");
  assert.deepEqual(noticesOf(second), [{
    to: { allBut: "b" },
    message: { type: "peer-joined", peer: second.member },
  }]);
  const full = rules.join(
    room([member("a"), member("b"), member("c")]),
    joiner("d"),
    undefined,
    OPEN,
  );
  assert.ok(!full.ok);
  assert.equal(full.code, "room-full");
});

Deno.test("join with tokens: the claim decides; with hosts off, nobody hosts", () => {
  const host = rules.join(room([member("a")]), joiner("h"), "host", TOKENS);
  assert.ok(host.ok && host.member?.role === "host");
  const first = rules.join(rules.EMPTY_ROOM, joiner("g"), undefined, TOKENS);
  assert.ok(first.ok && first.member?.role === "guest", "no token claim: a guest, even first");
  const off = rules.join(rules.EMPTY_ROOM, joiner("a"), "host", OFF);
  assert.ok(off.ok && off.member?.role === "guest");
});

Deno.test("a locked room refuses guests, not hosts; the lobby holds guests and tells hosts", () => {
  const locked = room([member("a", "host")], { locked: true });
  const guest = rules.join(locked, joiner("g"), undefined, TOKENS);
  assert.ok(!guest.ok);
  assert.equal(guest.code, "room-locked");
  assert.ok(rules.join(locked, joiner("h"), "host", TOKENS).ok);
  const lobby = room([member("a", "host")], { lobby: true });
  const knock = rules.join(lobby, joiner("g"), undefined, TOKENS);
  assert.ok(knock.ok);
  assert.equal(knock.member, null, "not seated");
  assert.deepEqual(knock.changes, [{ op: "knock", knock: { id: "g", name: "G" } }]);
  assert.deepEqual(noticesOf(knock), [{
    to: { hosts: true },
    message: { type: "knock", peer: { id: "g", name: "G" } },
  }]);
  const hostIn = rules.join(lobby, joiner("h"), "host", TOKENS);
  assert.ok(hostIn.ok && hostIn.member, "hosts skip the lobby");
  // LOBBY=on: a new room starts with it.
  const fresh = rules.join(rules.EMPTY_ROOM, joiner("a"), undefined, { ...OPEN, lobby: true });
  assert.ok(fresh.ok && fresh.member?.role === "host");
  assert.deepEqual(fresh.changes[0], { op: "settings", settings: { locked: false, lobby: true } });
});

Deno.test("leave: the others hear; when the last host leaves an open room, the longest present hosts", () => {
  const r = room([member("h", "host"), member("b"), member("c")]);
  const out = rules.leave(r, "h", OPEN);
  assert.deepEqual(out.changes, [{ op: "remove", id: "h" }, {
    op: "update",
    member: member("b", "host"),
  }]);
  assert.deepEqual(typesOf(out), ["peer-left", "role"]);
  assert.deepEqual(noticesOf(out)[1], {
    to: { all: true },
    message: { type: "role", id: "b", role: "host" },
  });
  assert.deepEqual(
    rules.leave(r, "b", OPEN).changes,
    [{ op: "remove", id: "b" }],
    "a host remains",
  );
  assert.deepEqual(
    rules.leave(r, "h", TOKENS).changes,
    [{ op: "remove", id: "h" }],
    "tokens decide",
  );
  assert.deepEqual(rules.leave(r, "x", OPEN), { changes: [], events: [] });
});

Deno.test("the last one out turns the lobby away and the room starts afresh", () => {
  const r = room([member("h", "host")], { lobby: true, locked: true }, [{ id: "g", name: "G" }]);
  const out = rules.leave(r, "h", OPEN);
  assert.deepEqual(effectsOf(out), [{
    kind: "deny",
    id: "g",
    message: "Cannot join: everyone has left",
  }]);
  assert.deepEqual(rules.applyChanges(r, out.changes), rules.EMPTY_ROOM);
});

Deno.test("moderate: guests are forbidden; targets must be in the room", () => {
  const r = room([member("h", "host"), member("g")], {}, [{ id: "w", name: "W" }]);
  for (const action of ["mute", "lock", "end"] as const) {
    const out = rules.moderate(r, "g", action, "h", OPEN);
    assert.ok(!out.ok);
    assert.equal(out.code, "forbidden");
  }
  const off = rules.moderate(r, "h", "lock", undefined, OFF);
  assert.ok(!off.ok && off.code === "forbidden", "no hosts at all");
  for (const action of ["mute", "stop-video", "remove", "promote"] as const) {
    const out = rules.moderate(r, "h", action, "nobody", OPEN);
    assert.ok(!out.ok && out.code === "unknown-peer", action);
    const waiting = rules.moderate(r, "h", action, "w", OPEN);
    assert.ok(!waiting.ok && waiting.code === "unknown-peer", `${action}: a waiting id`);
  }
  for (const action of ["admit", "deny"] as const) {
    const out = rules.moderate(r, "h", action, "g", OPEN);
    assert.ok(!out.ok && out.code === "unknown-peer", `${action} is for the lobby only`);
  }
});

Deno.test("moderate: mute, stop video, mute all, promote", () => {
  const r = room([member("h", "host"), member("a"), member("b")]);
  const mute = rules.moderate(r, "h", "mute", "a", OPEN);
  assert.ok(mute.ok);
  assert.deepEqual(noticesOf(mute), [{
    to: { only: "a" },
    message: { type: "moderated", action: "mute", by: "h" },
  }]);
  const video = rules.moderate(r, "h", "stop-video", "b", OPEN);
  assert.ok(video.ok && noticesOf(video)[0].message.type === "moderated");
  const all = rules.moderate(r, "h", "mute-all", undefined, OPEN);
  assert.ok(all.ok);
  assert.deepEqual(noticesOf(all).map((n) => n.to), [{ only: "a" }, { only: "b" }]);
  const promote = rules.moderate(r, "h", "promote", "a", OPEN);
  assert.ok(promote.ok);
  assert.deepEqual(promote.changes, [{ op: "update", member: member("a", "host") }]);
  assert.deepEqual(typesOf(promote), ["role"]);
});

Deno.test("moderate: remove kicks the person out and tells the others", () => {
  const r = room([member("h", "host"), member("a")]);
  const out = rules.moderate(r, "h", "remove", "a", OPEN);
  assert.ok(out.ok);
  assert.deepEqual(out.changes, [{ op: "remove", id: "a" }]);
  // "removed" reaches the person before the others hear that they left.
  assert.deepEqual(out.events, [
    { kind: "kick", id: "a", by: "h" },
    { to: { allBut: "a" }, message: { type: "peer-left", id: "a" } },
  ]);
});

Deno.test("lobby off lets two in at once: the second's peers include the first", () => {
  const r = room([member("h", "host")], { lobby: true }, [
    { id: "w1", name: "W1" },
    { id: "w2", name: "W2" },
  ]);
  const off = rules.moderate(r, "h", "lobby-off", undefined, OPEN);
  assert.ok(off.ok);
  const admits = effectsOf(off).filter((e) => e.kind === "admit") as Extract<
    rules.Effect,
    { kind: "admit" }
  >[];
  assert.deepEqual(admits.map((a) => a.peers.map((p) => p.id)), [["h"], ["h", "w1"]]);
  // Each admission comes before the news of it, and before the next admission.
  assert.deepEqual(
    off.events.map((e) => rules.isNotice(e) ? e.message.type : e.kind),
    [
      "room-settings",
      "admit",
      "knock-cancelled",
      "peer-joined",
      "admit",
      "knock-cancelled",
      "peer-joined",
    ],
  );
});

Deno.test("moderate: lock and the lobby change settings for everyone; lobby off lets the waiting in", () => {
  const r = room([member("h", "host"), member("a")], { lobby: true }, [
    { id: "w1", name: "W1" },
    { id: "w2", name: "W2" },
  ]);
  const lock = rules.moderate(r, "h", "lock", undefined, OPEN);
  assert.ok(lock.ok);
  assert.deepEqual(noticesOf(lock), [{
    to: { all: true },
    message: { type: "room-settings", locked: true, lobby: true, by: "h" },
  }]);
  // Lobby off with room for one more (3 seats): w1 in, w2 turned away.
  const off = rules.moderate(r, "h", "lobby-off", undefined, OPEN);
  assert.ok(off.ok);
  assert.deepEqual(effectsOf(off).map((e) => [e.kind, "id" in e ? e.id : ""]), [
    ["admit", "w1"],
    ["deny", "w2"],
  ]);
  const after = rules.applyChanges(r, off.changes);
  assert.deepEqual(after.members.map((m) => m.id), ["h", "a", "w1"]);
  assert.deepEqual(after.waiting, []);
  assert.equal(after.settings.lobby, false);
});

Deno.test("moderate: admit seats a waiting guest; deny turns them away; room-full holds", () => {
  const r = room([member("h", "host")], { lobby: true }, [{ id: "w", name: "W" }]);
  const admit = rules.moderate(r, "h", "admit", "w", OPEN);
  assert.ok(admit.ok);
  assert.deepEqual(typesOf(admit), ["knock-cancelled", "peer-joined"]);
  assert.equal(effectsOf(admit)[0].kind, "admit");
  assert.deepEqual(rules.applyChanges(r, admit.changes).members.map((m) => m.role), [
    "host",
    "guest",
  ]);
  const deny = rules.moderate(r, "h", "deny", "w", OPEN);
  assert.ok(deny.ok);
  assert.deepEqual(effectsOf(deny), [{
    kind: "deny",
    id: "w",
    message: "Cannot join: a host turned you away",
  }]);
  const full = room([member("h", "host"), member("a"), member("b")], { lobby: true }, [{
    id: "w",
    name: "W",
  }]);
  const refused = rules.moderate(full, "h", "admit", "w", OPEN);
  assert.ok(!refused.ok && refused.code === "room-full");
});

Deno.test("moderate: end removes everyone, turns the lobby away, and frees the room", () => {
  const r = room([member("h", "host"), member("a")], { locked: true }, [{ id: "w", name: "W" }]);
  const out = rules.moderate(r, "h", "end", undefined, OPEN);
  assert.ok(out.ok);
  assert.deepEqual(effectsOf(out), [{ kind: "end", by: "h" }]);
  assert.deepEqual(rules.applyChanges(r, out.changes), rules.EMPTY_ROOM);
});

Deno.test("a waiting guest who leaves is gone from the hosts' list", () => {
  const r = room([member("h", "host")], { lobby: true }, [{ id: "w", name: "W" }]);
  const out = rules.cancelKnock(r, "w");
  assert.deepEqual(out.changes, [{ op: "unknock", id: "w" }]);
  assert.deepEqual(noticesOf(out), [{
    to: { hosts: true },
    message: { type: "knock-cancelled", id: "w" },
  }]);
  assert.deepEqual(rules.cancelKnock(r, "x"), { changes: [], events: [] });
});

Deno.test("state, audiences", () => {
  const state = { audio: true, video: false, screen: false };
  const s = rules.setState(room([member("a"), member("b")]), "b", state);
  assert.deepEqual(s.changes, [{ op: "update", member: { ...member("b"), state } }]);
  assert.deepEqual(noticesOf(s)[0].to, { allBut: "b" });
  assert.ok(rules.hears({ hosts: true }, { id: "x", role: "host" }));
  assert.ok(!rules.hears({ hosts: true }, { id: "x", role: "guest" }));
  assert.ok(rules.hears({ allBut: "a" }, { id: "b" }));
  assert.ok(!rules.hears({ only: "a" }, { id: "b" }));
});

Deno.test("hands: up at a time, heard by all; up again keeps its place; down drops it", () => {
  const r0 = room([member("a", "host"), member("b")]);
  const up = rules.setHand(r0, "b", true, 1000);
  assert.deepEqual(noticesOf(up), [{
    to: { all: true },
    message: { type: "hand", id: "b", raised: true, at: 1000 },
  }]);
  const r1 = rules.applyChanges(r0, up.changes);
  assert.equal(r1.members.find((m) => m.id === "b")!.hand, 1000);
  assert.deepEqual(rules.setHand(r1, "b", true, 2000), { changes: [], events: [] });
  const down = rules.setHand(r1, "b", false, 3000);
  assert.deepEqual(noticesOf(down).map((n) => n.message), [
    { type: "hand", id: "b", raised: false },
  ]);
  const r2 = rules.applyChanges(r1, down.changes);
  assert.ok(!("hand" in r2.members.find((m) => m.id === "b")!));
  assert.deepEqual(rules.setHand(r2, "b", false, 4000), { changes: [], events: [] });
  assert.deepEqual(rules.setHand(r2, "nobody", true, 4000), { changes: [], events: [] });
});

Deno.test("hands: a host lowers someone's hand; a guest may not; the target must be seated", () => {
  const r = rules.applyChanges(
    room([member("a", "host"), member("b"), member("c")]),
    rules.setHand(room([member("a", "host"), member("b"), member("c")]), "b", true, 5).changes,
  );
  const lowered = rules.moderate(r, "a", "lower-hand", "b", OPEN);
  assert.ok(lowered.ok);
  assert.deepEqual(typesOf(lowered), ["hand"]);
  const refused = rules.moderate(r, "c", "lower-hand", "b", OPEN);
  assert.ok(!refused.ok && refused.code === "forbidden");
  const unknown = rules.moderate(r, "a", "lower-hand", "zed", OPEN);
  assert.ok(!unknown.ok && unknown.code === "unknown-peer");
});

const SFU: rules.RoomPolicy = { maxPeers: 50, hosts: "open", lobby: false, meshMax: 3 };
const people = (n: number) => Array.from({ length: n }, (_, i) => member(`p${i}`));

Deno.test("media: a join past MESH_MAX moves the room to the SFU, told before the newcomer", () => {
  const fits = rules.join(room(people(2)), joiner("c"), undefined, SFU);
  assert.ok(fits.ok);
  assert.equal(rules.applyChanges(room(people(2)), fits.changes).media.mode, "mesh");
  const grows = rules.join(room(people(3)), joiner("d"), undefined, SFU);
  assert.ok(grows.ok);
  assert.deepEqual(rules.applyChanges(room(people(3)), grows.changes).media, { mode: "sfu" });
  assert.deepEqual(typesOf(grows), ["media-mode", "peer-joined"], "mode first: no mesh to d");
  assert.deepEqual(noticesOf(grows)[0], {
    to: { allBut: "d" },
    message: { type: "media-mode", mode: "sfu" },
  });
  const noSfu = rules.join(room(people(3)), joiner("d"), undefined, { ...SFU, meshMax: null });
  assert.ok(noSfu.ok);
  assert.deepEqual(typesOf(noSfu), ["peer-joined"], "without an SFU the mesh is all there is");
});

Deno.test("media: down to two for 10 s goes back to the mesh; a join meanwhile stops the clock", () => {
  const inSfu = room(people(3), {}, [], { mode: "sfu" });
  const left = rules.leave(inSfu, "p2", SFU, 1000);
  const after = rules.applyChanges(inSfu, left.changes);
  assert.deepEqual(after.media, { mode: "sfu", low: 1000 });
  assert.deepEqual(rules.settleMedia(after, 1000 + 9999, SFU).changes, [], "not yet");
  const settled = rules.settleMedia(after, 1000 + rules.BACK_TO_MESH_MS, SFU);
  assert.deepEqual(rules.applyChanges(after, settled.changes).media, rules.MESH);
  assert.deepEqual(noticesOf(settled), [{
    to: { all: true },
    message: { type: "media-mode", mode: "mesh" },
  }]);
  // Someone joins within the 10 s: three again, the room stays in the SFU.
  const back = rules.join(after, joiner("q"), undefined, SFU);
  assert.ok(back.ok);
  const three = rules.applyChanges(after, back.changes);
  assert.deepEqual(three.media, { mode: "sfu" });
  assert.deepEqual(rules.settleMedia(three, 1000 + 60_000, SFU).changes, []);
});

Deno.test("media: an empty room starts afresh as a mesh; with no SFU node a small room falls back", () => {
  const two = room(people(2), {}, [], { mode: "sfu", low: 5 });
  let r = rules.applyChanges(two, rules.leave(two, "p0", SFU, 10).changes);
  r = rules.applyChanges(r, rules.leave(r, "p1", SFU, 10).changes);
  assert.deepEqual(r.media, rules.MESH);
  const three = room(people(3), {}, [], { mode: "sfu" });
  assert.deepEqual(rules.settleMedia(three, 0, SFU).changes, [], "three is not two");
  const forced = rules.settleMedia(three, 0, SFU, true);
  assert.deepEqual(rules.applyChanges(three, forced.changes).media, rules.MESH);
  const big = room(people(5), {}, [], { mode: "sfu" });
  assert.deepEqual(rules.settleMedia(big, 0, SFU, true).changes, [], "too big for a mesh");
});

Deno.test("recording: a host starts and stops it, everyone hears who; a guest may not", () => {
  const r = room([member("h", "host"), member("a"), member("b")]);
  const refused = rules.moderate(r, "a", "record-start", undefined, OPEN);
  assert.ok(!refused.ok);
  assert.equal(refused.code, "forbidden");
  assert.equal(refused.message, "Cannot record-start: only a host can");

  const start = rules.moderate(r, "h", "record-start", undefined, OPEN);
  assert.ok(start.ok);
  const recording = rules.applyChanges(r, start.changes).settings.recording!;
  assert.equal(recording.by, "h");
  assert.equal(recording.mode, "browser");
  assert.deepEqual(noticesOf(start), [{
    to: { all: true },
    message: { type: "room-settings", locked: false, lobby: false, recording, by: "h" },
  }]);
  const on = rules.applyChanges(r, start.changes);
  // Starting again changes nothing; stopping tells everyone, and the field is gone.
  assert.deepEqual(rules.moderate(on, "h", "record-start", undefined, OPEN), {
    ok: true,
    changes: [],
    events: [],
  });
  const stop = rules.moderate(on, "h", "record-stop", undefined, OPEN);
  assert.ok(stop.ok);
  assert.deepEqual(rules.applyChanges(on, stop.changes).settings, { locked: false, lobby: false });
  assert.deepEqual(noticesOf(stop).map((n) => n.message), [
    { type: "room-settings", locked: false, lobby: false, by: "h" },
  ]);
});

/** The room after a host's action that the rules allow. */
function after(r: rules.RoomData, by: string, action: ModerateAction, policy: rules.RoomPolicy) {
  const out = rules.moderate(r, by, action, undefined, policy);
  assert.ok(out.ok);
  return rules.applyChanges(r, out.changes);
}

Deno.test("recording: it ends with the recorder leaving or removed, or with the last host", () => {
  const two = room([member("h", "host"), member("g", "host"), member("a")]);
  const on = after(two, "h", "record-start", OPEN);
  // Another host leaving: the recording in h's browser goes on.
  const otherLeft = rules.leave(on, "g", OPEN);
  assert.ok(rules.applyChanges(on, otherLeft.changes).settings.recording);
  // The recorder leaving ends it, told as their doing.
  const left = rules.leave(on, "h", OPEN);
  assert.equal(rules.applyChanges(on, left.changes).settings.recording, undefined);
  assert.ok(
    noticesOf(left).some((n) => n.message.type === "room-settings" && n.message.by === "h"),
  );
  // The recorder removed by another host: the same.
  const removed = rules.moderate(on, "g", "remove", "h", OPEN);
  assert.ok(removed.ok);
  assert.equal(rules.applyChanges(on, removed.changes).settings.recording, undefined);
  // With tokens (no hand-over), the last host leaving ends one started by a host who is gone.
  const tokened = room([member("h", "host"), member("a")]);
  const rec = after(tokened, "h", "record-start", TOKENS);
  const last = rules.leave(
    {
      ...rec,
      settings: { ...rec.settings, recording: { ...rec.settings.recording!, by: "gone" } },
    },
    "h",
    TOKENS,
  );
  assert.equal(rules.applyChanges(rec, last.changes).settings.recording, undefined);
});

Deno.test("recording: with RECORDING_CONSENT=required, the recording says guests are asked first", () => {
  const r = room([member("h", "host"), member("a")]);
  assert.equal(after(r, "h", "record-start", OPEN).settings.recording?.consent, undefined);
  const asked = after(r, "h", "record-start", { ...OPEN, recordingConsent: true });
  assert.equal(asked.settings.recording?.consent, true);
});

Deno.test("server recording: the SFU records; a mesh room moves there first and stays while it runs", () => {
  const SERVER: rules.RoomPolicy = { ...OPEN, maxPeers: 8, meshMax: 4, recordOnServer: () => true };
  const r = room([member("h", "host"), member("a"), member("b")]);
  const start = rules.moderate(r, "h", "record-start", undefined, SERVER);
  assert.ok(start.ok);
  const on = rules.applyChanges(r, start.changes);
  assert.equal(on.settings.recording?.mode, "server");
  assert.match(on.settings.recording?.id ?? "", /^\d{14}-[0-9a-f]{12}$/);
  assert.deepEqual(on.media, { mode: "sfu" });
  // Everyone hears of the recording before their media moves (so it is recorded from the start).
  assert.deepEqual(typesOf(start), ["room-settings", "media-mode"]);
  assert.deepEqual(noticesOf(start)[1], {
    to: { allBut: "" },
    message: { type: "media-mode", mode: "sfu" },
  });
  // Down to two it stays in the SFU while recorded, even when its clock ran out…
  const two = rules.applyChanges(on, rules.leave(on, "b", SERVER).changes);
  const calm = { ...two, media: { mode: "sfu" as const, low: 0 } };
  assert.deepEqual(rules.settleMedia(calm, 60_000, SERVER).changes, []);
  // …and once stopped, its clock starts back to the mesh.
  const stop = rules.moderate(two, "h", "record-stop", undefined, SERVER);
  assert.ok(stop.ok);
  const stopped = rules.applyChanges(two, stop.changes);
  assert.equal(stopped.settings.recording, undefined);
  assert.equal(stopped.media.mode, "sfu");
  assert.ok(stopped.media.low !== undefined, "the clock back to the mesh runs");
  // No node left: back to the mesh at once, and the recording ends (told to everyone).
  const forced = rules.settleMedia(two, 0, SERVER, true);
  const after = rules.applyChanges(two, forced.changes);
  assert.deepEqual(after.media, rules.MESH);
  assert.equal(after.settings.recording, undefined);
  assert.deepEqual(typesOf(forced), ["room-settings", "media-mode"]);
  // Without a node or room on the disk (recordOnServer false), the host's browser records.
  const browser = rules.moderate(r, "h", "record-start", undefined, {
    ...SERVER,
    recordOnServer: () => false,
  });
  assert.ok(browser.ok);
  assert.equal(rules.applyChanges(r, browser.changes).settings.recording?.mode, "browser");
  assert.deepEqual(rules.applyChanges(r, browser.changes).media, rules.MESH);
});

Deno.test("server recording: it outlives its starter while a host is left; the last host ends it", () => {
  const SERVER: rules.RoomPolicy = { ...OPEN, maxPeers: 8, meshMax: 4, recordOnServer: () => true };
  const r = room([member("h", "host"), member("g", "host"), member("a")]);
  const on = after(r, "h", "record-start", SERVER);
  const starterLeft = rules.applyChanges(on, rules.leave(on, "h", SERVER).changes);
  assert.equal(starterLeft.settings.recording?.mode, "server", "another host is still there");
  const lastLeft = rules.applyChanges(
    starterLeft,
    rules.leave(starterLeft, "g", SERVER).changes,
  );
  assert.equal(lastLeft.settings.recording, undefined);
});

Deno.test("server recording news: its file goes to hosts only; a failure also ends it", () => {
  const SERVER: rules.RoomPolicy = { ...OPEN, maxPeers: 8, meshMax: 4, recordOnServer: () => true };
  const on = after(room([member("h", "host"), member("a")]), "h", "record-start", SERVER);
  const id = on.settings.recording!.id!;
  const ready = {
    type: "recording-ready" as const,
    url: `/recordings/${id}/meeting.webm?expires=1&sig=x`,
    bytes: 10,
    durationMs: 1000,
    mode: "server" as const,
    people: [],
  };
  const news = rules.recordingNews(on, id, { ready });
  assert.deepEqual(news.changes, [], "a file made changes nothing of the room");
  assert.deepEqual(noticesOf(news), [{ to: { hosts: true }, message: ready }]);
  const failed = rules.recordingNews(on, id, { failed: "Cannot keep recording: the disk is full" });
  const ended = rules.applyChanges(on, failed.changes);
  assert.equal(ended.settings.recording, undefined);
  assert.deepEqual(noticesOf(failed).at(-1), {
    to: { hosts: true },
    message: {
      type: "error",
      code: "recording-failed",
      message: "Cannot keep recording: the disk is full",
    },
  });
  // News of an older recording leaves a newer one running.
  const other = rules.recordingNews(on, "20200101000000-000000000000", { failed: "x" });
  assert.equal(rules.applyChanges(on, other.changes).settings.recording?.id, id);
});
