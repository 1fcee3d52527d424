/**
 * What one hostile client can do beneath the protocol (silent or trickling
 * TCP connections, descriptor exhaustion, binary floods, oversized frames,
 * readers that never read, malformed upgrades) must cost it, not everybody.
 * Each test here failed against the server as it was before.
 */
import assert from "node:assert/strict";
import { DEFAULT_CONFIG } from "../../../server/config.ts";
import { createLogger } from "../../../server/observe/logger.ts";
import { startServer } from "../../../server/signaling-server.ts";
import { spawnListening } from "../../../scripts/spawn-listening.ts";
import { rawGet } from "../../shared/raw-http.ts";
import { until } from "../../shared/until.ts";
import { rawJoin, startTestServer, TestClient, withServer } from "../test-server.ts";

const encoder = new TextEncoder();
const main = new URL("../../../server/main.ts", import.meta.url).pathname;

/** Closes our end of each connection (those already closed are skipped). */
function closeAll(conns: Iterable<Deno.Conn>): void {
  for (const conn of conns) {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/** True once the server has closed the connection (EOF or reset) within `ms`. Closes our end. */
async function closedByServer(conn: Deno.Conn, ms: number): Promise<boolean> {
  const buf = new Uint8Array(4096);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const read = conn.read(buf).then((n) => n, () => null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      read,
      new Promise<"wait">((r) => (timer = setTimeout(() => r("wait"), deadline - Date.now()))),
    ]);
    clearTimeout(timer);
    if (n === null) {
      closeAll([conn]);
      return true;
    }
    if (n === "wait") {
      conn.close(); // the pending read ends with the close
      await read;
      return false;
    }
  }
  return false;
}

function upgradeRequest(extra = ""): Uint8Array {
  return encoder.encode(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );
}

Deno.test("silent and trickling connections are closed once the request timeout passes", async () => {
  const server = startTestServer({ requestTimeoutMs: 400 });
  const conns: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    // Slowloris: a request whose headers never end.
    const slow = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await slow.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n"));
    const trickle = setInterval(() => slow.write(encoder.encode("X-a: b\r\n")).catch(() => {}), 50);
    try {
      assert.ok(await closedByServer(slow, 3000), "the trickling connection is closed");
    } finally {
      clearInterval(trickle);
      closeAll([slow]);
    }
    for (const conn of conns) assert.ok(await closedByServer(conn, 3000), "a silent one is closed");
    assert.ok(server.metrics.timedOut >= 21);
    // And the server answers as ever.
    const { status } = await rawGet(server.port, "/healthz");
    assert.equal(status, 200);
  } finally {
    closeAll(conns);
    await server.shutdown();
  }
});

Deno.test("one address holds at most its share of connections; the rest are closed at once", async () => {
  const server = startTestServer({ maxConnectionsPerIp: 5, requestTimeoutMs: 5000 });
  const conns: Deno.Conn[] = [];
  try {
    // 5 WebSockets' worth plus the page-load allowance (20), then 15 more.
    for (let i = 0; i < 40; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    const closed = await Promise.all(conns.map((conn) => closedByServer(conn, 500)));
    assert.equal(closed.filter((c) => c).length, 15);
    assert.equal(server.metrics.refused.get("per-address"), 15);
  } finally {
    closeAll(conns);
    await server.shutdown();
  }
});

Deno.test("at its descriptor limit the server refuses new connections, keeps its calls, and recovers", async () => {
  // The server in its own process under `ulimit -n 256`, as an operator might run it.
  const server = await spawnListening(
    "sh",
    [
      "-c",
      `ulimit -n 256 && exec "${Deno.execPath()}" run --allow-net --allow-read --allow-env ${main}`,
    ],
    {
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      REQUEST_TIMEOUT_MS: "1500",
      // Many addresses at once, as in a distributed attack: the per-address cap is not the limit.
      MAX_CONNECTIONS_PER_IP: "5000",
    },
  );
  const flood: Deno.Conn[] = [];
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const [ana, bo] = [new TestClient(url), new TestClient(url)];
  try {
    await Promise.all([ana.opened, bo.opened]);
    await ana.join("steady", "Ana");
    await bo.join("steady", "Bo");
    // 400 connections that never say anything: more than the process can hold.
    for (let i = 0; i < 400; i++) {
      try {
        flood.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
      } catch { /* refused by the kernel: fine too */ }
    }
    // The call in progress goes on meanwhile.
    for (let i = 0; i < 5; i++) {
      ana.send({ type: "chat", text: `still here ${i}` });
      assert.equal((await bo.next("chat", 5000)).text, `still here ${i}`);
    }
    // Once the silent ones are timed out, newcomers get in again by themselves.
    const metrics = await until(
      async () => {
        const r = await rawGet(server.port, "/metrics").catch(() => null);
        return r?.status === 200 && r.body;
      },
      "the server answering again",
      20000,
    );
    assert.match(metrics, /video_room_connections_refused_total\{reason="descriptors"\} [1-9]/);
    assert.match(metrics, /video_room_connections_timed_out_total [1-9]/);
    const cy = new TestClient(url);
    await cy.opened;
    const joined = await cy.join("steady", "Cy");
    assert.equal(joined.peers.length, 2);
    await cy.close();
    assert.equal(ana.socket.readyState, WebSocket.OPEN);
  } finally {
    closeAll(flood);
    await ana.close();
    await bo.close();
    await server.stop();
  }
});

Deno.test("binary frames count toward the rate limit, and every dropped frame is reported", () =>
  withServer(
    async (server, connect) => {
      const a = await connect();
      for (let i = 0; i < 401; i++) a.sendRaw(new Uint8Array([i & 0xff]));
      await new Promise((r) => setTimeout(r, 1500)); // past the quiet second
      const bad = a.received.filter((m) => m.type === "error" && m.code === "bad-message");
      const notices = a.received.filter((m) => m.type === "error" && m.code === "rate-limited");
      assert.equal(bad.length, 300, "the burst is answered, the rest is not");
      const reported = notices.reduce(
        (n, m) => n + Number(/; (\d+) dropped$/.exec((m as { message: string }).message)![1]),
        0,
      );
      assert.equal(reported, 101, "the notices add up to what was dropped");
      assert.ok(notices.length >= 1 && notices.length <= 2, `${notices.length} notices`);
      const text = await (await fetch(`${server.origin}/metrics`)).text();
      assert.match(text, /^video_room_frames_dropped_total 101$/m);
      assert.match(
        text,
        new RegExp(`^video_room_errors_total\\{code="rate-limited"\\} ${notices.length}$`, "m"),
      );
    },
    { rateBurst: 300, ratePerSecond: 1 },
    true,
  ));

Deno.test("an oversized frame is refused from its header (1009) without the server reading it", async () => {
  const server = startTestServer({ maxMessageBytes: 65536 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(upgradeRequest());
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    assert.match(new TextDecoder().decode(buf.subarray(0, n!)), /^HTTP\/1.1 101/);
    // A masked text frame announcing 32 MiB; only the header and 64 KiB follow.
    const header = new Uint8Array(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    new DataView(header.buffer).setBigUint64(2, BigInt(32 * 1024 * 1024));
    await conn.write(header);
    await conn.write(new Uint8Array(65536)).catch(() => {});
    // The close frame comes without the rest of the 32 MiB ever being sent.
    const got = await conn.read(buf);
    assert.ok(got !== null && got >= 4);
    assert.equal(buf[0], 0x88, "a close frame");
    assert.equal((buf[2] << 8) | buf[3], 1009);
  } finally {
    conn.close();
    await server.shutdown();
  }
});

Deno.test("a reader dropped for not reading gives back its connection slot at once", () =>
  withServer(
    async (server, connect) => {
      const sloth = await rawJoin(server.port, "slow", "Sloth"); // never reads again
      const talker = await connect();
      await talker.join("slow", "Talker");
      const text = "x".repeat(2000);
      const left = () => talker.received.some((m) => m.type === "peer-left");
      for (let i = 0; i < 300 && !left(); i++) {
        const echoed = talker.received.length + 50;
        for (let k = 0; k < 50; k++) talker.send({ type: "chat", text });
        await until(() => talker.received.length >= echoed || left(), "echoes", 5000, 2);
      }
      await talker.next("peer-left", 5000);
      // Its socket is cut, not left waiting for a close frame stuck behind unread data.
      assert.ok(await closedByServer(sloth.conn, 2000), "the slow reader's connection is cut");
      // With MAX_CONNECTIONS_PER_IP=3: the talker plus two newcomers fit again.
      const [x, y] = [await connect(), await connect()];
      await x.join("slow", "X");
      await y.join("slow", "Y");
    },
    {
      maxBufferedBytes: 256 * 1024,
      maxConnectionsPerIp: 3,
      rateBurst: 1e9,
      ratePerSecond: 1e9,
      resumeGraceMs: 50,
    },
    true,
  ));

Deno.test("malformed upgrades get a 400, and one log line per source per minute", async () => {
  const lines: string[] = [];
  const server = startServer(
    { ...DEFAULT_CONFIG, port: 0, host: "127.0.0.1" },
    { logger: createLogger("info", (line) => lines.push(line)) },
  );
  try {
    const shapes = [
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", // no Connection, no key
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", // no key
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ];
    for (let i = 0; i < 30; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(encoder.encode(shapes[i % shapes.length]));
      const buf = new Uint8Array(1024);
      const n = await conn.read(buf);
      const head = new TextDecoder().decode(buf.subarray(0, n!));
      assert.match(head, /^HTTP\/1.1 400 /, head);
      assert.match(head, /Cannot upgrade: /);
      conn.close();
    }
    const logged = lines.filter((l) => l.includes("malformed upgrade"));
    assert.equal(logged.length, 1, logged.join("\n"));
    assert.equal(server.metrics.badUpgrades, 30);
    assert.ok(!lines.some((l) => l.includes('"level":"error"')), "no error, no stack trace");
  } finally {
    await server.shutdown();
  }
});
