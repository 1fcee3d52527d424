/**
 * Breakout groups over the wire, as clients see them: on one instance, and
 * on two sharing Redis (TEST_CLUSTER=1), where the host and the others are
 * on different instances.
 */
import assert from "node:assert/strict";
import { type TestClient, withServer } from "../test-server.ts";

/** A host and three guests in one room (open mode: the first one in hosts). */
async function four(connect: () => Promise<TestClient>, room = "split") {
  const people: TestClient[] = [];
  const ids: string[] = [];
  for (const name of ["Host", "Ana", "Bo", "Cy"]) {
    const c = await connect();
    ids.push((await c.join(room, name)).id);
    people.push(c);
  }
  // Everyone has heard of everyone before the groups start.
  for (const [i, c] of people.entries()) {
    for (let n = i; n < 3; n++) await c.next("peer-joined");
  }
  return { people, ids };
}

Deno.test("breakouts: by hand into two groups; each group hears only itself; broadcast reaches all; close brings all back", () =>
  withServer(async (_server, connect) => {
    const { people: [h, a, b, c], ids: [hid, aid, bid, cid] } = await four(connect);
    // A guest may not open them.
    a.send({ type: "breakout", action: "open", assign: "auto", rooms: [{ name: "X" }] });
    const refused = await a.next("error");
    assert.equal(refused.code, "forbidden");
    assert.equal(refused.message, "Cannot open breakout rooms: only a host can");

    h.send({
      type: "breakout",
      action: "open",
      assign: "hand",
      rooms: [{ name: "Red", people: [aid, bid] }, { name: "Blue", people: [cid] }],
    });
    for (const x of [h, a, b, c]) {
      const s = await x.next("room-settings");
      assert.deepEqual(s.breakouts?.rooms.map((r) => r.people), [[aid, bid], [cid]]);
    }
    const ma = await a.next("moved");
    assert.equal(ma.room, "g1");
    assert.deepEqual(ma.peers.map((p) => p.id), [bid]);
    assert.equal(ma.media, "mesh");
    assert.deepEqual((await c.next("moved")).peers, []);
    for (const id of [aid, bid, cid]) {
      const left = await h.next("peer-left");
      assert.equal(left.id, id);
      assert.equal(left.moved, true);
    }

    // Chat, reactions and signals stay in the group.
    a.send({ type: "chat", text: "Red only" });
    assert.equal((await b.next("chat")).text, "Red only");
    assert.equal((await a.next("chat")).text, "Red only");
    a.send({ type: "react", emoji: "👍" });
    assert.equal((await b.next("reaction")).id, aid);
    a.send({ type: "signal", to: cid, data: { x: 1 } });
    assert.equal((await a.next("error")).code, "unknown-peer");
    a.send({ type: "signal", to: bid, data: { x: 1 } });
    assert.equal((await b.next("signal")).from, aid);
    await c.nothing("chat");
    await h.nothing("chat");
    await c.nothing("reaction");

    h.send({ type: "breakout", action: "broadcast", text: "Two minutes left" });
    for (const x of [h, a, b, c]) {
      const m = await x.next("broadcast");
      assert.equal(m.text, "Two minutes left");
      assert.equal(m.name, "Host");
    }

    // A host moves Bo to Blue: Ana sees him go, Cy sees him come.
    h.send({ type: "breakout", action: "move", to: bid, room: "g2" });
    assert.deepEqual((await b.next("moved")).peers.map((p) => p.id), [cid]);
    assert.equal((await a.next("peer-left")).moved, true);
    assert.equal((await c.next("peer-joined")).peer.id, bid);

    h.send({ type: "breakout", action: "close" });
    for (const x of [a, b, c]) {
      const back = await x.next("moved");
      assert.equal(back.room, null);
      assert.equal(back.peers.length, 3);
    }
    const returned = [];
    for (let n = 0; n < 3; n++) returned.push((await h.next("peer-joined")).peer.id);
    assert.deepEqual(returned.sort(), [aid, bid, cid].sort());
    // Together again: a chat reaches everyone.
    c.send({ type: "chat", text: "all of us" });
    for (const x of [h, a, b, c]) assert.equal((await x.next("chat")).text, "all of us");
    assert.ok(hid);
  }));

Deno.test("breakouts: guests choose when allowed; a late joiner lands in the main room; the timer ends them", () =>
  withServer(async (_server, connect) => {
    const { people: [h, a, b], ids: [hid, aid] } = await four(connect, "pick");
    a.send({ type: "breakout", action: "join", room: "g1" });
    assert.equal((await a.next("error")).code, "forbidden");
    h.send({
      type: "breakout",
      action: "open",
      assign: "choose",
      rooms: [{ name: "One" }, { name: "Two" }],
      seconds: 5,
    });
    const s = await a.next("room-settings");
    assert.equal(s.breakouts?.choose, true);
    assert.ok(Math.abs(s.breakouts!.endsAt! - (Date.now() + 5000)) < 1000);
    a.send({ type: "breakout", action: "join", room: "g2" });
    assert.equal((await a.next("moved")).room, "g2");
    assert.equal((await b.next("peer-left")).id, aid);

    const late = await connect();
    const j = await late.join("pick", "Late");
    assert.equal(j.settings.breakouts?.rooms[1].people[0], aid);
    assert.ok(!j.peers.some((p) => p.id === aid), "Ana is away in a group");
    assert.ok(j.peers.some((p) => p.id === hid));
    await a.nothing("peer-joined");
    // Time is up: Ana comes back to everyone (Late included), nobody clicks.
    const back = await a.next("moved", 8000);
    assert.equal(back.room, null);
    assert.equal(back.peers.length, 4);
    assert.equal((await late.next("peer-joined")).peer.id, aid);
    // The host heard the opening and Ana's choice before; the last word is: no groups.
    while ((await h.next("room-settings")).breakouts) { /* an earlier change */ }
  }));
