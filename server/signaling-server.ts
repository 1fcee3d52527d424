/**
 * The signaling server, assembled from its parts:
 * - the listener: our own accept loop (tcp-listener.ts), whose connections
 *   the ConnectionGuard admits, counts and times out from the moment they are
 *   accepted;
 * - HTTP: each connection's requests read and answered (http-connection.ts)
 *   by the routes: health, metrics and static files (http-routes.ts);
 * - the WebSocket gateway: upgrade checks and caps, then one ClientSession
 *   per socket (websocket-gateway.ts over websocket-connection.ts);
 * - the room registry, in memory or shared through Redis;
 * - shutdown: every socket closed with 1012, then the registry.
 */
import { CloseCode } from "../protocol/messages.ts";
import type { ServerConfig } from "./config.ts";
import { ConnectionGuard } from "./net/connection-guard.ts";
import { HttpConnections } from "./net/http-connection.ts";
import { createRoutes, SECURITY_HEADERS } from "./net/http-routes.ts";
import { createLogger, type Logger } from "./observe/logger.ts";
import { Metrics } from "./observe/metrics.ts";
import { MemoryRegistry } from "./rooms/memory-registry.ts";
import { type ClusterTimings, RedisRegistry } from "./cluster/redis-registry.ts";
import type { RegistryOptions, RoomRegistry } from "./rooms/room-registry.ts";
import { importTokenSecret } from "./session/room-token.ts";
import type { StaticMount } from "./net/static-files.ts";
import { SfuService } from "./sfu/sfu-service.ts";
import type { RecordingLinks } from "./recording/recording-links.ts";
import { RecordingService } from "./recording/recording-service.ts";
import { recordingsRoute } from "./recording/recordings-route.ts";
import { MemoryRoomNodes, RedisRoomNodes } from "./sfu/sfu-room-nodes.ts";
import { TcpListener } from "./net/tcp-listener.ts";
import { importTurnSecret } from "./session/turn-credentials.ts";
import { WebSocketGateway } from "./net/websocket-gateway.ts";

export { SECURITY_HEADERS } from "./net/http-routes.ts";

export interface ServerOptions {
  logger?: Logger;
  /** Folders served as static files; defaults to the repo's demo/ and dist/. */
  mounts?: StaticMount[];
  /** Cluster timings (tests shorten them). */
  cluster?: ClusterTimings;
  /**
   * How server recordings' links are signed (RecordingLinks.create, async, so
   * made before the server starts); server recordings need it.
   */
  recordingLinks?: RecordingLinks;
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
 * Connections one address may hold beyond its MAX_CONNECTIONS_PER_IP
 * WebSockets: a visitor's browser loads the page over several at once.
 */
const PAGE_LOAD_ALLOWANCE = 20;

function createRegistry(
  config: ServerConfig,
  metrics: Metrics,
  logger: Logger,
  cluster?: ClusterTimings,
  recordOnServer?: () => boolean,
): RoomRegistry {
  const options: RegistryOptions = {
    maxPeers: config.maxPeers,
    resumeGraceMs: config.resumeGraceMs,
    hosts: !config.hosts ? "off" : config.roomTokenSecret ? "tokens" : "open",
    lobby: config.lobby,
    recordingConsent: config.recordingConsent,
    meshMax: config.sfu?.meshMax ?? null,
    recordOnServer,
    onDeliver: (type) => metrics.countRelayed(type),
  };
  return config.redisUrl
    ? new RedisRegistry({
      ...options,
      url: config.redisUrl,
      prefix: config.redisPrefix,
      logger,
      heartbeatMs: config.redisHeartbeatMs,
      ...cluster,
    })
    : new MemoryRegistry(options);
}

/** Starts the signaling server: WebSocket at /ws, health, metrics and static files. */
export function startServer(config: ServerConfig, options: ServerOptions = {}): RunningServer {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  // Server recordings need a node up to record and room on the disk; else a host's browser records.
  const recordOnServer = () => !!(sfu?.available && recordings?.canRecord);
  const registry = createRegistry(config, metrics, logger, options.cluster, recordOnServer);
  const recordings = config.recordings && options.recordingLinks
    ? new RecordingService({
      config: config.recordings,
      links: options.recordingLinks,
      registry,
      logger,
      metrics,
    })
    : null;
  const sfu = config.sfu
    ? new SfuService({
      config: config.sfu,
      maxPeers: config.maxPeers,
      prefix: config.redisPrefix,
      logger,
      registry,
      store: config.redisUrl
        ? new RedisRoomNodes(config.redisUrl, config.redisPrefix)
        : new MemoryRoomNodes(),
      recorder: recordings,
    })
    : null;
  // Nodes that are down now are retried every second; joins meanwhile stay in the mesh.
  void sfu?.start();
  const gateway = new WebSocketGateway({
    sfu,
    config,
    registry,
    metrics,
    logger,
    // Keys are imported once; sessions await the same promise.
    tokenKey: config.roomTokenSecret ? importTokenSecret(config.roomTokenSecret) : null,
    turn: config.turn
      ? importTurnSecret(config.turn.secret).then((key) => ({
        urls: config.turn!.urls,
        key,
        ttlSeconds: config.turn!.ttlSeconds,
      }))
      : null,
  });
  const guard = new ConnectionGuard({
    // Room for every allowed WebSocket and the page loads beside them, until
    // the process's descriptor limit teaches a lower number.
    ceiling: config.maxConnections * 2 + PAGE_LOAD_ALLOWANCE,
    perAddress: config.trustProxy ? null : config.maxConnectionsPerIp + PAGE_LOAD_ALLOWANCE,
    requestTimeoutMs: config.requestTimeoutMs,
    logger,
    metrics,
  });
  const routes = createRoutes({
    registry,
    metrics,
    mounts: options.mounts ?? DEFAULT_MOUNTS,
    gauges: () => ({
      connections: gateway.sessions,
      tcpConnections: guard.open,
      connectionCeiling: guard.ceiling,
    }),
    ...(sfu ? { sfuNodes: () => sfu.health() } : {}),
    ...(recordings && config.recordings && options.recordingLinks
      ? {
        recordings: recordingsRoute(
          config.recordings.dir,
          options.recordingLinks,
          SECURITY_HEADERS,
        ),
      }
      : {}),
  });

  const http = new HttpConnections({
    guard,
    logger,
    metrics,
    routes,
    upgrade: (head, conn, rest) => gateway.upgrade(head, conn, rest),
  });
  const listener = new TcpListener(
    { hostname: config.host, port: config.port },
    guard,
    logger,
    (conn) => void http.serve(conn),
  );
  const port = listener.port;
  let stopping: Promise<void> | undefined;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    registry,
    metrics,
    get connections() {
      return gateway.sessions;
    },
    finished,
    shutdown() {
      stopping ??= (async () => {
        await listener.close();
        await gateway.closeAll(CloseCode.ServiceRestart, "server restarting");
        await sfu?.close();
        await recordings?.close();
        await registry.close();
        guard.destroyAll(); // kept-alive page loads
        resolveFinished();
      })();
      return stopping;
    },
  };
}
