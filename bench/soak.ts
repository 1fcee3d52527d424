/**
 * Soak: the server as shipped (its limits on), for SOAK_MINUTES (default 10),
 * with honest rooms beside everything a hostile or broken client does: join
 * and leave churn (clean and abrupt), fuzzed and oversized frames, malformed
 * upgrades, silent and trickling TCP connections, and readers that never
 * read. Every 10 s the server's RSS and open descriptors are sampled. The
 * honest rooms must lose nothing, and memory and descriptors must stay flat
 * after warm-up. Writes its table to docs/benchmarks.md. Not part of the tests.
 *
 *   npm run bench:soak            # 10 minutes
 *   SOAK_MINUTES=1 npm run bench:soak
 */
import { startServerProcess } from "../scripts/spawn-listening.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

const MINUTES = Number(Deno.env.get("SOAK_MINUTES") ?? "10");
const SAMPLE_MS = 10_000;
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await startServerProcess({
  // Every client comes from loopback here: the per-address cap would stop the honest ones too.
  MAX_CONNECTIONS_PER_IP: "100000",
  MAX_BUFFERED_BYTES: String(256 * 1024),
  ICE_SERVERS: '[{"urls":"stun:127.0.0.1:3478"}]',
  LOG_LEVEL: "info", // the "listening" line is how its port is learned
});
const url = `ws://127.0.0.1:${server.port}/ws`;
const started = Date.now();
const until = started + MINUTES * 60_000;
let running = true;

const counts = {
  honestSent: 0,
  honestDelivered: 0,
  honestLost: 0,
  churnCycles: 0,
  fuzzFrames: 0,
  oversized: 0,
  badUpgrades: 0,
  silentConns: 0,
  slowDropped: 0,
};

function open(): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("connect failed"));
  });
}

function joinAs(ws: WebSocket, room: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("join timed out")), 10_000);
    ws.addEventListener("message", function onJoined(ev) {
      const msg = JSON.parse(ev.data);
      if (msg.type !== "joined" && msg.type !== "error") return;
      clearTimeout(timer);
      ws.removeEventListener("message", onJoined);
      if (msg.type === "joined") resolve(msg.id);
      else reject(new Error(msg.message));
    });
    ws.send(JSON.stringify({ type: "join", room, name }));
  });
}

/** Honest pairs: a signal every 100 ms each way, numbered; any gap is a loss. */
async function honestPair(room: string): Promise<void> {
  const [a, b] = [await open(), await open()];
  const ida = await joinAs(a, room, "A");
  const idb = await joinAs(b, room, "B");
  const expect = new Map<WebSocket, number>([[a, 0], [b, 0]]);
  for (const ws of [a, b]) {
    ws.addEventListener("message", (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type !== "signal") return;
      const want = expect.get(ws)!;
      counts.honestDelivered++;
      if (msg.data.seq !== want) counts.honestLost += Math.max(1, msg.data.seq - want);
      expect.set(ws, msg.data.seq + 1);
    });
  }
  let seq = 0;
  while (running) {
    a.send(JSON.stringify({ type: "signal", to: idb, data: { seq } }));
    b.send(JSON.stringify({ type: "signal", to: ida, data: { seq } }));
    counts.honestSent += 2;
    seq++;
    await sleep(100);
  }
  await sleep(500); // the last ones land
  counts.honestLost += [...expect.values()].reduce((n, got) => n + (seq - got), 0);
  a.close(1000);
  b.close(1000);
}

/**
 * Join, talk a little, leave: half cleanly (1000), half as a dropped client
 * does (4002: the seat waits out its resume grace). A fresh room each time, so
 * seats in their grace never fill a room.
 */
async function churn(n: number): Promise<void> {
  for (let cycle = 0; running; cycle++) {
    let ws: WebSocket | undefined;
    try {
      ws = await open();
      await joinAs(ws, `churn-${n}-${cycle}`, `C${n}`);
      ws.send(JSON.stringify({ type: "chat", text: "hello" }));
      await sleep(20 + Math.random() * 80);
      counts.churnCycles++;
    } catch { /* refused under load: try again */ }
    ws?.close(cycle % 2 ? 1000 : 4002);
    await sleep(10);
  }
}

function randomText(): string {
  const pick = Math.random();
  if (pick < 0.3) return "x".repeat(Math.floor(Math.random() * 300));
  if (pick < 0.6) {
    return JSON.stringify({
      type: ["join", "signal", "chat", "state", "nope"][Math.floor(Math.random() * 5)],
      x: Math.random(),
    });
  }
  return String.fromCharCode(
    ...Array.from({ length: 40 }, () => Math.floor(Math.random() * 0xd7ff)),
  );
}

/** Garbage frames, binary frames, and now and then one over the size limit. */
async function fuzz(): Promise<void> {
  while (running) {
    try {
      const ws = await open();
      ws.onmessage = () => {};
      for (let i = 0; i < 200 && running && ws.readyState === WebSocket.OPEN; i++) {
        if (Math.random() < 0.2) ws.send(crypto.getRandomValues(new Uint8Array(64)));
        else ws.send(randomText());
        counts.fuzzFrames++;
        if (i % 20 === 0) await sleep(5);
      }
      if (Math.random() < 0.3 && ws.readyState === WebSocket.OPEN) {
        ws.send("y".repeat(200_000)); // over MAX_MESSAGE_BYTES: closed with 1009
        counts.oversized++;
      }
      await sleep(50);
      ws.close();
    } catch { /* closed under us */ }
  }
}

/** Malformed upgrades, silent connections and slowloris headers over raw TCP. */
async function rawAbuse(): Promise<void> {
  while (running) {
    const conns: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
        counts.silentConns++;
      }
      const bad = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await bad.write(encoder.encode("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"));
      counts.badUpgrades++;
      await bad.read(new Uint8Array(512)).catch(() => null);
      bad.close();
      const slow = conns[0];
      await slow.write(encoder.encode("GET / HTTP/1.1\r\n")).catch(() => {});
      for (let i = 0; i < 20 && running; i++) {
        await slow.write(encoder.encode("X: y\r\n")).catch(() => {});
        await sleep(500);
      }
    } catch { /* refused: fine */ }
    for (const c of conns) {
      try {
        c.close();
      } catch { /* closed by the server */ }
    }
  }
}

/** A reader that never reads, beside a talker: the server must let it go. */
async function slowReader(n: number): Promise<void> {
  while (running) {
    let conn: Deno.Conn | undefined;
    let talker: WebSocket | undefined;
    try {
      conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(encoder.encode(
        `GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ));
      const payload = encoder.encode(
        JSON.stringify({ type: "join", room: `slow-${n}`, name: "S" }),
      );
      const frame = new Uint8Array(2 + 4 + payload.length);
      frame[0] = 0x81;
      frame[1] = 0x80 | payload.length;
      payload.forEach((b, i) => (frame[6 + i] = b)); // mask of zeros
      await conn.write(frame);
      talker = await open();
      await joinAs(talker, `slow-${n}`, "T");
      let left = false;
      talker.addEventListener("message", (ev) => {
        if (JSON.parse(ev.data).type === "peer-left") left = true;
      });
      const text = "z".repeat(1500);
      // Within the rate limit (60/s): about 90 KB/s towards the silent reader.
      for (let i = 0; i < 600 && !left && running; i++) {
        talker.send(JSON.stringify({ type: "chat", text }));
        await sleep(20);
      }
      if (left) counts.slowDropped++;
    } catch { /* try again */ }
    talker?.close(1000);
    try {
      conn?.close();
    } catch { /* closed */ }
    await sleep(100);
  }
}

async function sample(): Promise<{ rssMb: number; fds: number; tcp: number }> {
  const status = await Deno.readTextFile(`/proc/${server.pid}/status`);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let fds = 0;
  for await (const _ of Deno.readDir(`/proc/${server.pid}/fd`)) fds++;
  const metrics = await fetch(`${server.origin}/metrics`).then((r) => r.text()).catch(() => "");
  const tcp = Number(/^video_room_tcp_connections (\d+)/m.exec(metrics)?.[1] ?? -1);
  return { rssMb: rssKb / 1024, fds, tcp };
}

const work = [
  ...Array.from({ length: 20 }, (_, i) => honestPair(`honest-${i}`)),
  ...Array.from({ length: 8 }, (_, i) => churn(i)),
  ...Array.from({ length: 3 }, () => fuzz()),
  ...Array.from({ length: 2 }, () => rawAbuse()),
  ...Array.from({ length: 2 }, (_, i) => slowReader(i)),
];

const rows: string[] = [];
const samples: { t: number; rssMb: number; fds: number }[] = [];
while (Date.now() < until) {
  await sleep(Math.min(SAMPLE_MS, until - Date.now()));
  const s = await sample();
  const t = Math.round((Date.now() - started) / 1000);
  samples.push({ t, rssMb: s.rssMb, fds: s.fds });
  const row = `| ${t} | ${
    s.rssMb.toFixed(1)
  } | ${s.fds} | ${s.tcp} | ${counts.honestDelivered} | ${counts.honestLost} | ${counts.churnCycles} | ${counts.fuzzFrames} | ${counts.silentConns} | ${counts.slowDropped} |`;
  rows.push(row);
  console.error(row);
}
running = false;
await Promise.allSettled(work);
await sleep(1000);
const end = await sample();
await server.stop();

// Flat after warm-up: compare the first sample after 60 s with the last.
const warm = samples.find((s) => s.t >= 60) ?? samples[0];
const last = samples[samples.length - 1];
const bar = (mb: number, max: number) => "█".repeat(Math.max(1, Math.round((mb / max) * 30)));
const maxRss = Math.max(...samples.map((s) => s.rssMb));
const plot = samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0)
  .map((s) => `${String(s.t).padStart(4)} s ${bar(s.rssMb, maxRss)} ${s.rssMb.toFixed(0)} MB`);

const section = [
  "## Soak: honest rooms beside hostile clients",
  "",
  `\`npm run bench:soak\` (bench/soak.ts), ${MINUTES} minutes on ${
    new Date().toISOString().slice(0, 10)
  }: ` +
  "the server as shipped (per-address cap raised: every client is on loopback; MAX_BUFFERED_BYTES 256 KB), " +
  "20 honest pairs each sending a numbered signal every 100 ms both ways, 8 clients joining and leaving " +
  "(half cleanly, half by dropping the socket), 3 fuzzers (random text and binary frames, now and then one over " +
  "MAX_MESSAGE_BYTES), 2 raw abusers (20 silent connections at a time, a slowloris, malformed upgrades) and 2 " +
  "readers that never read beside a talker. Sampled every 10 s.",
  "",
  `Result: ${counts.honestDelivered} honest messages delivered of ${counts.honestSent} sent, **${counts.honestLost} lost**; ` +
  `${counts.churnCycles} join/leave cycles, ${counts.fuzzFrames} fuzzed frames, ${counts.oversized} oversized frames, ` +
  `${counts.badUpgrades} malformed upgrades, ${counts.silentConns} silent connections, ${counts.slowDropped} slow readers dropped. ` +
  `RSS ${warm.rssMb.toFixed(1)} MB after warm-up (${warm.t} s), ${
    last.rssMb.toFixed(1)
  } MB at the end; ` +
  `descriptors ${warm.fds} → ${last.fds} (${end.fds} once the load stopped).`,
  "",
  "```",
  ...plot,
  "```",
  "",
  "| s | RSS MB | fds | TCP conns | honest delivered | honest lost | churn cycles | fuzz frames | silent conns | slow readers dropped |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
  "",
].join("\n");
console.log(section);
await writeBenchmarkSection("soak", section);
console.error("wrote docs/benchmarks.md");
