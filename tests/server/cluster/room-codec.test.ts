/** The cluster's room and event formats, both ways, without a Redis. */
import assert from "node:assert/strict";
import {
  decodeAudience,
  deliveredType,
  encodeAudience,
  EventKind,
  outcomeEvents,
  parseEvent,
  parseRoomView,
  readChanges,
  readEffect,
  readNews,
  storedDoc,
  storedMember,
} from "../../../server/cluster/room-codec.ts";
import * as rules from "../../../server/rooms/room-rules.ts";

const policy: rules.RoomPolicy = { maxPeers: 8, hosts: "open", lobby: false, meshMax: 3 };
const member = (id: string, role: "host" | "guest" = "guest"): rules.Member => ({
  id,
  name: id.toUpperCase(),
  state: { audio: true, video: false, screen: false },
  role,
});

Deno.test("a room stored and read back is the same room, members in join order", () => {
  const room: rules.RoomData = {
    members: [member("a", "host"), { ...member("b"), hand: 123 }, member("c")],
    settings: { locked: true, lobby: true },
    waiting: [{ id: "w", name: "W", instance: "i1" }],
    media: { mode: "sfu", low: 99 },
  };
  // A hash keeps no order: stored out of order, read back by `since`.
  const stored = [storedMember(room.members[2], 7), storedMember(room.members[0], 3)];
  stored.splice(1, 0, storedMember(room.members[1], 5));
  const order = new Map<string, number>();
  assert.deepEqual(parseRoomView([stored, storedDoc(room)], order), room);
  assert.deepEqual([...order], [["a", 3], ["b", 5], ["c", 7]]);
});

Deno.test("a room at its defaults stores no doc, and reads back as the defaults", () => {
  assert.equal(storedDoc(rules.EMPTY_ROOM), "");
  assert.deepEqual(parseRoomView([[], ""]), rules.EMPTY_ROOM);
});

Deno.test("every audience encodes and decodes, and means what the rules mean", () => {
  const audiences: rules.Audience[] = [
    { all: true },
    { allBut: "x" },
    { only: "x" },
    { hosts: true },
    { some: ["x", "z"] },
    { some: [] },
    { groupOf: "y" },
  ];
  // x and z in one breakout group, y in the main room.
  const room: rules.RoomData = {
    ...rules.EMPTY_ROOM,
    settings: {
      ...rules.DEFAULT_SETTINGS,
      breakouts: { rooms: [{ id: "g1", name: "G", people: ["x", "z"] }] },
    },
  };
  for (const to of audiences) {
    const back = decodeAudience(encodeAudience(to))!;
    assert.deepEqual(back, to);
    for (const who of [{ id: "x", role: "host" as const }, { id: "y", role: "guest" as const }]) {
      assert.equal(rules.hears(back, who, room), rules.hears(to, who, room));
    }
  }
  assert.ok(rules.hears({ groupOf: "z" }, { id: "x" }, room));
  assert.ok(!rules.hears({ groupOf: "y" }, { id: "x" }, room));
  assert.equal(decodeAudience("?x"), null);
});

Deno.test("events parse back; junk is not an event", () => {
  assert.deepEqual(parseEvent(`12\n${EventKind.News}\n-a\n{"type":"peer-left","id":"a"}`), {
    seq: 12,
    kind: "n",
    audience: "-a",
    payload: '{"type":"peer-left","id":"a"}',
  });
  for (const junk of ["", "hello", "x\nn\n*\n{}", "1\nZ\n*\n{}", "1e999\nn\n*\n{}", "3\nn\n*"]) {
    assert.equal(parseEvent(junk), null, JSON.stringify(junk));
  }
});

Deno.test("an outcome's events: seats closed first, then the changes, then the rest in order", () => {
  const room: rules.RoomData = {
    ...rules.EMPTY_ROOM,
    members: [member("h", "host"), member("g"), member("x")],
  };
  const decided = rules.moderate(room, "h", "remove", "g", policy);
  assert.ok(decided.ok);
  const triples = outcomeEvents(decided.changes, decided.events, () => ({ token: "", owner: "" }));
  const events = [];
  for (let i = 0; i < triples.length; i += 3) {
    events.push(parseEvent(`${i + 1}\n${triples[i]}\n${triples[i + 1]}\n${triples[i + 2]}`)!);
  }
  assert.deepEqual(events.map((e) => e.kind), [EventKind.Kick, EventKind.Changes, EventKind.News]);
  assert.deepEqual(readEffect(events[0]), { kind: "kick", id: "g", by: "h" });
  // What the others' instances apply is what the rules decided.
  assert.deepEqual(
    rules.applyChanges(room, readChanges(events[1])),
    rules.applyChanges(room, decided.changes),
  );
  assert.deepEqual(readNews(events[2]), { type: "peer-left", id: "g" });
  assert.equal(deliveredType(events[2]), "peer-left");
  assert.equal(deliveredType(events[1]), undefined, "changes are not delivered to clients");
});

Deno.test("admit and deny carry what the guest's instance needs", () => {
  const room: rules.RoomData = {
    ...rules.EMPTY_ROOM,
    members: [member("h", "host")],
    settings: { locked: false, lobby: true },
    waiting: [{ id: "w", name: "W", instance: "far" }, { id: "v", name: "V", instance: "near" }],
  };
  const admit = rules.moderate(room, "h", "admit", "w", policy);
  assert.ok(admit.ok);
  const triples = outcomeEvents(
    admit.changes,
    admit.events,
    (id) => ({ token: `t-${id}`, owner: "far" }),
  );
  const at = triples.indexOf(EventKind.Admit);
  const event = parseEvent(`1\n${triples[at]}\n${triples[at + 1]}\n${triples[at + 2]}`)!;
  const effect = readEffect(event);
  assert.ok(effect?.kind === "admit");
  assert.deepEqual(effect.payload, {
    id: "w",
    token: "t-w",
    owner: "far",
    member: {
      id: "w",
      name: "W",
      state: { audio: false, video: false, screen: false },
      role: "guest",
    },
    peers: [member("h", "host")],
  });
  const deny = rules.moderate(room, "h", "deny", "v", policy);
  assert.ok(deny.ok);
  const d = outcomeEvents(deny.changes, deny.events, () => ({ token: "", owner: "" }));
  const di = d.indexOf(EventKind.Deny);
  assert.deepEqual(readEffect(parseEvent(`2\n${d[di]}\n${d[di + 1]}\n${d[di + 2]}`)!), {
    kind: "deny",
    id: "v",
    message: "Cannot join: a host turned you away",
  });
});
