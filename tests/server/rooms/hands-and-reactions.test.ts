/**
 * Raised hands and reactions over the wire. Like the rest of the protocol
 * suite, this runs against one instance and again against two sharing Redis
 * (TEST_CLUSTER=1), where consecutive clients land on different instances.
 */
import assert from "node:assert/strict";
import { REACTIONS } from "../../../protocol/messages.ts";
import { type TestClient, withServer } from "../test-server.ts";

async function trio(connect: () => Promise<TestClient>, room = "hands") {
  const [a, b, c] = [await connect(), await connect(), await connect()];
  const ja = await a.join(room, "Ana");
  const jb = await b.join(room, "Bo");
  const jc = await c.join(room, "Cleo");
  await a.next("peer-joined");
  await a.next("peer-joined");
  await b.next("peer-joined");
  return { a, b, c, ja, jb, jc };
}

Deno.test("hands: everyone hears a hand go up and down, the raiser too, with one order", () =>
  withServer(async (_server, connect) => {
    const { a, b, c, ja, jb } = await trio(connect);
    b.send({ type: "hand", raised: true });
    const up = await a.next("hand");
    assert.equal(up.id, jb.id);
    assert.equal(up.raised, true);
    assert.equal(typeof up.at, "number");
    assert.deepEqual(await b.next("hand"), up);
    assert.deepEqual(await c.next("hand"), up);
    // Raising again keeps the place in the queue: nothing new is said.
    b.send({ type: "hand", raised: true });
    await a.nothing("hand");
    a.send({ type: "hand", raised: true });
    const second = await c.next("hand");
    assert.equal(second.id, ja.id);
    assert.deepEqual(await a.next("hand"), second);
    assert.deepEqual(await b.next("hand"), second);
    assert.ok(second.at! >= up.at!, "raised later, later in the order");
    b.send({ type: "hand", raised: false });
    for (const x of [a, b, c]) {
      const down = await x.next("hand");
      assert.deepEqual(down, { type: "hand", id: jb.id, raised: false });
    }
  }));

Deno.test("hands: a late joiner sees who has a hand up; a resumed seat keeps its own", () =>
  withServer(async (_server, connect) => {
    const { a, b, ja } = await trio(connect);
    a.send({ type: "hand", raised: true });
    const up = await b.next("hand");
    const late = await connect();
    const jl = await late.join("hands", "Dan");
    const ana = jl.peers.find((p) => p.id === ja.id)!;
    assert.equal(ana.hand, up.at);
    assert.ok(jl.peers.filter((p) => p.id !== ja.id).every((p) => p.hand === undefined));
    // Ana drops and resumes: her hand is still up, and she is told so.
    await a.close(4002);
    const back = await connect();
    const jr = await back.join("hands", "Ana", ja.resume);
    assert.equal(jr.resumed, true);
    assert.equal(jr.hand, up.at);
  }, { resumeGraceMs: 5000 }));

Deno.test("hands: a host can lower someone's hand; a guest cannot", () =>
  withServer(async (_server, connect) => {
    const { a, b, c, jb } = await trio(connect); // Ana, first in, hosts
    b.send({ type: "hand", raised: true });
    await a.next("hand");
    await b.next("hand");
    c.send({ type: "moderate", action: "lower-hand", to: jb.id });
    assert.equal((await c.next("error")).code, "forbidden");
    a.send({ type: "moderate", action: "lower-hand", to: jb.id });
    assert.deepEqual(await b.next("hand"), { type: "hand", id: jb.id, raised: false });
  }));

Deno.test("hands: malformed messages are refused with bad-message", () =>
  withServer(async (_server, connect) => {
    const { a } = await trio(connect);
    for (
      const bad of [{ type: "hand" }, { type: "hand", raised: "yes" }, { type: "hand", raised: 1 }]
    ) {
      a.send(bad);
      assert.equal((await a.next("error")).code, "bad-message");
    }
    const lone = await connect();
    lone.send({ type: "hand", raised: true });
    assert.equal((await lone.next("error")).code, "not-in-room");
  }));

Deno.test("reactions: everyone sees them, the sender too; only the six, and not too many", () =>
  withServer(async (_server, connect) => {
    const { a, b, c, jb } = await trio(connect);
    b.send({ type: "react", emoji: "🎉" });
    for (const x of [a, b, c]) {
      assert.deepEqual(await x.next("reaction"), { type: "reaction", id: jb.id, emoji: "🎉" });
    }
    for (const bad of ["💩", "", 42, "👍👍", "<b>"]) {
      b.send({ type: "react", emoji: bad });
      const e = await b.next("error");
      assert.equal(e.code, "bad-message");
      assert.match(e.message, /^Cannot react: /);
    }
    // A burst: the first few go through, the rest are refused to the sender only.
    for (let i = 0; i < 20; i++) b.send({ type: "react", emoji: REACTIONS[i % REACTIONS.length] });
    const seen: string[] = [];
    const errors: string[] = [];
    while (seen.length + errors.length < 20) {
      const m = await b.next();
      if (m.type === "error") errors.push(m.code);
      else if (m.type === "reaction") seen.push(m.emoji);
    }
    assert.ok(seen.length >= 4 && seen.length <= 6, `${seen.length} got through`);
    assert.ok(errors.every((code) => code === "rate-limited"));
    assert.equal(seen.length + errors.length, 20);
    let atA = 0;
    for (;;) {
      try {
        await a.next("reaction", 300);
        atA++;
      } catch {
        break;
      }
    }
    assert.equal(atA, seen.length, "the others see only what got through");
    // Chat still goes: the reaction limit is its own.
    b.send({ type: "chat", text: "still here" });
    assert.equal((await a.next("chat")).text, "still here");
  }));

Deno.test("reactions are counted as reactions in /metrics, not as chat (in a cluster too)", () =>
  withServer(async (server, connect) => {
    const { a, b, c, jb } = await trio(connect);
    b.send({ type: "react", emoji: "👏" });
    for (const x of [a, b, c]) assert.equal((await x.next("reaction")).id, jb.id);
    // One instance sees all three deliveries; in a cluster the first instance holds two of them.
    assert.ok((server.metrics.relayed.get("reaction") ?? 0) >= 1);
    assert.equal(server.metrics.relayed.get("chat") ?? 0, 0);
  }));
