/**
 * `npm run bench:relay`: what relaying a signal costs our server against a
 * bare Deno relay (Deno.serve + Deno.upgradeWebSocket, no validation, limits
 * or metrics) and the socket.io tutorial design, interleaved round by round.
 * Two loads: saturation (50 rooms of 2 playing ping-pong with 8 in flight, as
 * in `npm run bench`) and a fixed 10 000 msg/s of 2 KB signals, where nobody
 * batches. With BENCH_BEFORE=<git ref>, that commit's server runs beside
 * ours (from a temporary worktree), for a before/after table. Writes the
 * "relay-cpu" section of docs/benchmarks.md.
 */
import { spawnListening } from "../scripts/spawn-listening.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";
import {
  fixedRate,
  OURS_BENCH_ENV,
  OURS_PERMISSIONS,
  type ServerKind,
  startServer,
  targetOf,
  throughput,
} from "./relay-bench.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 5);
const RATE = 10_000;
const root = new URL("..", import.meta.url).pathname;
const before = Deno.env.get("BENCH_BEFORE");
const log = (s: string) => console.error(`· ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Kind = ServerKind | "before";
const kinds: Kind[] = before
  ? ["ours", "before", "bare", "socket.io"]
  : ["ours", "bare", "socket.io"];

let worktree = "";
if (before) {
  worktree = await Deno.makeTempDir({ prefix: "relay-before-" });
  await run("git", ["worktree", "add", "--detach", worktree, before]);
  await Deno.symlink(`${root}node_modules`, `${worktree}/node_modules`);
}

async function run(cmd: string, args: string[]) {
  const { success, stderr } = await new Deno.Command(cmd, { args, cwd: root, stderr: "piped" })
    .output();
  if (!success) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
}

function start(kind: Kind) {
  if (kind !== "before") return startServer(kind);
  return spawnListening(
    Deno.execPath(),
    ["run", ...OURS_PERMISSIONS, `${worktree}/server/main.ts`],
    OURS_BENCH_ENV,
  );
}

interface Round {
  satRate: number;
  satCpu: number;
  fixedCpu: number;
  p50: number;
  p99: number;
}
const results = Object.fromEntries(kinds.map((k) => [k, [] as Round[]])) as Record<Kind, Round[]>;

try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of kinds) {
      log(`${kind}, round ${r + 1}/${ROUNDS}`);
      const client: ServerKind = kind === "before" ? "ours" : kind;
      const server = await start(kind);
      try {
        const sat = await throughput(client, targetOf(server), 50, 2, 4);
        const fixed = await fixedRate(client, targetOf(server), 50, RATE, 5);
        results[kind].push({
          satRate: sat.perSecond,
          satCpu: sat.cpuMicrosPerMessage,
          fixedCpu: fixed.cpuMicrosPerMessage,
          p50: fixed.p50,
          p99: fixed.p99,
        });
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  if (worktree) await run("git", ["worktree", "remove", "--force", worktree]);
}

const m = (kind: Kind, f: (x: Round) => number) => median(results[kind].map(f));
const label: Record<Kind, string> = {
  ours: "ours",
  before: `ours before (${before})`,
  bare: "bare Deno relay",
  "socket.io": "socket.io",
};
const rows: Array<[string, (x: Round) => number, number]> = [
  ["messages/s at saturation (50 rooms of 2)", (x) => x.satRate, 0],
  ["server CPU µs/message at saturation", (x) => x.satCpu, 1],
  [`server CPU µs/message at ${fmt(RATE, 0)} msg/s`, (x) => x.fixedCpu, 1],
  [`relay latency p50 at ${fmt(RATE, 0)} msg/s (ms)`, (x) => x.p50, 2],
  [`relay latency p99 at ${fmt(RATE, 0)} msg/s (ms)`, (x) => x.p99, 2],
];
const lines = [
  "## Relay CPU: ours against a bare Deno relay",
  "",
  `Produced by \`npm run bench:relay\` (bench/relay-compare.ts) on ${
    new Date().toISOString().slice(0, 10)
  }, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}. Medians of ${ROUNDS} interleaved rounds; the load generator shares the machine. The bare relay is Deno.serve + Deno.upgradeWebSocket with no validation, limits, metrics or resume: what is left of a signaling server when everything that keeps it safe is gone.`,
  "",
  `| | ${kinds.map((k) => label[k]).join(" | ")} | ours/bare |`,
  `| --- |${kinds.map(() => " ---: |").join("")} ---: |`,
  ...rows.map(([name, f, digits]) =>
    `| ${name} | ${kinds.map((k) => fmt(m(k, f), digits)).join(" | ")} | ${
      (m("ours", f) / m("bare", f)).toFixed(2)
    }× |`
  ),
];
console.log(lines.join("\n"));
await writeBenchmarkSection("relay-cpu", lines.join("\n"));
