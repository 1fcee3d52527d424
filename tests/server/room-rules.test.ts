/** The room rules alone: pure decisions, the same for the memory and the Redis registry. */
import assert from "node:assert/strict";
import * as rules from "../../server/room-rules.ts";

const member = (id: string): rules.Member => ({
  id,
  name: id.toUpperCase(),
  state: { audio: false, video: false, screen: false },
});
const room = (...ids: string[]): rules.RoomData => ({ members: ids.map(member) });

Deno.test("join: a seat while there is room; the others hear of it", () => {
  const r = rules.join(room("a"), member("b"), { maxPeers: 2 });
  assert.ok(r.ok);
  assert.deepEqual(r.changes, [{ op: "add", member: member("b") }]);
  assert.deepEqual(r.notices, [{
    to: { allBut: "b" },
    message: { type: "peer-joined", peer: member("b") },
  }]);
  assert.deepEqual(rules.join(room("a", "b"), member("c"), { maxPeers: 2 }), {
    ok: false,
    code: "room-full",
  });
});

Deno.test("leave and state: the others hear of it; unknown ids change nothing", () => {
  assert.deepEqual(rules.leave(room("a", "b"), "a"), {
    changes: [{ op: "remove", id: "a" }],
    notices: [{ to: { allBut: "a" }, message: { type: "peer-left", id: "a" } }],
  });
  assert.deepEqual(rules.leave(room("a"), "x"), { changes: [], notices: [] });
  const state = { audio: true, video: false, screen: false };
  const s = rules.setState(room("a", "b"), "b", state);
  assert.deepEqual(s.changes, [{ op: "update", member: { ...member("b"), state } }]);
  assert.deepEqual(s.notices[0].to, { allBut: "b" });
  assert.deepEqual(rules.setState(room("a"), "x", state), { changes: [], notices: [] });
});

Deno.test("applyChanges makes a new room in join order; hears() reads audiences", () => {
  const before = room("a", "b");
  const after = rules.applyChanges(before, [
    { op: "add", member: member("c") },
    { op: "remove", id: "a" },
    { op: "update", member: { ...member("b"), name: "Bo" } },
  ]);
  assert.deepEqual(after.members.map((m) => m.name), ["Bo", "C"]);
  assert.deepEqual(before.members.map((m) => m.id), ["a", "b"]);
  assert.ok(rules.hears({ all: true }, "x"));
  assert.ok(rules.hears({ allBut: "a" }, "b"));
  assert.ok(!rules.hears({ allBut: "a" }, "a"));
  assert.ok(rules.hears({ only: "a" }, "a"));
  assert.ok(!rules.hears({ only: "a" }, "b"));
});
