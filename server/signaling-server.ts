import { CloseCode, ErrorCode } from "../protocol/messages.ts";
import { ClientSession } from "./client-session.ts";
import type { ServerConfig } from "./config.ts";
import { createLogger, type Logger } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { MemoryRegistry } from "./memory-registry.ts";
import { type ClusterTimings, RedisRegistry } from "./redis-registry.ts";
import type { RegistryOptions, RoomRegistry } from "./room-registry.ts";
import { importTokenSecret } from "./room-token.ts";
import { importTurnSecret } from "./turn-credentials.ts";
import { serveStatic, type StaticMount } from "./static-files.ts";

export interface ServerOptions {
  logger?: Logger;
  /** Folders served as static files; defaults to the repo's demo/ and dist/. */
  mounts?: StaticMount[];
  /** Cluster timings (tests shorten them). */
  cluster?: ClusterTimings;
}

export interface RunningServer {
  /** Actual port (useful when the config asked for port 0). */
  readonly port: number;
  /** `http://127.0.0.1:PORT` — for tests and local tools. */
  readonly origin: string;
  readonly registry: RoomRegistry;
  readonly metrics: Metrics;
  /** Number of open WebSocket connections. */
  readonly connections: number;
  /** Closes every socket with 1012 (service restart) and stops listening. */
  shutdown(): Promise<void>;
  /** Resolves once the server has stopped. */
  readonly finished: Promise<void>;
}

const rootDir = new URL("..", import.meta.url).pathname;
export const DEFAULT_MOUNTS: StaticMount[] = [
  { prefix: "/dist/", dir: `${rootDir}dist`, cors: true },
  { prefix: "/", dir: `${rootDir}demo` },
];

/**
 * Sent with every served file. The CSP is strict: scripts and styles only
 * from this origin (Lit's constructed stylesheets need no 'unsafe-inline'),
 * media from local streams, WebSockets to this origin.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(self), microphone=(self), display-capture=(self)",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Starts the signaling server: WebSocket at /ws, health, metrics and static files. */
export function startServer(config: ServerConfig, options: ServerOptions = {}): RunningServer {
  const logger = options.logger ?? createLogger(config.logLevel);
  const mounts = options.mounts ?? DEFAULT_MOUNTS;
  const metrics = new Metrics();
  const registryOptions: RegistryOptions = {
    maxPeers: config.maxPeers,
    resumeGraceMs: config.resumeGraceMs,
    onDeliver: (type) => metrics.countRelayed(type),
  };
  const registry: RoomRegistry = config.redisUrl
    ? new RedisRegistry({
      ...registryOptions,
      url: config.redisUrl,
      prefix: config.redisPrefix,
      logger,
      heartbeatMs: config.redisHeartbeatMs,
      ...options.cluster,
    })
    : new MemoryRegistry(registryOptions);
  const sessions = new Set<ClientSession>();
  // Keys are imported once; sessions await the same promise.
  const tokenKey = config.roomTokenSecret ? importTokenSecret(config.roomTokenSecret) : null;
  const turn = config.turn
    ? importTurnSecret(config.turn.secret).then((key) => ({
      urls: config.turn!.urls,
      key,
      ttlSeconds: config.turn!.ttlSeconds,
    }))
    : null;
  let accepted = 0; // sockets upgraded and not yet closed
  const allowed = config.allowedOrigins ? new Set(config.allowedOrigins) : null;

  const perIp = new Map<string, number>();

  /** Accepts the socket only to close it with a reason the browser can read. */
  function refuse(req: Request, reason: string): Response {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onopen = () => socket.close(CloseCode.TryAgainLater, reason);
    socket.onerror = () => {};
    logger.warn("connection refused", { reason });
    return response;
  }

  function upgrade(req: Request, info: Deno.ServeHandlerInfo): Response {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade\n", { status: 426 });
    }
    const origin = req.headers.get("origin");
    if (allowed && (!origin || !allowed.has(origin))) {
      metrics.countError(ErrorCode.ForbiddenOrigin);
      logger.warn("origin refused", { origin });
      return new Response(`Cannot connect: origin ${origin ?? "(none)"} is not allowed\n`, {
        status: 403,
      });
    }
    const forwarded = config.trustProxy
      ? req.headers.get("x-forwarded-for")?.split(",")[0].trim()
      : undefined;
    const ip = forwarded || (info.remoteAddr as Deno.NetAddr).hostname;
    const fromIp = perIp.get(ip) ?? 0;
    if (accepted >= config.maxConnections) {
      return refuse(req, "server full: too many connections, try again later");
    }
    if (fromIp >= config.maxConnectionsPerIp) {
      return refuse(req, "too many connections from your address");
    }
    const { socket, response } = Deno.upgradeWebSocket(req, {
      idleTimeout: config.idleTimeoutSeconds,
    });
    // Counted from the upgrade, so a burst of handshakes cannot slip past the caps.
    accepted++;
    perIp.set(ip, fromIp + 1);
    const session = new ClientSession(socket, {
      config,
      registry,
      metrics,
      logger,
      tokenKey,
      turn,
    });
    socket.onopen = () => {
      sessions.add(session);
      metrics.connectionsTotal++;
    };
    socket.onmessage = (ev) => {
      try {
        session.onMessage(ev.data);
      } catch (err) {
        // A bug must cost one message, never the process.
        logger.error("message handler failed", { error: String(err) });
      }
    };
    socket.onclose = (ev) => {
      accepted--;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      sessions.delete(session);
      session.onClose(ev.code);
    };
    socket.onerror = () => {}; // the close event follows; nothing to add
    return response;
  }

  async function handler(req: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/ws") return upgrade(req, info);
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    switch (url.pathname) {
      case "/healthz": {
        const counts = { rooms: registry.roomCount, peers: registry.peerCount };
        const reason = registry.unavailable;
        return reason
          ? json({ status: "unavailable", reason, ...counts }, 503)
          : json({ status: "ok", ...counts });
      }
      case "/metrics":
        return new Response(
          metrics.render({
            connections: sessions.size,
            rooms: registry.roomCount,
            peers: registry.peerCount,
            available: registry.unavailable === null,
          }),
          { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } },
        );
    }
    return await serveStatic(req, url.pathname, mounts, SECURITY_HEADERS);
  }

  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: () => {}, // main.ts logs its own JSON line
    handler,
  });
  const addr = server.addr as Deno.NetAddr;

  let stopping: Promise<void> | undefined;
  return {
    port: addr.port,
    origin: `http://127.0.0.1:${addr.port}`,
    registry,
    metrics,
    get connections() {
      return sessions.size;
    },
    finished: server.finished,
    shutdown() {
      stopping ??= (async () => {
        // Finish the close handshakes first: Deno's shutdown would otherwise
        // replace our 1012 with its own 1001. A dead peer cannot hold us up.
        const closing = [...sessions].map((s) =>
          new Promise<void>((resolve) => {
            s.socket.addEventListener("close", () => resolve(), { once: true });
            s.socket.close(CloseCode.ServiceRestart, "server restarting");
          })
        );
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          Promise.all(closing),
          new Promise((r) => (timer = setTimeout(r, 2000))),
        ]);
        clearTimeout(timer);
        await registry.close();
        await server.shutdown();
      })();
      return stopping;
    },
  };
}
