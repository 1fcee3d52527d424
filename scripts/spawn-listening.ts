/**
 * Starts a server process and waits for its JSON "listening" line (our server,
 * the benchmark baselines): the port it got, its pid for CPU and memory
 * readings, and a stop() that ends it. Used by the e2e tests and benchmarks.
 */
export interface ListeningProcess {
  port: number;
  pid: number;
  origin: string;
  child: Deno.ChildProcess;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export async function spawnListening(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20000,
  /** Every line the process prints after "listening" (its log, for tests that read it). */
  onLine?: (line: string) => void,
): Promise<ListeningProcess> {
  const child = new Deno.Command(command, { args, env, stdout: "piped", stderr: "inherit" })
    .spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let port = 0;
  const deadline = Date.now() + timeoutMs;
  while (!port) {
    if (Date.now() > deadline) throw new Error(`${command} did not start listening`);
    const { value, done } = await lines.read();
    if (done) throw new Error(`${command} exited before listening`);
    buffered += value;
    for (const line of buffered.split("\n").slice(0, -1)) {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === "listening") port = entry.port;
      } catch { /* not JSON */ }
    }
    buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
  }
  // Keep draining stdout so the process never blocks on a full pipe.
  const drained = (async () => {
    for (let r = await lines.read(); !r.done; r = await lines.read()) {
      if (!onLine) continue;
      buffered += r.value;
      for (const line of buffered.split("\n").slice(0, -1)) onLine(line);
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    }
  })();
  return {
    port,
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await drained;
    },
  };
}

/** Starts our `server/main.ts` as its own process on loopback; `env` adds or overrides settings. */
export function startServerProcess(
  env: Record<string, string> = {},
  onLine?: (line: string) => void,
): Promise<ListeningProcess> {
  return spawnListening(
    Deno.execPath(),
    [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      // Server recordings write there and make their files with these tools.
      ...(env.RECORDINGS_DIR
        ? [`--allow-write=${env.RECORDINGS_DIR}`, "--allow-run=janus-pp-rec,ffmpeg,ffprobe"]
        : []),
      new URL("../server/main.ts", import.meta.url).pathname,
    ],
    { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    20000,
    onLine,
  );
}
