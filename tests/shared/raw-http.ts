import { until } from "./until.ts";

/**
 * A one-shot HTTP GET over a raw loopback connection. fetch() pools
 * connections, and a pooled connection to a server process the test later
 * kills outlives the test (Deno's leak check then fails it).
 */
export async function rawGet(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(16384);
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    const [head, ...rest] = text.split("\r\n\r\n");
    return { status: Number(head.split(" ")[1]), body: rest.join("\r\n\r\n") };
  } finally {
    conn.close();
  }
}

/** An instance's /healthz: the HTTP status code and the JSON it answered. */
export async function health(port: number) {
  const { status, body } = await rawGet(port, "/healthz");
  return {
    code: status,
    ...(JSON.parse(body) as { status: string; peers: number; reason?: string }),
  };
}

/** Waits until an instance's /healthz answers 200 (in a cluster: synced with Redis). */
export async function untilHealthy(port: number, timeoutMs = 10000): Promise<void> {
  await until(
    async () => (await health(port).catch(() => ({ code: 0 }))).code === 200,
    `the instance on port ${port} healthy`,
    timeoutMs,
  );
}
