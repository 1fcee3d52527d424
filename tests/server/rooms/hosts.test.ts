/**
 * Hosts, the lock and the lobby over the wire, as clients see them. Like the
 * rest of the protocol suite, this runs against one instance and again
 * against two instances sharing Redis (TEST_CLUSTER=1), where consecutive
 * clients land on different instances: the host and the others are apart.
 */
import assert from "node:assert/strict";
import { importTokenSecret, mintRoomToken } from "../../../server/session/room-token.ts";
import { type TestClient, withServer } from "../test-server.ts";

const SECRET = "hosts-test-secret-0123456789abcdefghij";

async function token(room: string, role?: "host") {
  const key = await importTokenSecret(SECRET);
  return await mintRoomToken({ room, exp: Math.floor(Date.now() / 1000) + 600, role }, key);
}

/** A host and two guests in one room (open mode: the first one in hosts). */
async function meeting(connect: () => Promise<TestClient>, room = "meet") {
  const [h, a, b] = [await connect(), await connect(), await connect()];
  const jh = await h.join(room, "Host");
  const ja = await a.join(room, "Ana");
  const jb = await b.join(room, "Bo");
  await h.next("peer-joined");
  await h.next("peer-joined");
  await a.next("peer-joined");
  return { h, a, b, jh, ja, jb };
}

const moderate = (c: TestClient, action: string, to?: string) =>
  c.send({ type: "moderate", action, ...(to ? { to } : {}) });

Deno.test("hosts: the first one in hosts; guests may not moderate; targets must be there", () =>
  withServer(async (_server, connect) => {
    const { a, jh, ja, jb } = await meeting(connect);
    assert.equal(jh.role, "host");
    assert.equal(ja.role, "guest");
    assert.deepEqual(jb.peers.map((p) => p.role), ["host", "guest"]);
    for (const action of ["mute", "stop-video", "remove", "promote"]) {
      moderate(a, action, jb.id);
      const e = await a.next("error");
      assert.equal(e.code, "forbidden", action);
      assert.match(e.message, /^Cannot .*: only a host can$/);
    }
    for (const action of ["mute-all", "lock", "unlock", "lobby-on", "lobby-off", "end"]) {
      moderate(a, action);
      assert.equal((await a.next("error")).code, "forbidden", action);
    }
    moderate(a, "admit", "nobody");
    assert.equal((await a.next("error")).code, "forbidden");
    // Malformed: no action, an unknown one, a targeted one without a target.
    for (
      const bad of [{ type: "moderate" }, { type: "moderate", action: "explode" }, {
        type: "moderate",
        action: "mute",
      }]
    ) {
      a.send(bad);
      assert.equal((await a.next("error")).code, "bad-message");
    }
  }));

Deno.test("hosts: every targeted action needs someone in the room", () =>
  withServer(async (_server, connect) => {
    const { h } = await meeting(connect);
    for (const action of ["mute", "stop-video", "remove", "promote", "admit", "deny"]) {
      moderate(h, action, "nobody-here");
      const e = await h.next("error");
      assert.equal(e.code, "unknown-peer", action);
    }
  }));

Deno.test("hosts: mute and stop video reach the target only; mute all reaches everyone else", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, jh, ja } = await meeting(connect);
    moderate(h, "mute", ja.id);
    assert.deepEqual(await a.next("moderated"), { type: "moderated", action: "mute", by: jh.id });
    await b.nothing("moderated");
    moderate(h, "stop-video", ja.id);
    assert.equal((await a.next("moderated")).action, "stop-video");
    moderate(h, "mute-all");
    assert.equal((await a.next("moderated")).action, "mute");
    assert.equal((await b.next("moderated")).action, "mute");
    await h.nothing("moderated");
  }));

Deno.test("hosts: remove closes the person with 4003, tells the others, voids their resume", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, jh, ja } = await meeting(connect);
    moderate(h, "remove", ja.id);
    assert.deepEqual(await a.next("removed"), { type: "removed", by: jh.id });
    assert.equal((await a.closed).code, 4003);
    assert.equal((await b.next("peer-left")).id, ja.id);
    assert.equal((await h.next("peer-left")).id, ja.id);
    const again = await connect();
    const j = await again.join("meet", "Ana", ja.resume);
    assert.equal(j.resumed, false, "a removed person cannot resume");
    assert.notEqual(j.id, ja.id);
  }));

Deno.test("hosts: promote makes a host, everyone hears it, and the new host may moderate", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, jb, ja } = await meeting(connect);
    moderate(h, "promote", ja.id);
    for (const c of [h, a, b]) {
      assert.deepEqual(await c.next("role"), { type: "role", id: ja.id, role: "host" });
    }
    moderate(a, "mute", jb.id);
    assert.equal((await b.next("moderated")).by, ja.id);
  }));

Deno.test("hosts: when the last host leaves, the one present longest hosts", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, ja } = await meeting(connect);
    await h.close(1000);
    for (const c of [a, b]) {
      await c.next("peer-left");
      assert.deepEqual(await c.next("role"), { type: "role", id: ja.id, role: "host" });
    }
    moderate(a, "lock");
    assert.equal((await b.next("room-settings")).locked, true);
  }));

Deno.test("hosts: a resumed host is still the host", () =>
  withServer(async (_server, connect) => {
    const { h, b, jh, jb } = await meeting(connect);
    await h.close(4002); // a dropped connection: the seat waits
    const back = await connect();
    const j = await back.join("meet", "Host", jh.resume);
    assert.equal(j.resumed, true);
    assert.equal(j.role, "host");
    moderate(back, "mute", jb.id);
    assert.equal((await b.next("moderated")).by, jh.id);
  }, { resumeGraceMs: 5000 }));

Deno.test("hosts: lock refuses guests (room-locked), everyone hears the settings, unlock lets them in", () =>
  withServer(async (_server, connect) => {
    const { h, a, jh } = await meeting(connect);
    moderate(h, "lock");
    for (const c of [h, a]) {
      assert.deepEqual(await c.next("room-settings"), {
        type: "room-settings",
        locked: true,
        lobby: false,
        by: jh.id,
      });
    }
    const late = await connect();
    late.send({ type: "join", room: "meet", name: "Late" });
    const e = await late.next("error");
    assert.equal(e.code, "room-locked");
    assert.equal(e.message, "Cannot join: the room is locked");
    moderate(h, "unlock");
    await h.next("room-settings");
    const j = await late.join("meet", "Late");
    assert.deepEqual(j.settings, { locked: false, lobby: false });
  }));

Deno.test("hosts with tokens: the role claim decides; a locked room takes a host token only", () =>
  withServer(async (_server, connect) => {
    const room = "tokened";
    const g1 = await connect();
    g1.send({ type: "join", room, name: "G1", token: await token(room) });
    const jg1 = await g1.next("joined");
    assert.equal(jg1.role, "guest", "first, but a guest token");
    const h = await connect();
    h.send({ type: "join", room, name: "H", token: await token(room, "host") });
    assert.equal((await h.next("joined")).role, "host");
    moderate(h, "lock");
    await h.next("room-settings");
    const g2 = await connect();
    g2.send({ type: "join", room, name: "G2", token: await token(room) });
    assert.equal((await g2.next("error")).code, "room-locked");
    const h2 = await connect();
    h2.send({ type: "join", room, name: "H2", token: await token(room, "host") });
    assert.equal((await h2.next("joined")).role, "host");
    // No hand-over with tokens: the hosts leave, the guest stays a guest.
    await h.close(1000);
    await h2.close(1000);
    await g1.next("peer-left");
    await g1.next("peer-left");
    await g1.nothing("role", 300);
  }, { roomTokenSecret: SECRET }));

Deno.test("lobby: guests wait, hosts are told, admit seats them, deny turns them away", () =>
  withServer(async (_server, connect) => {
    const { h, a, jh } = await meeting(connect);
    moderate(h, "lobby-on");
    await h.next("room-settings");
    await a.next("room-settings");
    const w = await connect();
    w.send({ type: "join", room: "meet", name: "Wendy" });
    await w.next("waiting");
    const knock = await h.next("knock");
    assert.equal(knock.peer.name, "Wendy");
    await a.nothing("knock"); // guests are not told
    // While waiting: nothing of the room reaches them, and they cannot act in it.
    a.send({ type: "chat", text: "can Wendy read this?" });
    await a.next("chat");
    await w.nothing("chat");
    w.send({ type: "chat", text: "hello?" });
    assert.equal((await w.next("error")).code, "not-in-room");
    moderate(h, "admit", knock.peer.id);
    const joined = await w.next("joined");
    assert.equal(joined.id, knock.peer.id);
    assert.equal(joined.role, "guest");
    assert.equal(joined.peers.length, 3);
    assert.deepEqual(await h.next("knock-cancelled"), { type: "knock-cancelled", id: joined.id });
    assert.equal((await a.next("peer-joined")).peer.id, joined.id);
    // Now in: signals and chat reach them.
    a.send({ type: "signal", to: joined.id, data: { hi: 1 } });
    assert.deepEqual((await w.next("signal")).data, { hi: 1 });
    // Another knocks and is denied.
    const x = await connect();
    x.send({ type: "join", room: "meet", name: "Xavier" });
    await x.next("waiting");
    const k2 = await h.next("knock");
    moderate(h, "deny", k2.peer.id);
    const denied = await x.next("error");
    assert.equal(denied.code, "denied");
    assert.equal(denied.message, "Cannot join: a host turned you away");
    await h.next("knock-cancelled");
    assert.ok(jh.id);
  }));

Deno.test("lobby: a waiting guest who disconnects is gone from the hosts' list", () =>
  withServer(async (_server, connect) => {
    const h = await connect();
    await h.join("lob", "Host");
    moderate(h, "lobby-on");
    await h.next("room-settings");
    const w = await connect();
    w.send({ type: "join", room: "lob", name: "Wendy" });
    await w.next("waiting");
    const knock = await h.next("knock");
    await w.close(1000);
    assert.deepEqual(await h.next("knock-cancelled"), {
      type: "knock-cancelled",
      id: knock.peer.id,
    });
    moderate(h, "admit", knock.peer.id);
    assert.equal((await h.next("error")).code, "unknown-peer");
  }));

Deno.test("lobby: a host who arrives after the knock is told who waits; lobby off lets them in", () =>
  withServer(async (_server, connect) => {
    const room = "later";
    const h = await connect();
    h.send({ type: "join", room, name: "H", token: await token(room, "host") });
    await h.next("joined");
    moderate(h, "lobby-on");
    await h.next("room-settings");
    const [w1, w2] = [await connect(), await connect()];
    for (const [w, name] of [[w1, "W1"], [w2, "W2"]] as const) {
      w.send({ type: "join", room, name, token: await token(room) });
      await w.next("waiting");
      await h.next("knock");
    }
    const h2 = await connect();
    h2.send({ type: "join", room, name: "H2", token: await token(room, "host") });
    const jh2 = await h2.next("joined");
    assert.deepEqual(jh2.waiting?.map((k) => k.name), ["W1", "W2"]);
    moderate(h2, "lobby-off");
    const [j1, j2] = [await w1.next("joined"), await w2.next("joined")];
    assert.deepEqual(j1.settings, { locked: false, lobby: false });
    assert.equal(j2.peers.length, 3, "both hosts and the other guest");
  }, { roomTokenSecret: SECRET }));

Deno.test("end for all: room-ended and 4004 for everyone, the lobby denied, the name free again", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, jh } = await meeting(connect);
    moderate(h, "lobby-on");
    for (const c of [h, a, b]) await c.next("room-settings");
    const w = await connect();
    w.send({ type: "join", room: "meet", name: "Wendy" });
    await w.next("waiting");
    await h.next("knock");
    moderate(h, "end");
    for (const c of [h, a, b]) {
      assert.deepEqual(await c.next("room-ended"), { type: "room-ended", by: jh.id });
      assert.equal((await c.closed).code, 4004);
    }
    assert.equal((await w.next("error")).code, "denied");
    // The name is free: the next one in hosts a fresh room (no lobby, no lock).
    const next = await connect();
    const j = await next.join("meet", "New");
    assert.equal(j.role, "host");
    assert.deepEqual(j.peers, []);
    assert.deepEqual(j.settings, { locked: false, lobby: false });
  }));

Deno.test("HOSTS=off: nobody hosts and nobody moderates", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const j = await a.join("flat", "A");
    assert.equal(j.role, "guest");
    a.send({ type: "moderate", action: "lock" });
    assert.equal((await a.next("error")).code, "forbidden");
  }, { hosts: false }));

Deno.test("recording: a host starts it, everyone and a late joiner know; a guest cannot; stop tells who", () =>
  withServer(async (_server, connect) => {
    const { h, a, b, jh } = await meeting(connect);
    moderate(a, "record-start");
    assert.equal((await a.next("error")).code, "forbidden");
    moderate(h, "record-start");
    for (const c of [h, a, b]) {
      const m = await c.next("room-settings");
      assert.equal(m.by, jh.id);
      assert.equal(m.recording?.by, jh.id);
      assert.equal(m.recording?.mode, "browser");
      assert.ok(Math.abs(m.recording!.since - Date.now()) < 5000);
    }
    const late = await connect();
    const j = await late.join("meet", "Late");
    assert.equal(j.settings.recording?.by, jh.id);
    moderate(h, "record-stop");
    for (const c of [h, a, b, late]) {
      assert.deepEqual(await c.next("room-settings"), {
        type: "room-settings",
        locked: false,
        lobby: false,
        by: jh.id,
      });
    }
    // Recording again, then the recording host leaves: it ends, told as their leaving.
    moderate(h, "record-start");
    await a.next("room-settings");
    await h.close();
    const ended = await a.next("room-settings");
    assert.equal(ended.recording, undefined);
    assert.equal(ended.by, jh.id);
  }));

Deno.test("server recording news: its file reaches the hosts only, on whatever instance they are", () =>
  withServer(async (server, connect) => {
    const { h, a, b } = await meeting(connect);
    const ready = {
      type: "recording-ready" as const,
      url: "/recordings/20261205040049-cee581918bf9/meeting.webm?expires=9&sig=ab",
      bytes: 10,
      durationMs: 1000,
      mode: "server" as const,
      people: [{ name: "Ana", url: "/recordings/20261205040049-cee581918bf9/people/Ana-x-1.webm" }],
    };
    await server.registry.recordingNews("meet", "20261205040049-cee581918bf9", { ready });
    assert.deepEqual(await h.next("recording-ready"), ready);
    await server.registry.recordingNews("meet", "20261205040049-cee581918bf9", {
      failed: "Cannot save the recording: the server's disk is full",
    });
    const failed = await h.next("error");
    assert.equal(failed.code, "recording-failed");
    // The guests heard neither: the next thing they hear is a chat line.
    h.send({ type: "chat", text: "after" });
    for (const c of [a, b]) assert.equal((await c.next()).type, "chat");
  }));
