import assert from "node:assert/strict";
import { ConfigError, DEFAULT_CONFIG, loadConfig } from "../../server/config.ts";

Deno.test("defaults when nothing is set", () => {
  assert.deepEqual(loadConfig({}), DEFAULT_CONFIG);
});

Deno.test("reads every variable", () => {
  const c = loadConfig({
    PORT: "9001",
    HOST: "127.0.0.1",
    MAX_PEERS: "4",
    MAX_MESSAGE_BYTES: "4096",
    RESUME_GRACE_MS: "500",
    ALLOWED_ORIGINS: "https://a.example, http://localhost:3000",
    ICE_SERVERS: '[{"urls":"stun:stun.example.com:3478"}]',
    LOG_LEVEL: "DEBUG",
    MAX_CONNECTIONS: "500",
    MAX_CONNECTIONS_PER_IP: "20",
    MAX_BUFFERED_BYTES: "131072",
    TRUST_PROXY: "true",
  });
  assert.equal(c.maxConnections, 500);
  assert.equal(c.maxConnectionsPerIp, 20);
  assert.equal(c.maxBufferedBytes, 131072);
  assert.equal(c.trustProxy, true);
  assert.equal(c.recordingConsent, false);
  assert.equal(loadConfig({ RECORDING_CONSENT: "required" }).recordingConsent, true);
  const t = loadConfig({
    ROOM_TOKEN_SECRET: "x".repeat(32),
    TURN_URLS: "turn:turn.example.com:3478, turns:turn.example.com:5349",
    TURN_SECRET: "shh",
    TURN_TTL: "600",
  });
  assert.equal(t.roomTokenSecret, "x".repeat(32));
  assert.deepEqual(t.turn, {
    urls: ["turn:turn.example.com:3478", "turns:turn.example.com:5349"],
    secret: "shh",
    ttlSeconds: 600,
  });
  assert.equal(c.port, 9001);
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.maxPeers, 4);
  assert.equal(c.maxMessageBytes, 4096);
  assert.equal(c.resumeGraceMs, 500);
  assert.deepEqual(c.allowedOrigins, ["https://a.example", "http://localhost:3000"]);
  assert.deepEqual(c.iceServers, [{ urls: "stun:stun.example.com:3478" }]);
  assert.equal(c.logLevel, "debug");
  const r = loadConfig({
    REDIS_URL: "rediss://:secret@redis.internal:6380/2",
    REDIS_PREFIX: "meet:",
    REDIS_HEARTBEAT_MS: "500",
  });
  assert.equal(r.redisUrl, "rediss://:secret@redis.internal:6380/2");
  assert.equal(r.redisPrefix, "meet:");
  assert.equal(r.redisHeartbeatMs, 500);
});

Deno.test("bad values name their variable", () => {
  const cases: Record<string, string>[] = [
    { PORT: "eighty" },
    { PORT: "70000" },
    { MAX_PEERS: "1" },
    { MAX_PEERS: "2.5" },
    { MAX_MESSAGE_BYTES: "-1" },
    { RESUME_GRACE_MS: "soon" },
    { ALLOWED_ORIGINS: "example.com" },
    { ALLOWED_ORIGINS: "https://a.example/path" },
    { ICE_SERVERS: "{not json" },
    { ICE_SERVERS: '{"urls":"stun:x"}' },
    { ICE_SERVERS: '[{"urls":"http://x"}]' },
    { LOG_LEVEL: "loud" },
    { HOST: "a b" },
    { MAX_CONNECTIONS: "0" },
    { MAX_CONNECTIONS_PER_IP: "many" },
    { MAX_BUFFERED_BYTES: "10" },
    { TRUST_PROXY: "maybe" },
    { RECORDING_CONSENT: "yes please" },
    { ROOM_TOKEN_SECRET: "too-short" },
    { TURN_URLS: "http://x", TURN_SECRET: "s" },
    { REDIS_URL: "localhost:6379" },
    { REDIS_URL: "http://redis:6379" },
    { REDIS_PREFIX: "has space" },
    { REDIS_HEARTBEAT_MS: "10" },
  ];
  for (const env of cases) {
    const name = Object.keys(env)[0];
    assert.throws(() => loadConfig(env), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, name);
      assert.match(err.message, new RegExp(`^Cannot start: ${name} `));
      return true;
    }, JSON.stringify(env));
  }
  // A Redis URL may carry a password: the error never repeats it.
  assert.throws(
    () => loadConfig({ REDIS_URL: "ftp://user:hunter2@x" }),
    (err: unknown) => err instanceof ConfigError && !err.message.includes("hunter2"),
  );
  // Half a TURN setup names the half that is missing.
  assert.throws(
    () => loadConfig({ TURN_SECRET: "s" }),
    /^ConfigError: Cannot start: TURN_URLS must be set/,
  );
});

Deno.test("the SFU: JANUS_URLS widens MAX_PEERS; its settings need it; bad ones name themselves", () => {
  assert.equal(loadConfig({}).sfu, null);
  assert.equal(loadConfig({}).maxPeers, 8);
  const c = loadConfig({
    JANUS_URLS: "ws://10.0.0.5:8188, ws://10.0.0.6:8188",
    JANUS_API_SECRET: "s3cret",
    MESH_MAX: "3",
  });
  assert.deepEqual(c.sfu, {
    janusUrls: ["ws://10.0.0.5:8188", "ws://10.0.0.6:8188"],
    apiSecret: "s3cret",
    adminKey: null,
    meshMax: 3,
  });
  assert.equal(c.maxPeers, 50, "an SFU's default");
  assert.equal(loadConfig({ JANUS_URLS: "ws://j:8188", MAX_PEERS: "200" }).maxPeers, 200);
  assert.equal(loadConfig({ JANUS_URLS: "ws://j:8188" }).sfu?.meshMax, 4);
  const bad: Array<[Record<string, string>, string]> = [
    [{ MAX_PEERS: "100" }, "MAX_PEERS"], // a mesh stops at 64
    [{ JANUS_URLS: "ws://j:8188", MAX_PEERS: "201" }, "MAX_PEERS"],
    [{ JANUS_URLS: "http://j:8088" }, "JANUS_URLS"],
    [{ JANUS_URLS: "ws://j:8188", MESH_MAX: "1" }, "MESH_MAX"],
    [{ JANUS_URLS: "ws://j:8188", MESH_MAX: "many" }, "MESH_MAX"],
    [{ JANUS_URLS: "ws://j:8188", MAX_PEERS: "4", MESH_MAX: "4" }, "MESH_MAX"],
    [{ MESH_MAX: "3" }, "MESH_MAX"],
    [{ JANUS_API_SECRET: "s" }, "JANUS_API_SECRET"],
  ];
  for (const [env, variable] of bad) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && e.variable === variable,
      JSON.stringify(env),
    );
  }
});

Deno.test("server recordings: RECORDINGS_DIR with the SFU; its limits need it; bad ones name themselves", () => {
  assert.equal(loadConfig({}).recordings, null);
  const janus = { JANUS_URLS: "ws://j:8188" };
  assert.deepEqual(loadConfig({ ...janus, RECORDINGS_DIR: "/var/lib/video-room/" }).recordings, {
    dir: "/var/lib/video-room",
    maxBytes: 2 * 1024 ** 3,
    retentionHours: 168,
    linkHours: 24,
  });
  const set = loadConfig({
    ...janus,
    RECORDINGS_DIR: "/rec",
    RECORDINGS_MAX_BYTES: "104857600",
    RECORDINGS_RETENTION_HOURS: "48",
    RECORDINGS_LINK_HOURS: "2",
  }).recordings;
  assert.deepEqual(set, { dir: "/rec", maxBytes: 104857600, retentionHours: 48, linkHours: 2 });
  const bad: Array<[Record<string, string>, string]> = [
    [{ RECORDINGS_DIR: "/rec" }, "RECORDINGS_DIR"], // the SFU records
    [{ ...janus, RECORDINGS_DIR: "recordings" }, "RECORDINGS_DIR"],
    [{ ...janus, RECORDINGS_MAX_BYTES: "1000000000" }, "RECORDINGS_MAX_BYTES"],
    [{ ...janus, RECORDINGS_DIR: "/rec", RECORDINGS_MAX_BYTES: "10" }, "RECORDINGS_MAX_BYTES"],
    [
      { ...janus, RECORDINGS_DIR: "/rec", RECORDINGS_RETENTION_HOURS: "0" },
      "RECORDINGS_RETENTION_HOURS",
    ],
    [{ ...janus, RECORDINGS_DIR: "/rec", RECORDINGS_LINK_HOURS: "soon" }, "RECORDINGS_LINK_HOURS"],
  ];
  for (const [env, variable] of bad) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && e.variable === variable,
      JSON.stringify(env),
    );
  }
});
