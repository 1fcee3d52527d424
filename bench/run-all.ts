/**
 * `npm run bench`: every benchmark, printed as Markdown tables and written to
 * docs/benchmarks.md with the date and the machine. Bounded: every run has a
 * fixed count or duration. Build first (npm run build) for the browser part.
 */
import { browserBench } from "./browser-bench.ts";
import { clusterRound, type ClusterRun, SETUPS } from "./cluster-bench.ts";
import {
  joinLatency,
  KINDS,
  latency,
  memoryPerPeer,
  type ServerKind,
  startServer,
  targetOf,
  throughput,
} from "./relay-bench.ts";
import { measureBundle, sizeTable } from "../scripts/bundle-size.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => console.error(`· ${s}`);

async function machine(): Promise<string> {
  const cpu = /model name\s*:\s*(.+)/.exec(await Deno.readTextFile("/proc/cpuinfo"))?.[1] ?? "?";
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(await Deno.readTextFile("/proc/meminfo"))?.[1]);
  const node = new TextDecoder().decode(
    (await new Deno.Command("node", { args: ["--version"] }).output()).stdout,
  ).trim();
  const chromium = new TextDecoder().decode(
    (await new Deno.Command("/usr/bin/chromium", { args: ["--version"] }).output().catch(() => ({
      stdout: new Uint8Array(),
    }))).stdout,
  ).trim();
  return `${navigator.hardwareConcurrency} cores (${cpu}), ${
    fmt(memKb / 1024 / 1024, 0)
  } GB RAM; Deno ${Deno.version.deno}, Node ${node}, ${chromium}`;
}

type PerKind<T> = Record<ServerKind, T[]>;
const perKind = <T>(): PerKind<T> => ({ ours: [], "socket.io": [], bare: [] });

/** Runs `fn` for every server in turn, ROUNDS times: noise hits all alike. */
async function interleaved<T>(
  label: string,
  fn: (kind: ServerKind) => Promise<T>,
): Promise<PerKind<T>> {
  const out = perKind<T>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of KINDS) {
      log(`${label}: ${kind}, round ${r + 1}/${ROUNDS}`);
      out[kind].push(await fn(kind));
    }
  }
  return out;
}

async function withServer<T>(
  kind: ServerKind,
  fn: (s: Awaited<ReturnType<typeof startServer>>) => Promise<T>,
) {
  const server = await startServer(kind);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

const started = Date.now();
const sat2 = await interleaved(
  "throughput, 2-peer rooms",
  (k) => withServer(k, (s) => throughput(k, targetOf(s), 50, 2, 4)),
);
const sat6 = await interleaved(
  "throughput, 6-peer rooms",
  (k) => withServer(k, (s) => throughput(k, targetOf(s), 17, 6, 4)),
);
const lat = await interleaved(
  "latency at 2 000 msg/s",
  (k) => withServer(k, (s) => latency(k, targetOf(s), 50, 25, 3)),
);
const joins = await interleaved(
  "join latency",
  (k) => withServer(k, (s) => joinLatency(k, s, 200)),
);
const cluster: ClusterRun[][] = [];
for (let r = 0; r < ROUNDS; r++) {
  log(`cluster, round ${r + 1}/${ROUNDS}`);
  const round = await clusterRound(log);
  cluster.push(SETUPS.map((s) => round[s]));
}
const mem: Record<number, Record<ServerKind, number>> = {};
for (const n of [1000, 5000]) {
  mem[n] = { ours: 0, "socket.io": 0, bare: 0 };
  for (const kind of KINDS) {
    log(`memory, ${n} idle peers: ${kind}`);
    mem[n][kind] = await memoryPerPeer(kind, n);
  }
}
log("browser: join to first frame, full mesh");
const browser = await browserBench(5);
const sizes = await measureBundle();

const m = (kind: ServerKind, xs: PerKind<{ perSecond: number; cpuMicrosPerMessage: number }>) => ({
  rate: median(xs[kind].map((x) => x.perSecond)),
  cpu: median(xs[kind].map((x) => x.cpuMicrosPerMessage)),
});
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const lines: string[] = [];
lines.push(`Run on ${new Date().toISOString().slice(0, 10)}, ${await machine()}.`);
lines.push(
  `Medians of ${ROUNDS} interleaved rounds; the load generator (Deno, WebSocket clients on loopback) shares the machine.`,
);
lines.push(
  "Ours runs as shipped except its per-connection rate limit and per-IP cap, raised so one client may saturate it.",
  "",
);
lines.push("## Signaling relay", "");
lines.push(
  "| | ours | socket.io | bare relay | ours/socket.io | ours/bare |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
);
for (const [label, data] of [["2-peer rooms (50)", sat2], ["6-peer rooms (17)", sat6]] as const) {
  const [o, s, b] = KINDS.map((k) => m(k, data));
  lines.push(
    `| messages/s, ${label} | ${fmt(o.rate)} | ${fmt(s.rate)} | ${fmt(b.rate)} | ${
      ratio(o.rate, s.rate)
    } | ${ratio(o.rate, b.rate)} |`,
  );
  lines.push(
    `| server CPU µs/message, ${label} | ${fmt(o.cpu, 1)} | ${fmt(s.cpu, 1)} | ${fmt(b.cpu, 1)} | ${
      ratio(o.cpu, s.cpu)
    } | ${ratio(o.cpu, b.cpu)} |`,
  );
}
const l = (k: ServerKind, p: "p50" | "p99") => median(lat[k].map((x) => x[p]));
lines.push(
  `| relay latency p50 at 2 000 msg/s (ms) | ${fmt(l("ours", "p50"), 2)} | ${
    fmt(l("socket.io", "p50"), 2)
  } | ${fmt(l("bare", "p50"), 2)} | ${ratio(l("ours", "p50"), l("socket.io", "p50"))} | ${
    ratio(l("ours", "p50"), l("bare", "p50"))
  } |`,
);
lines.push(
  `| relay latency p99 at 2 000 msg/s (ms) | ${fmt(l("ours", "p99"), 2)} | ${
    fmt(l("socket.io", "p99"), 2)
  } | ${fmt(l("bare", "p99"), 2)} | ${ratio(l("ours", "p99"), l("socket.io", "p99"))} | ${
    ratio(l("ours", "p99"), l("bare", "p99"))
  } |`,
);
const j = (k: ServerKind, p: "p50" | "p99") => median(joins[k].map((x) => x[p]));
lines.push(
  `| join latency p50, connect → joined (ms) | ${fmt(j("ours", "p50"), 2)} | ${
    fmt(j("socket.io", "p50"), 2)
  } | ${fmt(j("bare", "p50"), 2)} | ${ratio(j("ours", "p50"), j("socket.io", "p50"))} | ${
    ratio(j("ours", "p50"), j("bare", "p50"))
  } |`,
);
lines.push(
  `| join latency p99 (ms) | ${fmt(j("ours", "p99"), 2)} | ${fmt(j("socket.io", "p99"), 2)} | ${
    fmt(j("bare", "p99"), 2)
  } | ${ratio(j("ours", "p99"), j("socket.io", "p99"))} | ${
    ratio(j("ours", "p99"), j("bare", "p99"))
  } |`,
);
for (const n of [1000, 5000]) {
  const r = mem[n];
  lines.push(
    `| server RSS per idle peer, ${fmt(n)} peers (KB) | ${fmt(r.ours / 1024, 1)} | ${
      fmt(r["socket.io"] / 1024, 1)
    } | ${fmt(r.bare / 1024, 1)} | ${ratio(r.ours, r["socket.io"])} | ${ratio(r.ours, r.bare)} |`,
  );
}
lines.push(
  "",
  "In 6-peer rooms the socket.io design sends every signal to the whole room (5 deliveries, of which the addressee keeps one); ours and the bare relay deliver to the addressee only. Messages/s counts messages that reached their addressee.",
  "",
);
lines.push("## Crossing instances (Redis)", "");
lines.push(
  "The same relay load on one instance keeping rooms in memory, on one instance keeping them in Redis, and on two instances sharing them through Redis with the two peers of every room on different instances. Latency: 50 rooms of 2, one message per pair every 25 ms (2 000 msg/s). CPU: the 2-peer saturation run; server CPU is all instances together, Redis CPU is the redis-server process.",
  "",
  `| | ${SETUPS.join(" | ")} |`,
  `| --- |${SETUPS.map(() => " ---: |").join("")}`,
);
const c = (i: number, f: (x: ClusterRun) => number) => median(cluster.map((round) => f(round[i])));
const row = (label: string, f: (x: ClusterRun) => number, digits: number) =>
  lines.push(`| ${label} | ${SETUPS.map((_, i) => fmt(c(i, f), digits)).join(" | ")} |`);
row("relay latency p50 (ms)", (x) => x.latency.p50, 2);
row("relay latency p99 (ms)", (x) => x.latency.p99, 2);
row("messages/s at saturation", (x) => x.throughput.perSecond, 0);
row("server CPU µs/message", (x) => x.throughput.cpuMicrosPerMessage, 1);
row("Redis CPU µs/message", (x) => x.throughput.sideCpuMicrosPerMessage, 1);
row(
  "total CPU µs/message",
  (x) => x.throughput.cpuMicrosPerMessage + x.throughput.sideCpuMicrosPerMessage,
  1,
);
lines.push("");
lines.push("## Join to first frame (headless Chromium, fake media)", "");
lines.push("| | time |", "| --- | ---: |");
lines.push(
  `| navigation → first decoded remote frame, median of ${browser.firstFrame.length} (ms) | ${
    fmt(browser.firstFrameMedian)
  } |`,
);
for (const n of [2, 4, 6]) {
  const t = browser.mesh[n];
  const shown = t === null ? "not within 60 s" : fmt(t);
  lines.push(`| ${n} people opening at once → every pair decoding (ms) | ${shown} |`);
}
lines.push(
  "",
  `Individual first-frame runs (ms): ${browser.firstFrame.map((x) => fmt(x)).join(", ")}.`,
  "",
);
lines.push("## Bundle size", "", sizeTable(sizes), "");
lines.push(`Total benchmark time: ${fmt((Date.now() - started) / 1000)} s.`);

const report = lines.join("\n");
console.log(report);
await writeBenchmarkSection(
  "relay",
  "Produced by `npm run bench` (bench/run-all.ts).\n\n" + report,
);
console.error("wrote docs/benchmarks.md");

// Mesh against SFU needs Janus and a network namespace of its own (root): its own process.
log("mesh or SFU (npm run bench:sfu)");
const sfu = await new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-all",
    "scripts/netns-run.ts",
    Deno.execPath(),
    "run",
    "--allow-all",
    "bench/sfu-bench.ts",
  ],
  cwd: new URL("..", import.meta.url).pathname,
  env: { SFU_TESTS: "optional" },
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!sfu.success) console.error("the mesh-or-SFU benchmark failed; its section is unchanged");
