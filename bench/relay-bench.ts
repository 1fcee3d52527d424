/**
 * Signaling relay, side by side: ours, a socket.io tutorial server and a bare
 * Deno relay, driven in turn by the same load from WebSocket clients on
 * loopback, interleaved round by round so machine noise hits all alike.
 */
import { io, type Socket } from "socket.io-client";
import { type ListeningProcess, spawnListening } from "../scripts/spawn-listening.ts";

const root = new URL("..", import.meta.url).pathname;

export type ServerKind = "ours" | "socket.io" | "bare";
export const KINDS: ServerKind[] = ["ours", "socket.io", "bare"];

interface Payload {
  to: string;
  seq: number;
  /** performance.now() at send: the load generator is one process, one clock. */
  t: number;
  body: string;
}

/** One peer, whatever the server speaks. */
interface BenchClient {
  id: string;
  send(to: string, kind: "sdp" | "ice", payload: Payload): void;
  onSignal(handler: (payload: Payload) => void): void;
  close(): void;
}

// SDP-like (1–4 KB) and candidate-like (~200 B) bodies.
const SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n".repeat(50).slice(0, 2500);
const ICE =
  "candidate:842163049 1 udp 1677729535 192.0.2.10 47531 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999"
    .slice(0, 200);

export const OURS_PERMISSIONS = ["--allow-net", "--allow-read", "--allow-env"];

/**
 * Ours as shipped, except the limits that exist to stop one client from doing
 * exactly what a saturation benchmark does.
 */
export const OURS_BENCH_ENV: Record<string, string> = {
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_LEVEL: "info",
  MAX_CONNECTIONS_PER_IP: "100000",
  RATE_LIMIT_PER_SECOND: "1000000000",
  RATE_LIMIT_BURST: "1000000000",
  ICE_SERVERS: '[{"urls":"stun:127.0.0.1:3478"}]', // silences the no-STUN warning
};

export function startServer(kind: ServerKind): Promise<ListeningProcess> {
  const deno = Deno.execPath();
  switch (kind) {
    case "ours":
      return spawnListening(
        deno,
        ["run", ...OURS_PERMISSIONS, `${root}server/main.ts`],
        OURS_BENCH_ENV,
      );
    case "bare":
      return spawnListening(deno, [
        "run",
        "--allow-net",
        "--allow-env",
        `${root}bench/servers/bare-relay.ts`,
      ], {});
    case "socket.io":
      return spawnListening("node", [`${root}bench/servers/socketio-server.mjs`], { PORT: "0" });
  }
}

async function connectRaw(port: number, room: string): Promise<BenchClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  let handler: (p: Payload) => void = () => {};
  const joined = new Promise<string>((resolve, reject) => {
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "joined") resolve(msg.id);
      else if (msg.type === "signal") handler(msg.data);
    };
    ws.onerror = () => reject(new Error("connection failed"));
  });
  await new Promise((r, j) => {
    ws.onopen = r;
    ws.onerror = () => j(new Error("connection failed"));
  });
  ws.send(JSON.stringify({ type: "join", room, name: "bench" }));
  const id = await joined;
  return {
    id,
    send: (to, _kind, payload) => ws.send(JSON.stringify({ type: "signal", to, data: payload })),
    onSignal: (h) => (handler = h),
    close: () => ws.close(1000),
  };
}

async function connectSocketIo(port: number, room: string): Promise<BenchClient> {
  const socket: Socket = io(`http://127.0.0.1:${port}`, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  const id = await new Promise<string>((resolve, reject) => {
    socket.once("joined", (m: { id: string }) => resolve(m.id));
    socket.once("connect_error", reject);
    socket.emit("join_room", room);
  });
  let handler: (p: Payload) => void = () => {};
  // The tutorial design sends to the whole room; each peer keeps what is addressed to it.
  const receive = (p: Payload & { from: string }) => {
    if (p.to === id) handler(p);
  };
  socket.on("offer", receive);
  socket.on("ice", receive);
  return {
    id,
    send: (_to, kind, payload) => socket.emit(kind === "sdp" ? "offer" : "ice", payload),
    onSignal: (h) => (handler = h),
    close: () => socket.close(),
  };
}

export function connect(kind: ServerKind, port: number, room: string): Promise<BenchClient> {
  return kind === "socket.io" ? connectSocketIo(port, room) : connectRaw(port, room);
}

/** CPU seconds (user + system) the process has used, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in ticks (USER_HZ 100)
}

export async function rssBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/**
 * Where the load goes: the ports clients connect to (member k of every room
 * to ports[k % n], so with two instances the two peers of a room are on
 * different ones), the server processes whose CPU counts, and processes
 * whose CPU is reported beside it (Redis).
 */
export interface BenchTarget {
  ports: number[];
  pids: number[];
  sidePids?: number[];
}

export const targetOf = (server: ListeningProcess): BenchTarget => ({
  ports: [server.port],
  pids: [server.pid],
});

async function connectMany(
  kind: ServerKind,
  ports: number[],
  rooms: number,
  perRoom: number,
) {
  const clients: BenchClient[][] = [];
  for (let r = 0; r < rooms; r += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, rooms - r) }, async (_, i) => {
        const members: BenchClient[] = [];
        for (let k = 0; k < perRoom; k++) {
          members.push(await connect(kind, ports[k % ports.length], `room-${r + i}`));
        }
        return members;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export interface Throughput {
  perSecond: number;
  cpuMicrosPerMessage: number;
  /** CPU of the side processes (Redis) per message; 0 when there are none. */
  sideCpuMicrosPerMessage: number;
}

const totalCpu = async (pids: number[] = []) =>
  (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);

/**
 * Saturation: in every room, pairs play ping-pong with a window of messages
 * in flight (alternating SDP-like and candidate-like). Counts messages
 * delivered to their addressee during `seconds`.
 */
export async function throughput(
  kind: ServerKind,
  target: BenchTarget,
  rooms: number,
  perRoom: number,
  seconds: number,
): Promise<Throughput> {
  const all = await connectMany(kind, target.ports, rooms, perRoom);
  let delivered = 0;
  let running = true;
  for (const members of all) {
    for (let k = 0; k + 1 < members.length; k += 2) {
      const [a, b] = [members[k], members[k + 1]];
      const bounce = (from: BenchClient, to: BenchClient) =>
        from.onSignal((p) => {
          delivered++;
          if (!running) return;
          const kind = p.seq % 4 === 0 ? "sdp" : "ice";
          from.send(to.id, kind, {
            to: to.id,
            seq: p.seq + 1,
            t: performance.now(),
            body: kind === "sdp" ? SDP : ICE,
          });
        });
      bounce(a, b);
      bounce(b, a);
      for (let w = 0; w < 8; w++) {
        a.send(b.id, "ice", { to: b.id, seq: w, t: performance.now(), body: ICE });
      }
    }
  }
  await new Promise((r) => setTimeout(r, 500)); // warm up
  const cpu0 = await totalCpu(target.pids);
  const side0 = await totalCpu(target.sidePids);
  const count0 = delivered;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu1 = await totalCpu(target.pids);
  const side1 = await totalCpu(target.sidePids);
  const count = delivered - count0;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  await new Promise((r) => setTimeout(r, 200));
  for (const members of all) for (const c of members) c.close();
  await new Promise((r) => setTimeout(r, 300));
  return {
    perSecond: count / elapsed,
    cpuMicrosPerMessage: ((cpu1 - cpu0) * 1e6) / count,
    sideCpuMicrosPerMessage: ((side1 - side0) * 1e6) / count,
  };
}

/** One-way relay latency at a fixed, moderate rate: every pair sends one message each `intervalMs`. */
export async function latency(
  kind: ServerKind,
  target: BenchTarget,
  rooms: number,
  intervalMs: number,
  seconds: number,
): Promise<{ p50: number; p99: number; rate: number }> {
  const all = await connectMany(kind, target.ports, rooms, 2);
  const samples: number[] = [];
  for (const [, b] of all) b.onSignal((p) => samples.push(performance.now() - p.t));
  let seq = 0;
  const timer = setInterval(() => {
    for (const [a, b] of all) {
      const kind = seq % 4 === 0 ? "sdp" : "ice";
      a.send(b.id, kind, { to: b.id, seq, t: performance.now(), body: kind === "sdp" ? SDP : ICE });
    }
    seq++;
  }, intervalMs);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 300));
  for (const members of all) for (const c of members) c.close();
  await new Promise((r) => setTimeout(r, 300));
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    rate: (rooms * 1000) / intervalMs,
  };
}

/**
 * CPU per message at a fixed, realistic rate rather than at saturation
 * (where reads and writes batch and every server looks cheaper): `rooms`
 * pairs, one side sending SDP-sized (2 KB) signals so that `ratePerSecond`
 * arrive in all, in 10 ms ticks. Also the one-way latency of each.
 */
export async function fixedRate(
  kind: ServerKind,
  target: BenchTarget,
  rooms: number,
  ratePerSecond: number,
  seconds: number,
): Promise<{ cpuMicrosPerMessage: number; perSecond: number; p50: number; p99: number }> {
  const all = await connectMany(kind, target.ports, rooms, 2);
  const samples: number[] = [];
  let delivered = 0;
  for (const [, b] of all) {
    b.onSignal((p) => {
      delivered++;
      samples.push(performance.now() - p.t);
    });
  }
  const perTick = ratePerSecond / rooms / 100;
  let owed = 0;
  const timer = setInterval(() => {
    for (owed += perTick; owed >= 1; owed--) {
      for (const [a, b] of all) {
        a.send(b.id, "sdp", { to: b.id, seq: 0, t: performance.now(), body: SDP });
      }
    }
  }, 10);
  await new Promise((r) => setTimeout(r, 1000)); // warm up
  samples.length = 0;
  const cpu0 = await totalCpu(target.pids);
  const count0 = delivered;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu1 = await totalCpu(target.pids);
  const count = delivered - count0;
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 300));
  for (const members of all) for (const c of members) c.close();
  await new Promise((r) => setTimeout(r, 300));
  return {
    cpuMicrosPerMessage: ((cpu1 - cpu0) * 1e6) / count,
    perSecond: count / elapsed,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
  };
}

/** Connect → joined, one at a time, `n` fresh connections. */
export async function joinLatency(kind: ServerKind, server: ListeningProcess, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const c = await connect(kind, server.port, `join-${i % 50}`);
    times.push(performance.now() - t0);
    c.close();
  }
  await new Promise((r) => setTimeout(r, 300));
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Server memory per connected, idle peer: RSS growth over `n` peers in rooms of two. */
export async function memoryPerPeer(kind: ServerKind, n: number): Promise<number> {
  const server = await startServer(kind);
  try {
    await new Promise((r) => setTimeout(r, 500));
    const before = await rssBytes(server.pid);
    const all = await connectMany(kind, [server.port], n / 2, 2);
    await new Promise((r) => setTimeout(r, 1500)); // let allocations settle
    const after = await rssBytes(server.pid);
    for (const members of all) for (const c of members) c.close();
    return (after - before) / n;
  } finally {
    await server.stop();
  }
}
