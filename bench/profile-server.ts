/**
 * Where does our server spend its time under the relay benchmark's load?
 * Starts it with the V8 inspector, drives the 2-peer saturation workload,
 * takes a CPU profile over the DevTools protocol and prints self time by
 * function. `npm run bench:profile`.
 */
import { spawnListening } from "../scripts/spawn-listening.ts";
import { OURS_BENCH_ENV, OURS_PERMISSIONS, targetOf, throughput } from "./relay-bench.ts";

const root = new URL("..", import.meta.url).pathname;
const inspectPort = 9229 + Math.floor(Math.random() * 500);
const server = await spawnListening(
  Deno.execPath(),
  ["run", `--inspect=127.0.0.1:${inspectPort}`, ...OURS_PERMISSIONS, `${root}server/main.ts`],
  OURS_BENCH_ENV,
);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

try {
  const targets = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((r) => (ws.onopen = r));
  let nextId = 1;
  const pending = new Map<number, (v: unknown) => void>();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    pending.get(msg.id)?.(msg.result);
  };
  const call = (method: string, params = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  const result = await throughput("ours", targetOf(server), 50, 2, 4);
  const { profile } = await call("Profiler.stop") as { profile: { nodes: ProfileNode[] } };
  ws.close();
  const total = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(server|protocol)\//, "$1/").replace(/^.*node_modules\//, "");
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  console.log(
    `${Math.round(result.perSecond)} msg/s, ${result.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg`,
  );
  console.log("| self % | function |\n| ---: | --- |");
  for (const [key, hits] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`| ${((100 * hits) / total).toFixed(1)} | ${key} |`);
  }
} finally {
  await server.stop();
}
