/** Breakout groups in the room rules alone: pure decisions, the same for both registries. */
import assert from "node:assert/strict";
import type { BreakoutMessage, Role, ServerMessage } from "../../../protocol/messages.ts";
import * as rules from "../../../server/rooms/room-rules.ts";

const POLICY: rules.RoomPolicy = { maxPeers: 10, hosts: "open", lobby: false, meshMax: 4 };
const member = (id: string, role: Role = "guest"): rules.Member => ({
  id,
  name: id.toUpperCase(),
  state: { audio: false, video: false, screen: false },
  role,
});
const room = (ids: string[], media: rules.MediaPath = rules.MESH): rules.RoomData => ({
  members: ids.map((id, i) => member(id, i === 0 ? "host" : "guest")),
  settings: rules.DEFAULT_SETTINGS,
  waiting: [],
  media,
});
const noticesOf = (o: rules.Outcome) => o.events.filter(rules.isNotice);
/** Who hears each notice (the room as the outcome leaves it), as `type → ids`. */
function heard(r: rules.RoomData, o: rules.Outcome): Array<[string, string[], ServerMessage]> {
  const now = rules.applyChanges(r, o.changes);
  return noticesOf(o).map((n) => [
    n.message.type,
    now.members.filter((m) => rules.hears(n.to, m, now)).map((m) => m.id),
    n.message,
  ]);
}
function act(r: rules.RoomData, by: string, msg: BreakoutMessage, now = 1000) {
  const out = rules.breakout(r, by, msg, POLICY, now);
  assert.ok(out.ok, JSON.stringify(out));
  return { out, room: rules.applyChanges(r, out.changes) };
}
const byHand: BreakoutMessage = {
  type: "breakout",
  action: "open",
  assign: "hand",
  rooms: [{ name: "Red", people: ["a", "b"] }, { name: "Blue", people: ["c"] }],
};

Deno.test("breakouts: a host opens groups by hand; movers hear their group, the rest hear moves, not goodbyes", () => {
  const r = room(["h", "a", "b", "c"]);
  const { out, room: split } = act(r, "h", byHand);
  assert.deepEqual(split.settings.breakouts, {
    rooms: [{ id: "g1", name: "Red", people: ["a", "b"] }, {
      id: "g2",
      name: "Blue",
      people: ["c"],
    }],
  });
  const said = heard(r, out);
  assert.equal(said[0][0], "room-settings");
  assert.deepEqual(said[0][1], ["h", "a", "b", "c"], "everyone learns the groups");
  // The host, who stays, sees each of them go as a move.
  for (const id of ["a", "b", "c"]) {
    assert.ok(
      said.some(([type, to, m]) =>
        type === "peer-left" && m.type === "peer-left" && m.id === id && m.moved &&
        to.join() === "h"
      ),
    );
  }
  const moved = said.filter(([type]) => type === "moved");
  assert.deepEqual(
    moved.map((
      [, to, m],
    ) => [
      to.join(),
      m.type === "moved" && m.room,
      m.type === "moved" && m.peers.map((p) => p.id).join(),
    ]),
    [["a", "g1", "b"], ["b", "g1", "a"], ["c", "g2", ""]],
  );
  assert.ok(!said.some(([type]) => type === "peer-joined"), "movers learn their group from moved");
  // In the groups: a state change, a hand, a chat line reach one's own group only.
  const state = rules.setState(split, "a", { audio: true, video: false, screen: false });
  assert.deepEqual(heard(split, state).map(([, to]) => to), [["b"]]);
  const hand = rules.setHand(split, "c", true, 5);
  assert.deepEqual(heard(split, hand).map(([, to]) => to), [["c"]]);
  assert.ok(rules.hears({ groupOf: "a" }, { id: "b" }, split));
  assert.ok(!rules.hears({ groupOf: "a" }, { id: "h" }, split));
});

Deno.test("breakouts: guests may not open them; assign auto spreads guests evenly; choose lets them pick", () => {
  const r = room(["h", "a", "b", "c", "d", "e"]);
  const refused = rules.breakout(r, "a", byHand, POLICY, 0);
  assert.ok(!refused.ok);
  assert.equal(refused.code, "forbidden");
  assert.equal(refused.message, "Cannot open breakout rooms: only a host can");

  const auto = act(r, "h", { ...byHand, assign: "auto", rooms: [{ name: "1" }, { name: "2" }] });
  assert.deepEqual(auto.room.settings.breakouts!.rooms.map((g) => g.people), [["a", "c", "e"], [
    "b",
    "d",
  ]]);
  const again = rules.breakout(auto.room, "h", byHand, POLICY, 0);
  assert.ok(!again.ok, "open twice");

  const choose = act(r, "h", {
    ...byHand,
    assign: "choose",
    rooms: [{ name: "1" }, { name: "2" }],
  });
  assert.equal(choose.room.settings.breakouts!.choose, true);
  assert.deepEqual(choose.room.settings.breakouts!.rooms.map((g) => g.people), [[], []]);
  const picked = act(choose.room, "b", { type: "breakout", action: "join", room: "g2" });
  assert.deepEqual(picked.room.settings.breakouts!.rooms[1].people, ["b"]);
  const back = act(picked.room, "b", { type: "breakout", action: "join", room: null });
  assert.deepEqual(back.room.settings.breakouts!.rooms[1].people, []);
  // Without choose, a guest stays where a host put them.
  const stuck = rules.breakout(
    auto.room,
    "a",
    { type: "breakout", action: "join", room: "g2" },
    POLICY,
    0,
  );
  assert.ok(!stuck.ok);
  assert.equal(stuck.code, "forbidden");
});

Deno.test("breakouts: a host moves someone; a broadcast reaches every group; close brings all back", () => {
  const r = room(["h", "a", "b", "c"]);
  const split = act(r, "h", byHand).room;
  const move = act(split, "h", { type: "breakout", action: "move", to: "b", room: "g2" });
  const said = heard(split, move.out);
  assert.deepEqual(
    said.filter(([t]) => t !== "room-settings").map(([t, to]) => [t, to.join()]),
    [["peer-left", "a"], ["moved", "b"], ["peer-joined", "c"]],
  );
  const unknown = rules.breakout(
    split,
    "h",
    { type: "breakout", action: "move", to: "zz", room: "g1" },
    POLICY,
    0,
  );
  assert.ok(!unknown.ok && unknown.code === "unknown-peer");
  const nowhere = rules.breakout(
    split,
    "h",
    { type: "breakout", action: "move", to: "a", room: "g9" },
    POLICY,
    0,
  );
  assert.ok(!nowhere.ok && nowhere.message === "Cannot move: no such breakout room");

  const cast = act(
    move.room,
    "h",
    { type: "breakout", action: "broadcast", text: "Five minutes" },
    77,
  );
  assert.deepEqual(heard(move.room, cast.out), [[
    "broadcast",
    ["h", "a", "b", "c"],
    { type: "broadcast", from: "h", name: "H", text: "Five minutes", ts: 77 },
  ]]);

  const close = act(move.room, "h", { type: "breakout", action: "close" });
  assert.equal(close.room.settings.breakouts, undefined);
  const back = heard(move.room, close.out).filter(([t]) => t !== "room-settings");
  // Everyone who was away hears the main room's people; the host sees each come back.
  assert.deepEqual(
    back.filter(([t]) => t === "moved").map((
      [, to, m],
    ) => [to.join(), m.type === "moved" && m.peers.length]),
    [["a", 3], ["b", 3], ["c", 3]],
  );
  assert.deepEqual(back.filter(([t]) => t === "peer-joined").map(([, to]) => to.join()), [
    "h",
    "h",
    "h",
  ]);
  assert.ok(
    !back.some(([t]) => t === "peer-left"),
    "those who were together in a group are all movers",
  );
});

Deno.test("breakouts: groups are meshes; together again a big room goes to the SFU", () => {
  const r = room(["h", "a", "b", "c", "d", "e"], { mode: "sfu" });
  const split = act(r, "h", { ...byHand, assign: "auto", rooms: [{ name: "1" }, { name: "2" }] });
  assert.equal(split.room.media.mode, "mesh");
  const said = heard(r, split.out);
  assert.deepEqual(said.filter(([t]) => t === "media-mode").map(([, to]) => to), [["h"]]);
  assert.ok(
    said.filter(([t]) => t === "moved").every(([, , m]) =>
      m.type === "moved" && m.media === "mesh"
    ),
  );
  // A newcomer while groups are open: into the main room, which stays a mesh.
  const join = rules.join(split.room, { id: "f", name: "F" }, undefined, POLICY);
  assert.ok(join.ok);
  assert.deepEqual(heard(split.room, join).map(([t, to]) => [t, to.join()]), [[
    "peer-joined",
    "h",
  ]]);
  const joined = rules.applyChanges(split.room, join.changes);
  assert.equal(joined.media.mode, "mesh");
  const close = act(joined, "h", { type: "breakout", action: "close" });
  assert.equal(close.room.media.mode, "sfu");
  const back = heard(joined, close.out);
  const mode = back.findIndex(([t]) => t === "media-mode");
  const firstJoin = back.findIndex(([t]) => t === "peer-joined");
  assert.ok(mode >= 0 && mode < firstJoin, "the stayers switch to the SFU before anyone arrives");
});

Deno.test("breakouts: leaving takes one out of their group; the timer brings everyone back", () => {
  const r = room(["h", "a", "b", "c"]);
  const split = act(r, "h", { ...byHand, seconds: 120 }, 1000).room;
  assert.equal(split.settings.breakouts!.endsAt, 1000 + 120_000);
  const left = rules.leave(split, "a", POLICY);
  const after = rules.applyChanges(split, left.changes);
  assert.deepEqual(after.settings.breakouts!.rooms[0].people, ["b"]);
  assert.deepEqual(heard(split, left).map(([t, to]) => [t, to.join()]), [
    ["peer-left", "b"],
    ["room-settings", "h,b,c"],
  ]);
  assert.deepEqual(rules.timeUp(after, 100_000, POLICY), { changes: [], events: [] }, "not yet");
  const up = rules.timeUp(after, 121_000, POLICY);
  assert.equal(rules.applyChanges(after, up.changes).settings.breakouts, undefined);
  assert.deepEqual(heard(after, up).filter(([t]) => t === "moved").map(([, to]) => to.join()), [
    "b",
    "c",
  ]);
  // A lobby guest let in while groups are open comes into the main room.
  const lobby = { ...after, waiting: [{ id: "w", name: "W" }] };
  const admit = rules.moderate(lobby, "h", "admit", "w", POLICY);
  assert.ok(admit.ok);
  const seat = admit.events.find((e) => !rules.isNotice(e));
  assert.ok(seat && "kind" in seat && seat.kind === "admit");
  assert.deepEqual(seat.peers.map((p) => p.id), ["h"]);
});

Deno.test("breakouts: each group travels by its own size; one past the mesh's goes through the SFU", () => {
  const r = room(["h", "a", "b", "c", "d", "e", "f"], { mode: "sfu" });
  // Four in Red (the mesh holds four), two in Blue.
  const plan: BreakoutMessage = {
    type: "breakout",
    action: "open",
    assign: "hand",
    rooms: [{ name: "Red", people: ["a", "b", "c", "d"] }, { name: "Blue", people: ["e", "f"] }],
  };
  const split = act(r, "h", plan);
  assert.deepEqual(split.room.settings.breakouts!.rooms.map((g) => g.media), [
    undefined,
    undefined,
  ]);
  assert.equal(rules.pathOf(split.room, "a"), "mesh");
  // A fifth into Red: Red goes through the SFU; those in it hear so before Blue's e arrives.
  const move = act(split.room, "h", { type: "breakout", action: "move", to: "e", room: "g1" });
  assert.equal(move.room.settings.breakouts!.rooms[0].media, "sfu");
  assert.equal(rules.pathOf(move.room, "e"), "sfu");
  assert.equal(rules.pathOf(move.room, "f"), "mesh");
  assert.equal(rules.pathOf(move.room, "h"), "mesh");
  const said = heard(split.room, move.out).filter(([t]) => t !== "room-settings");
  assert.deepEqual(said.map(([t, to]) => [t, to.join()]), [
    ["peer-left", "f"],
    ["media-mode", "a,b,c,d"],
    ["moved", "e"],
    ["peer-joined", "a,b,c,d"],
  ]);
  const moved = said[2][2];
  assert.ok(moved.type === "moved" && moved.media === "sfu");
  // Back out of Red: down to four, Red stays in the SFU (no back and forth while groups are open).
  const back = act(move.room, "h", { type: "breakout", action: "move", to: "e", room: "g2" });
  assert.equal(back.room.settings.breakouts!.rooms[0].media, "sfu");
  assert.ok(!heard(move.room, back.out).some(([t]) => t === "media-mode"));
  // The main room grows past the mesh's size on its own while groups are open.
  let main = back.room;
  for (const id of ["m1", "m2", "m3", "m4"]) {
    const j = rules.join(main, { id, name: id }, undefined, { ...POLICY, maxPeers: 20 });
    assert.ok(j.ok);
    main = rules.applyChanges(main, j.changes);
  }
  assert.equal(main.media.mode, "sfu");
  assert.equal(rules.pathOf(main, "m1"), "sfu");
  assert.equal(rules.pathOf(main, "f"), "mesh");
});

Deno.test("breakouts: 3000 random steps of strangers and hosts keep the groups whole", () => {
  // A seeded generator: the same steps every run, and a failure names its step.
  let seed = 0x2545f491;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const policy: rules.RoomPolicy = { maxPeers: 12, hosts: "open", lobby: false, meshMax: 3 };
  let r: rules.RoomData = rules.EMPTY_ROOM;
  let next = 0;
  const ids = () => r.members.map((m) => m.id);
  const someone = () => (r.members.length ? pick(ids()) : "nobody");
  const group = () => pick([null, "g1", "g2", "g3", "g9"]);
  for (let step = 0; step < 3000; step++) {
    const roll = rand();
    let out: rules.Outcome | rules.Refusal;
    if (roll < 0.15 || r.members.length === 0) {
      out = rules.join(r, { id: `p${next++}`, name: "P" }, undefined, policy);
    } else if (roll < 0.25) {
      out = rules.leave(r, someone(), policy, step);
    } else if (roll < 0.35) {
      const rooms = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
        name: `G${i}`,
        people: ids().filter(() => rand() < 0.4),
      }));
      out = rules.breakout(
        r,
        someone(),
        {
          type: "breakout",
          action: "open",
          rooms,
          assign: pick(["hand", "auto", "choose"] as const),
          ...(rand() < 0.3 ? { seconds: 5 } : {}),
        },
        policy,
        step,
      );
    } else if (roll < 0.6) {
      out = rules.breakout(
        r,
        someone(),
        {
          type: "breakout",
          action: "move",
          to: rand() < 0.9 ? someone() : "ghost",
          room: group(),
        },
        policy,
        step,
      );
    } else if (roll < 0.75) {
      out = rules.breakout(
        r,
        someone(),
        { type: "breakout", action: "join", room: group() },
        policy,
        step,
      );
    } else if (roll < 0.8) {
      out = rules.breakout(r, someone(), { type: "breakout", action: "close" }, policy, step);
    } else if (roll < 0.85) {
      out = rules.timeUp(r, step * 10_000, policy);
    } else if (roll < 0.9) {
      out = rules.setHand(r, someone(), rand() < 0.5, step);
    } else {
      out = rules.moderate(
        r,
        someone(),
        pick(["remove", "promote", "end"] as const),
        someone(),
        policy,
      );
    }
    if ("ok" in out && out.ok === false) continue;
    r = rules.applyChanges(r, (out as rules.Outcome).changes);
    // Whole: everyone in at most one group, every group's people in the room, a path for each.
    const open = r.settings.breakouts;
    const listed = open?.rooms.flatMap((g) => g.people) ?? [];
    assert.equal(new Set(listed).size, listed.length, `step ${step}: someone in two groups`);
    for (const id of listed) assert.ok(ids().includes(id), `step ${step}: ${id} listed, not in`);
    for (const g of open?.rooms ?? []) {
      // Past the mesh's size, through the SFU (and there it stays while the groups are open).
      if (g.people.length > 3) assert.equal(g.media, "sfu", `step ${step}: ${g.id}'s path`);
    }
    if (r.members.length === 0) assert.equal(open, undefined, `step ${step}: groups of nobody`);
    // A group's news goes to people who were in the room, never to a stranger.
    const were = new Set([
      ...ids(),
      ...(out as rules.Outcome).changes.flatMap((c) => (c.op === "remove" ? [c.id] : [])),
    ]);
    for (const n of (out as rules.Outcome).events.filter(rules.isNotice)) {
      if (!("some" in n.to)) continue;
      for (const id of n.to.some) assert.ok(were.has(id), `step ${step}: told ${id}`);
    }
  }
});
