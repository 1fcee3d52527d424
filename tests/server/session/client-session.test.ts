import assert from "node:assert/strict";
import { TestClient, withServer } from "../test-server.ts";

Deno.test("join: ids are server-assigned and distinct; others see peer-joined", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const b = await connect();
    const ja = await a.join("room1", "Ana");
    assert.equal(ja.room, "room1");
    assert.deepEqual(ja.peers, []);
    assert.deepEqual(ja.iceServers, []);
    assert.ok(ja.id.length >= 16 && ja.resume.length >= 32);
    const jb = await b.join("room1", "Bo");
    assert.notEqual(jb.id, ja.id);
    assert.deepEqual(jb.peers, [{
      id: ja.id,
      name: "Ana",
      state: { audio: false, video: false, screen: false },
      role: "host", // the first in an open room hosts
    }]);
    assert.equal(ja.role, "host");
    assert.equal(jb.role, "guest");
    assert.deepEqual(jb.settings, { locked: false, lobby: false });
    const pj = await a.next("peer-joined");
    assert.deepEqual(pj.peer, {
      id: jb.id,
      name: "Bo",
      state: { audio: false, video: false, screen: false },
      role: "guest",
    });
    await b.nothing("peer-joined");
  }));

Deno.test("signal: delivered only to the addressee, with a server-stamped from", () =>
  withServer(async (_server, connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ja = await a.join("mesh", "A");
    const jb = await b.join("mesh", "B");
    await c.join("mesh", "C");
    a.send({ type: "signal", to: jb.id, from: "spoofed", data: { type: "offer", sdp: "v=0" } });
    const got = await b.next("signal");
    assert.deepEqual(got, { type: "signal", from: ja.id, data: { type: "offer", sdp: "v=0" } });
    await c.nothing("signal");
    await a.nothing("signal");
  }));

Deno.test("rooms are isolated: a peer in another room is unknown-peer", () =>
  withServer(async (_server, connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.join("red", "A");
    const jb = await b.join("blue", "B");
    a.send({ type: "signal", to: jb.id, data: { candidate: "x" } });
    const err = await a.next("error");
    assert.equal(err.code, "unknown-peer");
    a.send({ type: "chat", text: "hello red" });
    await a.next("chat");
    await b.nothing();
  }));

Deno.test("chat: everyone including the sender, same order, sender name and ts", () =>
  withServer(async (_server, connect) => {
    const [a, b] = [await connect(), await connect()];
    const ja = await a.join("chat", "Ana");
    await b.join("chat", "Bo");
    const before = Date.now();
    a.send({ type: "chat", text: "one" });
    b.send({ type: "chat", text: "two" });
    a.send({ type: "chat", text: "<img src=x onerror=alert(1)>" });
    const seenA = [await a.next("chat"), await a.next("chat"), await a.next("chat")];
    const seenB = [await b.next("chat"), await b.next("chat"), await b.next("chat")];
    assert.deepEqual(seenA.map((m) => m.text), seenB.map((m) => m.text));
    const first = seenA.find((m) => m.text === "one")!;
    assert.equal(first.from, ja.id);
    assert.equal(first.name, "Ana");
    assert.ok(first.ts >= before && first.ts <= Date.now());
    assert.ok(seenB.some((m) => m.text === "<img src=x onerror=alert(1)>"));
  }));

Deno.test("state: broadcast to the others and listed for later joiners", () =>
  withServer(async (_server, connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ja = await a.join("st", "A");
    await b.join("st", "B");
    const state = { audio: true, video: false, screen: true };
    a.send({ type: "state", state });
    assert.deepEqual(await b.next("peer-state"), { type: "peer-state", id: ja.id, state });
    await a.nothing("peer-state");
    const jc = await c.join("st", "C");
    assert.deepEqual(jc.peers.find((p) => p.id === ja.id)?.state, state);
  }));

Deno.test("leave and close: peer-left to the others; a left connection may join again", () =>
  withServer(async (_server, connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await a.join("bye", "A");
    const jb = await b.join("bye", "B");
    const jc = await c.join("bye", "C");
    b.send({ type: "leave" });
    assert.equal((await a.next("peer-left")).id, jb.id);
    b.send({ type: "chat", text: "still here?" });
    assert.equal((await b.next("error")).code, "not-in-room");
    const again = await b.join("bye", "B2");
    assert.notEqual(again.id, jb.id);
    await c.close(1000);
    assert.equal((await a.next("peer-left")).id, jc.id);
  }));

Deno.test("error codes: each bad input answered, connection stays usable", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const expectError = async (send: () => void, code: string) => {
      send();
      const e = await a.next("error");
      assert.equal(e.code, code);
      assert.match(e.message, /^Cannot /);
    };
    await expectError(() => a.sendRaw("not json"), "bad-message");
    await expectError(() => a.sendRaw(new Uint8Array([1, 2, 3])), "bad-message");
    await expectError(() => a.send({ type: "nope" }), "bad-message");
    await expectError(() => a.send({ type: "chat" }), "bad-message");
    await expectError(() => a.send({ type: "chat", text: "hi" }), "not-in-room");
    await expectError(() => a.send({ type: "leave" }), "not-in-room");
    await expectError(() => a.send({ type: "signal", to: "x", data: {} }), "not-in-room");
    await expectError(
      () => a.send({ type: "state", state: { audio: true, video: true, screen: false } }),
      "not-in-room",
    );
    await expectError(() => a.send({ type: "join", room: "bad room", name: "A" }), "bad-room");
    await expectError(() => a.send({ type: "join", room: "ok", name: "" }), "bad-name");
    await a.join("ok", "A");
    await expectError(() => a.send({ type: "join", room: "ok", name: "A" }), "already-joined");
    await expectError(() => a.send({ type: "signal", to: "nobody", data: {} }), "unknown-peer");
    // Still usable after all that.
    a.send({ type: "chat", text: "alive" });
    assert.equal((await a.next("chat")).text, "alive");
  }));

Deno.test("room-full: the extra peer is refused and nobody sees it", () =>
  withServer(async (_server, connect) => {
    const members: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await connect();
      await c.join("small", `P${i}`);
      members.push(c);
    }
    const extra = await connect();
    extra.send({ type: "join", room: "small", name: "Extra" });
    assert.equal((await extra.next("error")).code, "room-full");
    await members[2].nothing("peer-joined");
    const late = await connect();
    // After someone leaves, there is room again.
    members[0].send({ type: "leave" });
    await members[1].next("peer-left");
    const j = await late.join("small", "Late");
    assert.equal(j.peers.length, 2);
  }, { maxPeers: 3 }));

Deno.test("too-large: closed with 1009 from the frame's header; others unaffected", () =>
  withServer(
    async (_server, connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.join("big", "A");
      await b.join("big", "B");
      a.send({ type: "chat", text: "x".repeat(3000) });
      assert.equal((await a.closed).code, 1009);
      b.send({ type: "chat", text: "fine" });
      assert.equal((await b.next("chat")).text, "fine");
      // One instance: the test balancer closes a pair before Deno's client reads
      // the close frame's code (it reports 0), which says nothing of the server.
    },
    { maxMessageBytes: 2048 },
    true,
  ));

Deno.test("rate limit: ICE-sized bursts pass, a flood is cut, others unaffected", () =>
  withServer(async (_server, connect) => {
    const [a, b, c, d] = [await connect(), await connect(), await connect(), await connect()];
    await a.join("flood", "A");
    const jb = await b.join("flood", "B");
    await c.join("calm", "C");
    const jd = await d.join("calm", "D");
    // A realistic burst: an offer plus 40 candidates at once all arrive.
    for (let i = 0; i < 41; i++) {
      a.send({ type: "signal", to: jb.id, data: { candidate: `c${i}` } });
    }
    for (let i = 0; i < 41; i++) await b.next("signal");
    // A flood: far past the burst. The excess is refused, the socket stays open.
    for (let i = 0; i < 2000; i++) a.send({ type: "signal", to: jb.id, data: { n: i } });
    const err = await a.next("error");
    assert.equal(err.code, "rate-limited");
    assert.equal(a.socket.readyState, WebSocket.OPEN);
    // Another room is served at once.
    c.send({ type: "signal", to: jd.id, data: { hello: 1 } });
    assert.deepEqual((await d.next("signal")).data, { hello: 1 });
  }));

Deno.test("a browser without WebRTC joins with media none: the others are told, through the lobby too", () =>
  withServer(async (_server, connect) => {
    const [host, chatty, late] = [await connect(), await connect(), await connect()];
    await host.join("nomedia", "Host");
    chatty.send({ type: "join", room: "nomedia", name: "Chatty", media: "none" });
    const joined = await chatty.next("joined");
    assert.equal(joined.role, "guest");
    const seen = await host.next("peer-joined");
    assert.deepEqual(seen.peer, {
      id: joined.id,
      name: "Chatty",
      state: { audio: false, video: false, screen: false },
      role: "guest",
      media: "none",
    });
    // A late joiner finds it in the list; a media-none guest let in from the lobby keeps it.
    const jl = await late.join("nomedia", "Late");
    assert.equal(jl.peers.find((p) => p.id === joined.id)?.media, "none");
    host.send({ type: "moderate", action: "lobby-on" });
    await host.next("room-settings");
    const waiter = await connect();
    waiter.send({ type: "join", room: "nomedia", name: "Waiter", media: "none" });
    const knock = await host.next("knock");
    host.send({ type: "moderate", action: "admit", to: knock.peer.id });
    assert.equal((await host.next("peer-joined")).peer.media, "none");
    assert.equal((await waiter.next("joined")).id, knock.peer.id);
  }));
