import type { IceServer } from "../protocol/messages.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  port: number;
  host: string;
  maxPeers: number;
  maxMessageBytes: number;
  resumeGraceMs: number;
  /** `null` means any origin may connect. */
  allowedOrigins: string[] | null;
  iceServers: IceServer[];
  logLevel: LogLevel;
  /** Seconds without a pong before a socket is cut: how a dead browser is noticed. */
  idleTimeoutSeconds: number;
  /**
   * A TCP connection must send a complete request (its headers) within this,
   * and may idle this long between requests: silent and trickling connections
   * cannot hold descriptors.
   */
  requestTimeoutMs: number;
  /** Per-connection token bucket: burst size and sustained messages per second. */
  rateBurst: number;
  ratePerSecond: number;
  /** Open WebSockets, server-wide and per client IP address. */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** A client whose unsent data passes this is disconnected, not buffered without bound. */
  maxBufferedBytes: number;
  /**
   * Behind a reverse proxy every client arrives from the proxy's address: take
   * the client's from the first `X-Forwarded-For` entry instead.
   */
  trustProxy: boolean;
  /** When set, every fresh join needs a room token signed with it. */
  roomTokenSecret: string | null;
  /** TURN relays handed out with short-lived credentials (coturn REST scheme). */
  turn: { urls: string[]; secret: string; ttlSeconds: number } | null;
  /** Cluster mode: instances share rooms through this Redis (`redis://` or `rediss://`). */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so deployments can share one Redis. */
  redisPrefix: string;
  /**
   * How often an instance writes its heartbeat; one silent for three beats is
   * taken for dead. Shorter notices a crash sooner at more Redis traffic.
   */
  redisHeartbeatMs: number;
}

export const DEFAULT_CONFIG: Readonly<ServerConfig> = Object.freeze({
  port: 8000,
  host: "0.0.0.0",
  maxPeers: 8,
  maxMessageBytes: 65536,
  resumeGraceMs: 15000,
  allowedOrigins: null,
  iceServers: [],
  logLevel: "info",
  idleTimeoutSeconds: 30,
  requestTimeoutMs: 5000,
  // A newcomer to a full room of 8 sends 7 offers plus tens of candidates
  // per link at once; the burst must absorb that.
  rateBurst: 300,
  ratePerSecond: 60,
  maxConnections: 10000,
  maxConnectionsPerIp: 50,
  maxBufferedBytes: 1024 * 1024,
  trustProxy: false,
  roomTokenSecret: null,
  turn: null,
  redisUrl: null,
  redisPrefix: "video-room:",
  redisHeartbeatMs: 1000,
});

/** A bad environment variable; `message` is the one line printed at startup. */
export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Cannot start: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

function intVar(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      name,
      `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function isIceServer(value: unknown): value is IceServer {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const urls = typeof v.urls === "string" ? [v.urls] : v.urls;
  if (!Array.isArray(urls) || urls.length === 0) return false;
  if (!urls.every((u) => typeof u === "string" && /^(stun|stuns|turn|turns):/.test(u))) {
    return false;
  }
  return (v.username === undefined || typeof v.username === "string") &&
    (v.credential === undefined || typeof v.credential === "string");
}

/** Reads the configuration from environment variables; throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const config: ServerConfig = { ...DEFAULT_CONFIG };
  config.port = intVar(env, "PORT", DEFAULT_CONFIG.port, 0, 65535);
  const host = env.HOST?.trim();
  if (host !== undefined && host !== "") {
    if (/\s|\//.test(host)) {
      throw new ConfigError(
        "HOST",
        `must be a hostname or IP address, got ${JSON.stringify(host)}`,
      );
    }
    config.host = host;
  }
  config.maxPeers = intVar(env, "MAX_PEERS", DEFAULT_CONFIG.maxPeers, 2, 64);
  config.maxMessageBytes = intVar(
    env,
    "MAX_MESSAGE_BYTES",
    DEFAULT_CONFIG.maxMessageBytes,
    1024,
    16 * 1024 * 1024,
  );
  config.resumeGraceMs = intVar(
    env,
    "RESUME_GRACE_MS",
    DEFAULT_CONFIG.resumeGraceMs,
    0,
    24 * 3600 * 1000,
  );

  config.requestTimeoutMs = intVar(
    env,
    "REQUEST_TIMEOUT_MS",
    DEFAULT_CONFIG.requestTimeoutMs,
    100,
    600_000,
  );
  config.rateBurst = intVar(env, "RATE_LIMIT_BURST", DEFAULT_CONFIG.rateBurst, 1, 1e9);
  config.ratePerSecond = intVar(env, "RATE_LIMIT_PER_SECOND", DEFAULT_CONFIG.ratePerSecond, 1, 1e9);
  config.maxConnections = intVar(
    env,
    "MAX_CONNECTIONS",
    DEFAULT_CONFIG.maxConnections,
    1,
    1_000_000,
  );
  config.maxConnectionsPerIp = intVar(
    env,
    "MAX_CONNECTIONS_PER_IP",
    DEFAULT_CONFIG.maxConnectionsPerIp,
    1,
    1_000_000,
  );
  config.maxBufferedBytes = intVar(
    env,
    "MAX_BUFFERED_BYTES",
    DEFAULT_CONFIG.maxBufferedBytes,
    65536,
    1024 * 1024 * 1024,
  );

  const trust = env.TRUST_PROXY?.trim().toLowerCase();
  if (trust !== undefined && trust !== "") {
    if (!["1", "true", "0", "false"].includes(trust)) {
      throw new ConfigError(
        "TRUST_PROXY",
        `must be true or false, got ${JSON.stringify(env.TRUST_PROXY)}`,
      );
    }
    config.trustProxy = trust === "1" || trust === "true";
  }

  const tokenSecret = env.ROOM_TOKEN_SECRET;
  if (tokenSecret !== undefined && tokenSecret !== "") {
    if (tokenSecret.length < 32) {
      throw new ConfigError(
        "ROOM_TOKEN_SECRET",
        "must be at least 32 characters (use a random string)",
      );
    }
    config.roomTokenSecret = tokenSecret;
  }

  const turnUrls = env.TURN_URLS?.split(",").map((u) => u.trim()).filter((u) => u !== "") ?? [];
  const turnSecret = env.TURN_SECRET ?? "";
  if (turnUrls.length > 0 || turnSecret !== "") {
    if (turnUrls.length === 0) {
      throw new ConfigError("TURN_URLS", "must be set when TURN_SECRET is");
    }
    if (turnSecret === "") throw new ConfigError("TURN_SECRET", "must be set when TURN_URLS is");
    const bad = turnUrls.find((u) => !/^turns?:[^\s]+$/.test(u));
    if (bad) {
      throw new ConfigError(
        "TURN_URLS",
        `must be turn: or turns: URLs, got ${JSON.stringify(bad)}`,
      );
    }
    config.turn = {
      urls: turnUrls,
      secret: turnSecret,
      ttlSeconds: intVar(env, "TURN_TTL", 3600, 60, 7 * 24 * 3600),
    };
  }

  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl !== undefined && redisUrl !== "") {
    let parsed: URL | undefined;
    try {
      parsed = new URL(redisUrl);
    } catch { /* reported below */ }
    if (!parsed || !["redis:", "rediss:"].includes(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(
        "REDIS_URL",
        // Not echoed: the URL may carry a password.
        "must be a redis:// or rediss:// URL like redis://host:6379",
      );
    }
    config.redisUrl = redisUrl;
  }
  const prefix = env.REDIS_PREFIX;
  if (prefix !== undefined && prefix !== "") {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
      throw new ConfigError(
        "REDIS_PREFIX",
        `must be 1-64 of A-Z a-z 0-9 _ . : -, got ${JSON.stringify(prefix)}`,
      );
    }
    config.redisPrefix = prefix;
  }

  config.redisHeartbeatMs = intVar(
    env,
    "REDIS_HEARTBEAT_MS",
    DEFAULT_CONFIG.redisHeartbeatMs,
    50,
    60000,
  );

  const origins = env.ALLOWED_ORIGINS;
  if (origins !== undefined && origins.trim() !== "") {
    const list = origins.split(",").map((o) => o.trim()).filter((o) => o !== "");
    for (const origin of list) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch { /* reported below */ }
      if (!parsed || parsed.origin !== origin.replace(/\/$/, "")) {
        throw new ConfigError(
          "ALLOWED_ORIGINS",
          `must be a comma list of origins like https://example.com, got ${JSON.stringify(origin)}`,
        );
      }
    }
    config.allowedOrigins = list.map((o) => o.replace(/\/$/, ""));
  }

  const ice = env.ICE_SERVERS;
  if (ice !== undefined && ice.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ice);
    } catch {
      throw new ConfigError(
        "ICE_SERVERS",
        "must be a JSON array of RTCIceServer objects (not valid JSON)",
      );
    }
    if (!Array.isArray(parsed) || !parsed.every(isIceServer)) {
      throw new ConfigError(
        "ICE_SERVERS",
        'must be a JSON array like [{"urls":"stun:stun.example.com:3478"}]',
      );
    }
    config.iceServers = parsed;
  }

  const level = env.LOG_LEVEL?.trim().toLowerCase();
  if (level !== undefined && level !== "") {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new ConfigError(
        "LOG_LEVEL",
        `must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(env.LOG_LEVEL)}`,
      );
    }
    config.logLevel = level as LogLevel;
  }
  return config;
}
