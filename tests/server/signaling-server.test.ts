import assert from "node:assert/strict";
import { until } from "../shared/until.ts";
import { rawJoin, startTestServer, TestClient, withServer } from "./test-server.ts";

Deno.test("healthz and metrics report rooms, peers, relays and errors", () =>
  withServer(
    async (server, connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.join("h", "A");
      const jb = await b.join("h", "B");
      a.send({ type: "signal", to: jb.id, data: { sdp: "x" } });
      await b.next("signal");
      a.sendRaw("garbage");
      await a.next("error");
      const health = await fetch(`${server.origin}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: "ok", rooms: 1, peers: 2 });
      const metrics = await fetch(`${server.origin}/metrics`);
      assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0.0.4/);
      const text = await metrics.text();
      assert.match(text, /^video_room_connections 2$/m);
      assert.match(text, /^video_room_available 1$/m);
      assert.match(text, /^video_room_rooms 1$/m);
      assert.match(text, /^video_room_peers 2$/m);
      assert.match(text, /^video_room_messages_relayed_total\{type="signal"\} 1$/m);
      assert.match(text, /^video_room_errors_total\{code="bad-message"\} 1$/m);
    },
    {},
    true,
  ));

Deno.test("/ws without an upgrade is 426; other methods 405", () =>
  withServer(async (server) => {
    const r = await fetch(`${server.origin}/ws`);
    assert.equal(r.status, 426);
    await r.body?.cancel();
    const p = await fetch(`${server.origin}/healthz`, { method: "POST" });
    assert.equal(p.status, 405);
    await p.body?.cancel();
  }));

Deno.test("ALLOWED_ORIGINS: others are refused with 403", async () => {
  const server = startTestServer({ allowedOrigins: ["https://good.example"] });
  try {
    const good = new TestClient(`ws://127.0.0.1:${server.port}/ws`, undefined, {
      headers: { origin: "https://good.example" },
    });
    await good.opened;
    await good.close();
    const r = await fetch(`${server.origin}/ws`, {
      headers: {
        origin: "https://evil.example",
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /^Cannot connect: origin https:\/\/evil.example/);
    const none = new TestClient(`ws://127.0.0.1:${server.port}/ws`);
    await assert.rejects(none.opened);
    await none.closed;
  } finally {
    await server.shutdown();
  }
});

Deno.test("shutdown closes every socket with 1012", async () => {
  const server = startTestServer();
  const a = await TestClient.connect(server);
  await a.join("x", "A");
  await server.shutdown();
  assert.equal((await a.closed).code, 1012);
});

Deno.test("200 clients in 50 rooms at once: full meshes, no cross-talk", () =>
  withServer(async (_server, connect) => {
    const rooms = 50, perRoom = 4;
    const clients = await Promise.all(
      Array.from({ length: rooms * perRoom }, () => connect()),
    );
    const joined = await Promise.all(
      clients.map((c, i) => c.join(`room-${i % rooms}`, `peer-${i}`)),
    );
    // Every client addresses every other member of its room.
    const byRoom = new Map<string, number[]>();
    joined.forEach((j, i) => byRoom.set(j.room, [...(byRoom.get(j.room) ?? []), i]));
    for (const members of byRoom.values()) {
      assert.equal(members.length, perRoom);
      for (const i of members) {
        for (const k of members) {
          if (i !== k) clients[i].send({ type: "signal", to: joined[k].id, data: { from: i } });
        }
      }
    }
    await Promise.all(clients.map(async (c, i) => {
      const senders = new Set<number>();
      for (let n = 0; n < perRoom - 1; n++) {
        const s = await c.next("signal", 10000);
        senders.add((s.data as { from: number }).from);
      }
      const room = joined[i].room;
      for (const s of senders) assert.equal(joined[s].room, room);
      assert.equal(senders.size, perRoom - 1);
    }));
  }, { maxConnectionsPerIp: 1000 })); // all from one loopback address

Deno.test("served pages carry security headers", () =>
  withServer(async (server) => {
    for (const path of ["/", "/nope.html"]) {
      const r = await fetch(`${server.origin}${path}`);
      await r.body?.cancel();
      const csp = r.headers.get("content-security-policy")!;
      assert.match(csp, /default-src 'self'/);
      // WebAssembly may be compiled (noise suppression); JavaScript may not be evaluated.
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
      assert.equal(r.headers.get("x-content-type-options"), "nosniff");
      assert.equal(r.headers.get("referrer-policy"), "no-referrer");
    }
  }));

Deno.test("MAX_CONNECTIONS: the extra socket is closed with 1013 and a reason", async () => {
  const server = startTestServer({ maxConnections: 2 });
  const a = await TestClient.connect(server);
  const b = await TestClient.connect(server);
  try {
    const c = new TestClient(`ws://127.0.0.1:${server.port}/ws`);
    const closed = await c.closed;
    assert.equal(closed.code, 1013);
    assert.match(closed.reason, /server full/);
    await a.close();
    const d = await TestClient.connect(server); // room again
    await d.join("r", "D");
    await d.close();
  } finally {
    await b.close();
    await server.shutdown();
  }
});

Deno.test("MAX_CONNECTIONS_PER_IP: a third socket from one address is refused", async () => {
  const server = startTestServer({ maxConnectionsPerIp: 2 });
  const a = await TestClient.connect(server);
  const b = await TestClient.connect(server);
  try {
    const c = new TestClient(`ws://127.0.0.1:${server.port}/ws`);
    const closed = await c.closed;
    assert.equal(closed.code, 1013);
    assert.match(closed.reason, /too many connections from your address/);
    // The others keep working.
    await a.join("r", "A");
    await b.join("r", "B");
    assert.equal((await a.next("peer-joined")).peer.name, "B");
  } finally {
    await a.close();
    await b.close();
    await server.shutdown();
  }
});

Deno.test("TRUST_PROXY: the per-IP cap counts X-Forwarded-For addresses", async () => {
  const server = startTestServer({ maxConnectionsPerIp: 1, trustProxy: true });
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const from = (ip: string) =>
    new TestClient(url, undefined, { headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } });
  const a = from("203.0.113.1");
  const b = from("203.0.113.2");
  try {
    await a.opened;
    await b.opened; // another client behind the same proxy: allowed
    const a2 = from("203.0.113.1");
    assert.equal((await a2.closed).code, 1013);
  } finally {
    await a.close();
    await b.close();
    await server.shutdown();
  }
});

Deno.test("a client that stops reading is disconnected instead of buffering without bound", () =>
  withServer(
    async (server, connect) => {
      const { conn, id } = await rawJoin(server.port, "slow", "Sloth"); // never reads again
      const talker = await connect();
      await talker.join("slow", "Talker");
      const text = "x".repeat(2000);
      // Each chat goes to everyone, the silent reader included. The talker reads
      // its echoes of one burst before sending the next, as a real client keeps
      // up (else it too is slow: a stalled test process once got it dropped).
      // Loopback's kernel buffers take several MB before the server's own buffer grows.
      const left = () => talker.received.some((m) => m.type === "peer-left");
      for (let i = 0; i < 300 && !left(); i++) {
        const echoed = talker.received.length + 50;
        for (let k = 0; k < 50; k++) talker.send({ type: "chat", text });
        await until(() => talker.received.length >= echoed || left(), "echoes", 5000, 2);
      }
      assert.equal((await talker.next("peer-left", 5000)).id, id);
      assert.equal(talker.socket.readyState, WebSocket.OPEN, "the reading client is kept");
      assert.equal(server.registry.peerCount, 1);
      assert.match(await (await fetch(`${server.origin}/metrics`)).text(), /code="too-slow"/);
      conn.close();
    },
    { maxBufferedBytes: 256 * 1024, rateBurst: 1e9, ratePerSecond: 1e9, resumeGraceMs: 50 },
    true,
  ));
