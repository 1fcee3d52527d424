/**
 * A throwaway redis-server for tests and benchmarks: a free loopback port,
 * persistence off, stopped (or killed and restarted) on demand.
 */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** The running server's process id (for CPU readings), 0 while stopped. */
  readonly pid: number;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty, unless started `persistent`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/**
 * With `persistent`, Redis keeps an append-only file (fsync on every write)
 * in a temporary folder, so a restart comes back with its data.
 */
export async function startRedis(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  const port = freePort();
  const dir = options.persistent ? await Deno.makeTempDir({ prefix: "redis-" }) : null;
  const persistence = dir
    ? ["--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always"]
    : ["--save", "", "--appendonly", "no"];
  let child: Deno.ChildProcess | null = null;
  const start = async () => {
    child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        ...persistence,
        "--loglevel",
        "warning",
      ],
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    await waitForPort(port);
  };
  const end = async (signal: Deno.Signal) => {
    const running = child;
    child = null;
    if (!running) return;
    try {
      running.kill(signal);
    } catch { /* already gone */ }
    await running.status;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return (child as Deno.ChildProcess | null)?.pid ?? 0;
    },
    start,
    kill: () => end("SIGKILL"),
    async stop() {
      await end("SIGTERM");
      if (dir) await Deno.remove(dir, { recursive: true });
    },
  };
}
