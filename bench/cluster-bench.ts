/**
 * The cost of crossing instances: the same relay load on one instance in
 * memory, on one instance through Redis, and on two instances through Redis
 * with the two peers of every room on different instances.
 */
import { type ListeningProcess, startServerProcess } from "../scripts/spawn-listening.ts";
import { untilHealthy } from "../tests/shared/raw-http.ts";
import { startRedis } from "../tests/shared/redis-server.ts";
import {
  type BenchTarget,
  latency,
  OURS_BENCH_ENV,
  type Throughput,
  throughput,
} from "./relay-bench.ts";

export const SETUPS = [
  "one instance, in memory",
  "one instance + Redis",
  "two instances + Redis",
] as const;
export type Setup = (typeof SETUPS)[number];

export interface ClusterRun {
  throughput: Throughput;
  latency: { p50: number; p99: number };
}

let prefixes = 0;

async function instance(env: Record<string, string>): Promise<ListeningProcess> {
  const server = await startServerProcess({ ...OURS_BENCH_ENV, ...env });
  await untilHealthy(server.port);
  return server;
}

/** One round of every setup: latency at 2 000 msg/s, then saturation, in 2-peer rooms. */
export async function clusterRound(log: (s: string) => void): Promise<Record<Setup, ClusterRun>> {
  const redis = await startRedis();
  const out = {} as Record<Setup, ClusterRun>;
  try {
    for (const setup of SETUPS) {
      log(`cluster: ${setup}`);
      const count = setup === "two instances + Redis" ? 2 : 1;
      const env: Record<string, string> = setup === "one instance, in memory"
        ? {}
        : { REDIS_URL: redis.url, REDIS_PREFIX: `bench-${prefixes++}:` };
      const servers: ListeningProcess[] = [];
      try {
        for (let i = 0; i < count; i++) servers.push(await instance(env));
        const target: BenchTarget = {
          ports: servers.map((s) => s.port),
          pids: servers.map((s) => s.pid),
          sidePids: "REDIS_URL" in env ? [redis.pid] : [],
        };
        const lat = await latency("ours", target, 50, 25, 3);
        const sat = await throughput("ours", target, 50, 2, 4);
        out[setup] = { latency: { p50: lat.p50, p99: lat.p99 }, throughput: sat };
      } finally {
        for (const s of servers) await s.stop();
      }
    }
  } finally {
    await redis.stop();
  }
  return out;
}
