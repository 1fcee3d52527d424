import assert from "node:assert/strict";
import { joinThenVanish, TestClient, withServer } from "../test-server.ts";

Deno.test("an abrupt drop keeps the seat; resume within grace gets the same id silently", () =>
  withServer(async (server, connect) => {
    const other = await connect();
    await other.join("r", "Other");
    const { id, resume } = await joinThenVanish(server.port, "r", "Ana");
    assert.equal((await other.next("peer-joined")).peer.id, id);
    await other.nothing("peer-left", 300);
    const back = await connect();
    const j = await back.join("r", "Ana", resume);
    assert.equal(j.id, id);
    assert.equal(j.resumed, true);
    assert.notEqual(j.resume, resume, "a fresh token is issued");
    assert.equal(j.peers.length, 1);
    await other.nothing("peer-left");
    await other.nothing("peer-joined");
    // Signals reach the resumed seat.
    other.send({ type: "signal", to: id, data: { hi: true } });
    assert.deepEqual((await back.next("signal")).data, { hi: true });
  }, { resumeGraceMs: 2000 }));

Deno.test("grace ends: peer-left, and the token no longer works", () =>
  withServer(async (server, connect) => {
    const other = await connect();
    await other.join("r", "Other");
    const { id, resume } = await joinThenVanish(server.port, "r", "Ana");
    await other.next("peer-joined");
    assert.equal((await other.next("peer-left", 2000)).id, id);
    const late = await connect();
    const j = await late.join("r", "Ana", resume);
    assert.notEqual(j.id, id);
    assert.equal(j.resumed, false);
    assert.equal((await other.next("peer-joined")).peer.id, j.id);
  }, { resumeGraceMs: 200 }));

Deno.test("resume token is single-use and bound to its room", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const ja = await a.join("r", "A");
    await a.close(4002); // client reconnecting: seat kept
    const b = await connect();
    const jb = await b.join("r", "A", ja.resume);
    assert.equal(jb.id, ja.id);
    const c = await connect();
    const jc = await c.join("r", "A", ja.resume); // spent token
    assert.notEqual(jc.id, ja.id);
    const d = await connect();
    const jd = await d.join("elsewhere", "A", jb.resume); // wrong room
    assert.notEqual(jd.id, ja.id);
  }, { resumeGraceMs: 2000 }));

Deno.test("resume while the old socket still looks open replaces it", () =>
  withServer(async (_server, connect) => {
    const watcher = await connect();
    await watcher.join("r", "W");
    const old = await connect();
    const j = await old.join("r", "A");
    const fresh = await connect();
    const j2 = await fresh.join("r", "A", j.resume);
    assert.equal(j2.id, j.id);
    assert.equal((await old.closed).code, 4001);
    await watcher.nothing("peer-left");
    watcher.send({ type: "signal", to: j.id, data: { x: 1 } });
    assert.deepEqual((await fresh.next("signal")).data, { x: 1 });
  }));

Deno.test("a full room counts seats in grace", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const ja = await a.join("tiny", "A");
    const b = await connect();
    await b.join("tiny", "B");
    await a.close(4002);
    const c = await connect();
    c.send({ type: "join", room: "tiny", name: "C" });
    assert.equal((await c.next("error")).code, "room-full");
    const back = await TestClient.connect(_server);
    try {
      assert.equal((await back.join("tiny", "A", ja.resume)).id, ja.id);
    } finally {
      await back.close();
    }
  }, { maxPeers: 2, resumeGraceMs: 2000 }));
