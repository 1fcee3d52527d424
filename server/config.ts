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
  /**
   * Hosts (mute, remove, lock, lobby, end): with room tokens, their `role`
   * claim says who hosts; without, the first person in a room does. Off: no
   * hosts at all.
   */
  hosts: boolean;
  /** New rooms start with the lobby on. */
  lobby: boolean;
  /** Guests who join while the meeting is recorded are asked first (their media off till then). */
  recordingConsent: boolean;
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
  /**
   * The SFU: Janus nodes (WebSocket API URLs, on a private network) and when a
   * room moves to them. Null: every room is a mesh (and MAX_PEERS stays ≤ 64).
   */
  sfu: SfuConfig | null;
  /** Server recordings (through the SFU): where they go and how long they stay. Null: none. */
  recordings: RecordingsConfig | null;
}

export interface RecordingsConfig {
  /** An absolute folder that Janus writes into and this server reads (the same disk). */
  dir: string;
  /** One recording stops when its files pass this. */
  maxBytes: number;
  /** Recordings older than this are deleted. */
  retentionHours: number;
  /** A download link works this long. */
  linkHours: number;
}

export interface SfuConfig {
  janusUrls: string[];
  /** Janus's `api_secret`, sent with every request. */
  apiSecret: string | null;
  /** The VideoRoom plugin's `admin_key`, needed to create rooms when set. */
  adminKey: string | null;
  /** The largest room held as a mesh; one more person moves it to the SFU. */
  meshMax: number;
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
  hosts: true,
  lobby: false,
  recordingConsent: false,
  turn: null,
  redisUrl: null,
  redisPrefix: "video-room:",
  redisHeartbeatMs: 1000,
  sfu: null,
  recordings: null,
});

/** MAX_PEERS: its range and default, without and with an SFU. */
export const PEER_LIMITS = {
  mesh: { min: 2, max: 64, default: 8 },
  sfu: { min: 2, max: 200, default: 50 },
} as const;

/** A bad environment variable; `message` is the one line printed at startup. */
export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Cannot start: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/** Reads one variable's text into a value, or throws a ConfigError naming it. */
type Parser<T> = (raw: string, variable: string) => T;

function integer(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    const value = Number(raw.trim());
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(
        variable,
        `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      );
    }
    return value;
  };
}

const boolean: Parser<boolean> = (raw, variable) => {
  const v = raw.trim().toLowerCase();
  if (!["1", "true", "0", "false", "on", "off"].includes(v)) {
    throw new ConfigError(
      variable,
      `must be true or false (on or off), got ${JSON.stringify(raw)}`,
    );
  }
  return v === "1" || v === "true" || v === "on";
};

const hostname: Parser<string> = (raw, variable) => {
  const host = raw.trim();
  if (/\s|\//.test(host)) {
    throw new ConfigError(
      variable,
      `must be a hostname or IP address, got ${JSON.stringify(host)}`,
    );
  }
  return host;
};

const tokenSecret: Parser<string> = (raw, variable) => {
  if (raw.length < 32) {
    throw new ConfigError(variable, "must be at least 32 characters (use a random string)");
  }
  return raw;
};

const consent: Parser<boolean> = (raw, variable) => {
  const v = raw.trim().toLowerCase();
  if (v !== "required" && v !== "off") {
    throw new ConfigError(variable, `must be required or off, got ${JSON.stringify(raw)}`);
  }
  return v === "required";
};

const redisUrl: Parser<string> = (raw, variable) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw.trim());
  } catch { /* reported below */ }
  if (!parsed || !["redis:", "rediss:"].includes(parsed.protocol) || !parsed.hostname) {
    // Not echoed: the URL may carry a password.
    throw new ConfigError(variable, "must be a redis:// or rediss:// URL like redis://host:6379");
  }
  return raw.trim();
};

const redisPrefix: Parser<string> = (raw, variable) => {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) {
    throw new ConfigError(
      variable,
      `must be 1-64 of A-Z a-z 0-9 _ . : -, got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
};

const origins: Parser<string[]> = (raw, variable) => {
  const list = raw.split(",").map((o) => o.trim()).filter((o) => o !== "");
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch { /* reported below */ }
    if (!parsed || parsed.origin !== origin.replace(/\/$/, "")) {
      throw new ConfigError(
        variable,
        `must be a comma list of origins like https://example.com, got ${JSON.stringify(origin)}`,
      );
    }
  }
  return list.map((o) => o.replace(/\/$/, ""));
};

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

const iceServers: Parser<IceServer[]> = (raw, variable) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      variable,
      "must be a JSON array of RTCIceServer objects (not valid JSON)",
    );
  }
  if (!Array.isArray(parsed) || !parsed.every(isIceServer)) {
    throw new ConfigError(
      variable,
      'must be a JSON array like [{"urls":"stun:stun.example.com:3478"}]',
    );
  }
  return parsed;
};

const logLevel: Parser<LogLevel> = (raw, variable) => {
  const level = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(
      variable,
      `must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`,
    );
  }
  return level as LogLevel;
};

/** A variable, the config field it sets, and how its text is read. */
interface Setting<K extends keyof ServerConfig = keyof ServerConfig> {
  variable: string;
  key: K;
  parse: Parser<ServerConfig[K]>;
}

const setting = <K extends keyof ServerConfig>(
  variable: string,
  key: K,
  parse: Parser<ServerConfig[K]>,
): Setting => ({ variable, key, parse } as unknown as Setting);

/**
 * Every setting read from one variable: name, field, parser. An unset or
 * empty variable keeps the default from DEFAULT_CONFIG. (TURN is read apart:
 * its variables only make sense together.)
 */
export const SETTINGS: readonly Setting[] = [
  setting("PORT", "port", integer(0, 65535)),
  setting("HOST", "host", hostname),
  setting("MAX_MESSAGE_BYTES", "maxMessageBytes", integer(1024, 16 * 1024 * 1024)),
  setting("RESUME_GRACE_MS", "resumeGraceMs", integer(0, 24 * 3600 * 1000)),
  setting("REQUEST_TIMEOUT_MS", "requestTimeoutMs", integer(100, 600_000)),
  setting("RATE_LIMIT_BURST", "rateBurst", integer(1, 1e9)),
  setting("RATE_LIMIT_PER_SECOND", "ratePerSecond", integer(1, 1e9)),
  setting("MAX_CONNECTIONS", "maxConnections", integer(1, 1_000_000)),
  setting("MAX_CONNECTIONS_PER_IP", "maxConnectionsPerIp", integer(1, 1_000_000)),
  setting("MAX_BUFFERED_BYTES", "maxBufferedBytes", integer(65536, 1024 * 1024 * 1024)),
  setting("TRUST_PROXY", "trustProxy", boolean),
  setting("ROOM_TOKEN_SECRET", "roomTokenSecret", tokenSecret),
  setting("HOSTS", "hosts", boolean),
  setting("LOBBY", "lobby", boolean),
  setting("RECORDING_CONSENT", "recordingConsent", consent),
  setting("REDIS_URL", "redisUrl", redisUrl),
  setting("REDIS_PREFIX", "redisPrefix", redisPrefix),
  setting("REDIS_HEARTBEAT_MS", "redisHeartbeatMs", integer(50, 60000)),
  setting("ALLOWED_ORIGINS", "allowedOrigins", origins),
  setting("ICE_SERVERS", "iceServers", iceServers),
  setting("LOG_LEVEL", "logLevel", logLevel),
];

/** TURN_URLS, TURN_SECRET and TURN_TTL: all or nothing. */
function readTurn(env: Record<string, string | undefined>): ServerConfig["turn"] {
  const urls = env.TURN_URLS?.split(",").map((u) => u.trim()).filter((u) => u !== "") ?? [];
  const secret = env.TURN_SECRET ?? "";
  if (urls.length === 0 && secret === "") return null;
  if (urls.length === 0) throw new ConfigError("TURN_URLS", "must be set when TURN_SECRET is");
  if (secret === "") throw new ConfigError("TURN_SECRET", "must be set when TURN_URLS is");
  const bad = urls.find((u) => !/^turns?:[^\s]+$/.test(u));
  if (bad) {
    throw new ConfigError("TURN_URLS", `must be turn: or turns: URLs, got ${JSON.stringify(bad)}`);
  }
  const ttl = env.TURN_TTL?.trim() ? integer(60, 7 * 24 * 3600)(env.TURN_TTL, "TURN_TTL") : 3600;
  return { urls, secret, ttlSeconds: ttl };
}

const janusUrl: Parser<string> = (raw, variable) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch { /* reported below */ }
  if (!parsed || !["ws:", "wss:"].includes(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError(
      variable,
      `must be a comma list of Janus WebSocket URLs like ws://10.0.0.5:8188, got ${
        JSON.stringify(raw)
      }`,
    );
  }
  return raw;
};

/** JANUS_URLS, JANUS_API_SECRET, JANUS_ADMIN_KEY and MESH_MAX: the SFU, when JANUS_URLS is set. */
function readSfu(env: Record<string, string | undefined>): ServerConfig["sfu"] {
  const urls = env.JANUS_URLS?.split(",").map((u) => u.trim()).filter((u) => u !== "") ?? [];
  const meshMax = env.MESH_MAX?.trim() ? integer(2, 64)(env.MESH_MAX, "MESH_MAX") : 4;
  if (urls.length === 0) {
    for (const v of ["JANUS_API_SECRET", "JANUS_ADMIN_KEY", "MESH_MAX"]) {
      if (env[v]?.trim()) throw new ConfigError(v, "needs JANUS_URLS (the SFU) to be set");
    }
    return null;
  }
  return {
    janusUrls: urls.map((u) => janusUrl(u, "JANUS_URLS")),
    apiSecret: env.JANUS_API_SECRET?.trim() || null,
    adminKey: env.JANUS_ADMIN_KEY?.trim() || null,
    meshMax,
  };
}

/**
 * RECORDINGS_DIR (with the SFU), RECORDINGS_MAX_BYTES, RECORDINGS_RETENTION_HOURS,
 * RECORDINGS_LINK_HOURS: server recordings, when RECORDINGS_DIR is set.
 */
function readRecordings(
  env: Record<string, string | undefined>,
  sfu: ServerConfig["sfu"],
): ServerConfig["recordings"] {
  const dir = env.RECORDINGS_DIR?.trim() ?? "";
  const more = ["RECORDINGS_MAX_BYTES", "RECORDINGS_RETENTION_HOURS", "RECORDINGS_LINK_HOURS"];
  if (dir === "") {
    for (const v of more) {
      if (env[v]?.trim()) throw new ConfigError(v, "needs RECORDINGS_DIR to be set");
    }
    return null;
  }
  if (!sfu) {
    throw new ConfigError("RECORDINGS_DIR", "needs JANUS_URLS (the SFU records) to be set");
  }
  if (!dir.startsWith("/")) {
    throw new ConfigError("RECORDINGS_DIR", `must be an absolute path, got ${JSON.stringify(dir)}`);
  }
  const read = (variable: string, min: number, max: number, fallback: number) =>
    env[variable]?.trim() ? integer(min, max)(env[variable]!, variable) : fallback;
  return {
    dir: dir.replace(/\/+$/, "") || "/",
    maxBytes: read("RECORDINGS_MAX_BYTES", 1024 * 1024, Number.MAX_SAFE_INTEGER, 2 * 1024 ** 3),
    retentionHours: read("RECORDINGS_RETENTION_HOURS", 1, 24 * 3650, 24 * 7),
    linkHours: read("RECORDINGS_LINK_HOURS", 1, 24 * 365, 24),
  };
}

/** Reads the configuration from environment variables; throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const config: ServerConfig = { ...DEFAULT_CONFIG };
  const fields = config as unknown as Record<string, unknown>;
  for (const { variable, key, parse } of SETTINGS) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === "") continue;
    fields[key] = parse(raw, variable);
  }
  config.turn = readTurn(env);
  config.sfu = readSfu(env);
  config.recordings = readRecordings(env, config.sfu);
  // An SFU carries far bigger rooms than a mesh, so it widens MAX_PEERS and its default.
  const peers = PEER_LIMITS[config.sfu ? "sfu" : "mesh"];
  config.maxPeers = env.MAX_PEERS?.trim()
    ? integer(peers.min, peers.max)(env.MAX_PEERS, "MAX_PEERS")
    : peers.default;
  if (config.sfu && config.sfu.meshMax >= config.maxPeers) {
    throw new ConfigError("MESH_MAX", `must be below MAX_PEERS (${config.maxPeers})`);
  }
  return config;
}
