/**
 * Test helpers: a real server on a free loopback port and real WebSocket
 * clients. With TEST_CLUSTER=1, withServer() gives a cluster instead: two
 * instances sharing a fresh Redis behind a round-robin balancer, so
 * consecutive clients land on different instances.
 */
import type { ClientMessage, ServerMessage } from "../../protocol/messages.ts";
import { DEFAULT_CONFIG, type ServerConfig } from "../../server/config.ts";
import type { LogLevel } from "../../server/config.ts";
import { createLogger, silentLogger } from "../../server/observe/logger.ts";
import type { ClusterTimings } from "../../server/cluster/redis-registry.ts";
import type { RoomRegistry } from "../../server/rooms/room-registry.ts";
import { type RunningServer, startServer } from "../../server/signaling-server.ts";
import type { StaticMount } from "../../server/net/static-files.ts";
import { startRedis, type TestRedis } from "../shared/redis-server.ts";
import { startBalancer, type TcpBalancer } from "../shared/tcp-balancer.ts";
import { until } from "../shared/until.ts";

export const CLUSTER = Deno.env.get("TEST_CLUSTER") === "1";

/** Quick enough that grace ends and dead instances are noticed within a test's patience. */
export const FAST_CLUSTER: ClusterTimings = {
  heartbeatMs: 40,
  instanceTtlMs: 400,
  commandTimeoutMs: 1000,
};

/** TEST_LOG=debug (or info, warn) shows the servers' logs while debugging a test. */
const testLog = Deno.env.get("TEST_LOG") as LogLevel | undefined;
const logger = testLog ? createLogger(testLog) : silentLogger;

export function startTestServer(
  overrides: Partial<ServerConfig> = {},
  mounts?: StaticMount[],
): RunningServer {
  return startServer(
    { ...DEFAULT_CONFIG, port: 0, host: "127.0.0.1", ...overrides },
    { logger, mounts, cluster: FAST_CLUSTER },
  );
}

export interface TestCluster {
  redis: TestRedis;
  instances: RunningServer[];
  balancer: TcpBalancer;
  /** The cluster seen through the balancer, shaped like one server. */
  server: RunningServer;
  shutdown(): Promise<void>;
}

/** Waits until every instance has synced with Redis and can take joins. */
export async function clusterReady(instances: RunningServer[]): Promise<void> {
  await until(() => instances.every((i) => i.registry.unavailable === null), "cluster ready", 5000);
}

export async function startTestCluster(
  overrides: Partial<ServerConfig> = {},
  size = 2,
  redisOptions: { persistent?: boolean } = {},
): Promise<TestCluster> {
  const redis = await startRedis(redisOptions);
  const instances = Array.from(
    { length: size },
    () => startTestServer({ ...overrides, redisUrl: redis.url }),
  );
  await clusterReady(instances);
  const balancer = startBalancer(instances.map((i) => i.port));
  const sum = (f: (s: RunningServer) => number) => instances.reduce((n, s) => n + f(s), 0);
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    stopping ??= (async () => {
      await balancer.close();
      await Promise.all(instances.map((i) => i.shutdown()));
      await redis.stop();
    })();
  const server: RunningServer = {
    port: balancer.port,
    origin: `http://127.0.0.1:${balancer.port}`,
    registry: {
      get peerCount() {
        return sum((s) => s.registry.peerCount);
      },
      get roomCount() {
        return sum((s) => s.registry.roomCount);
      },
      // News made on one instance (a recording's files): the other's people hear it too.
      recordingNews: (...args) => instances[0].registry.recordingNews(...args),
    } as RoomRegistry,
    metrics: instances[0].metrics,
    get connections() {
      return sum((s) => s.connections);
    },
    shutdown,
    finished: Promise.all(instances.map((i) => i.finished)).then(() => {}),
  };
  return { redis, instances, balancer, server, shutdown };
}

/** A WebSocket client that queues every message so a test can await them in order. */
export class TestClient {
  readonly socket: WebSocket;
  readonly received: ServerMessage[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseEvent>;
  #cursor = 0;

  constructor(url: string, protocols?: string | string[], init?: { headers?: HeadersInit }) {
    // Deno's WebSocket accepts headers (to set Origin); browsers do not.
    this.socket = init
      ? new (WebSocket as unknown as new (u: string, o: unknown) => WebSocket)(url, {
        protocols,
        headers: init.headers,
      })
      : new WebSocket(url, protocols);
    this.opened = new Promise((resolve, reject) => {
      this.socket.addEventListener("open", () => resolve(), { once: true });
      this.socket.addEventListener("error", (e) => reject(e), { once: true });
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) =>
      this.socket.addEventListener("close", (e) => resolve(e), { once: true })
    );
    this.socket.addEventListener("message", (ev) => {
      this.received.push(JSON.parse(ev.data));
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  static async connect(server: { port: number }): Promise<TestClient> {
    const c = new TestClient(`ws://127.0.0.1:${server.port}/ws`);
    await c.opened;
    return c;
  }

  send(msg: ClientMessage | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(msg));
  }

  sendRaw(data: string | ArrayBuffer | Uint8Array<ArrayBuffer>): void {
    this.socket.send(data);
  }

  /** The next message not yet consumed, optionally of a given type (others are skipped). */
  async next<T extends ServerMessage["type"]>(
    type?: T,
    timeoutMs = 3000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      while (this.#cursor < this.received.length) {
        const msg = this.received[this.#cursor++];
        if (!type || msg.type === type) return msg as Extract<ServerMessage, { type: T }>;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = JSON.stringify(this.received.slice(-3)).slice(0, 400);
        throw new Error(
          `timed out waiting for ${
            type ?? "a message"
          }; ${this.received.length} received, last: ${last}`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
        this.#waiters.push(resolve);
      });
      clearTimeout(timer);
    }
  }

  /** Asserts that nothing (of a type) arrives within `ms`. */
  async nothing(type?: ServerMessage["type"], ms = 150): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    const rest = this.received.slice(this.#cursor).filter((m) => !type || m.type === type);
    if (rest.length) {
      throw new Error(`expected no ${type ?? "message"}, got ${JSON.stringify(rest)}`);
    }
  }

  async join(room: string, name: string, resume?: string) {
    this.send({ type: "join", room, name, ...(resume ? { resume } : {}) });
    return await this.next("joined");
  }

  async close(code = 1000): Promise<void> {
    if (this.socket.readyState < WebSocket.CLOSING) this.socket.close(code);
    await this.closed;
  }
}

/**
 * Runs `fn` with a fresh server (a cluster under TEST_CLUSTER=1, unless the
 * test is about one instance's own limits or reports) and closes every
 * client and the server afterwards.
 */
export async function withServer(
  fn: (server: RunningServer, connect: () => Promise<TestClient>) => Promise<void>,
  overrides: Partial<ServerConfig> = {},
  oneInstance = false,
): Promise<void> {
  const cluster = CLUSTER && !oneInstance ? await startTestCluster(overrides) : null;
  const server = cluster?.server ?? startTestServer(overrides);
  const clients: TestClient[] = [];
  try {
    await fn(server, async () => {
      const c = await TestClient.connect(server);
      clients.push(c);
      return c;
    });
    if (cluster && clients.length >= 2) {
      // The point of the cluster run: the test's clients really were spread.
      const used = cluster.instances.filter((i) => i.metrics.connectionsTotal > 0).length;
      if (used < 2) throw new Error("the balancer put every client on one instance");
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.shutdown();
  }
}

/** A masked client text frame (clients must mask), as the WebSocket framing requires. */
function clientFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const frame = new Uint8Array(2 + 2 + 4 + payload.length);
  frame[0] = 0x81; // FIN + text
  frame[1] = 0x80 | 126; // masked, 16-bit length
  frame[2] = payload.length >> 8;
  frame[3] = payload.length & 0xff;
  const mask = [1, 2, 3, 4];
  frame.set(mask, 4);
  payload.forEach((b, i) => (frame[8 + i] = b ^ mask[i % 4]));
  return frame;
}

/**
 * Joins over a raw TCP WebSocket and returns the open connection: a client
 * the test controls below the WebSocket API (it can stop reading, or vanish
 * without a close frame as a laptop losing Wi-Fi does).
 */
export async function rawJoin(port: number, room: string, name: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa("0123456789abcdef");
  await conn.write(new TextEncoder().encode(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  ));
  await conn.write(clientFrame(JSON.stringify({ type: "join", room, name })));
  const buf = new Uint8Array(65536);
  let text = "";
  while (!text.includes('"joined"')) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("server closed early");
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  const id = /"id":"([^"]+)"/.exec(text)![1];
  const resume = /"resume":"([^"]+)"/.exec(text)![1];
  return { conn, id, resume };
}

/** Joins, then cuts the TCP connection with no close frame (close code 1006 at the server). */
export async function joinThenVanish(port: number, room: string, name: string) {
  const { conn, id, resume } = await rawJoin(port, room, name);
  conn.close();
  return { id, resume };
}
