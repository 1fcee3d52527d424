/**
 * Starts a Janus node for tests and benchmarks (inside the network namespace
 * that scripts/netns-run.ts makes): a config folder of its own with only the
 * VideoRoom plugin and the WebSocket transports, the API on loopback, media
 * on the veth address (Janus never uses loopback for media). The admin API
 * (on its own port) lets tests count sessions and rooms.
 */
export interface JanusNode {
  /** ws://127.0.0.1:PORT: the API, for JANUS_URLS. */
  url: string;
  adminUrl: string;
  adminSecret: string;
  pid: number;
  /** Stops it (SIGTERM, or SIGKILL to play a crash) and waits for the exit. */
  stop(signal?: Deno.Signal): Promise<void>;
  /** Rooms and sessions on the node now, read through its APIs. */
  counts(): Promise<{ rooms: number; sessions: number }>;
  /** The end of its log (for a failing test's message). */
  log(): Promise<string>;
}

const LIB = "/usr/lib/x86_64-linux-gnu/janus";

export async function startJanus(options: {
  port: number;
  /** The node's media address (its veth end). */
  ip?: string;
  rtpPorts?: string;
  apiSecret?: string;
  adminKey?: string;
  /** Janus's log detail, 0-7 (default 3: warnings and errors). */
  debugLevel?: number;
}): Promise<JanusNode> {
  const dir = await Deno.makeTempDir({ prefix: "janus-" });
  const adminPort = options.port + 1;
  const adminSecret = crypto.randomUUID();
  const ip = options.ip ?? "10.99.0.1";
  await Deno.writeTextFile(
    `${dir}/janus.jcfg`,
    `general: { configs_folder = "${dir}", plugins_folder = "${LIB}/plugins", ` +
      `transports_folder = "${LIB}/transports", events_folder = "${LIB}/events", ` +
      `loggers_folder = "${LIB}/loggers", debug_level = ${
        options.debugLevel ?? 3
      }, session_timeout = 60, ` +
      `admin_secret = "${adminSecret}"` +
      (options.apiSecret ? `, api_secret = "${options.apiSecret}"` : "") + ` }\n` +
      `media: { rtp_port_range = "${options.rtpPorts ?? "20000-29999"}" }\n` +
      `nat: { ice_enforce_list = "v0", nice_debug = false }\n` +
      `plugins: { disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,` +
      `libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,` +
      `libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so" }\n` +
      `transports: { disable = "libjanus_http.so,libjanus_mqtt.so,libjanus_nanomsg.so,` +
      `libjanus_pfunix.so,libjanus_rabbitmq.so" }\n` +
      `events: { broadcast = false }\n` +
      `loggers: { disable = "libjanus_jsonlog.so" }\n`,
  );
  await Deno.writeTextFile(
    `${dir}/janus.transport.websockets.jcfg`,
    `general: { ws = true, ws_port = ${options.port}, ws_ip = "127.0.0.1", wss = false }\n` +
      `admin: { admin_ws = true, admin_ws_port = ${adminPort}, admin_ws_ip = "127.0.0.1", ` +
      `admin_wss = false }\n`,
  );
  await Deno.writeTextFile(
    `${dir}/janus.plugin.videoroom.jcfg`,
    options.adminKey ? `general: { admin_key = "${options.adminKey}" }\n` : `general: { }\n`,
  );
  const child = new Deno.Command("janus", {
    args: ["-F", dir, "-i", ip, "-o", "-N", "-L", `${dir}/janus.log`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `ws://127.0.0.1:${options.port}`;
  const adminUrl = `ws://127.0.0.1:${adminPort}`;
  // Up when its API answers (bounded: 10 s).
  for (let i = 0;; i++) {
    if (await answers(url, "janus-protocol", { janus: "info" })) break;
    if (i >= 100) {
      child.kill("SIGKILL");
      const log = await Deno.readTextFile(`${dir}/janus.log`).catch(() => "");
      throw new Error(`Janus did not start on ${url}:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopped = false;
  return {
    url,
    adminUrl,
    adminSecret,
    pid: child.pid,
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!stopped) {
        stopped = true;
        try {
          child.kill(signal);
        } catch { /* gone */ }
        await child.status;
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
    log: () => Deno.readTextFile(`${dir}/janus.log`).then((t) => t.slice(-20_000), () => ""),
    async counts() {
      const sessions = await answers(adminUrl, "janus-admin-protocol", {
        janus: "list_sessions",
        admin_secret: adminSecret,
      }) as { sessions?: number[] } | null;
      const rooms = await listRooms(url, options.apiSecret);
      return { rooms, sessions: sessions?.sessions?.length ?? -1 };
    },
  };
}

/** One request on a fresh WebSocket; its reply, or null when nothing answers in 2 s. */
function answers(
  url: string,
  protocol: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, protocol);
    } catch {
      return resolve(null);
    }
    const done = (value: Record<string, unknown> | null) => {
      clearTimeout(timer);
      ws.onclose = ws.onerror = ws.onmessage = null;
      ws.close();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), 2000);
    ws.onerror = () => done(null);
    ws.onopen = () => ws.send(JSON.stringify({ ...body, transaction: "t" }));
    ws.onmessage = (e) => done(JSON.parse(String(e.data)));
  });
}

/** VideoRoom rooms on a node (through a session of its own, which it ends). */
async function listRooms(url: string, apiSecret?: string): Promise<number> {
  const ws = new WebSocket(url, "janus-protocol");
  await new Promise((r, j) => {
    ws.onopen = r;
    ws.onerror = j;
  });
  let n = 0;
  const ask = (body: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const transaction = `t${++n}`;
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data));
        if (m.transaction === transaction && m.janus !== "ack") resolve(m);
      };
      ws.send(
        JSON.stringify({ ...body, transaction, ...(apiSecret ? { apisecret: apiSecret } : {}) }),
      );
    });
  try {
    const session = ((await ask({ janus: "create" })).data as { id: number }).id;
    const handle = ((await ask({
      janus: "attach",
      session_id: session,
      plugin: "janus.plugin.videoroom",
    })).data as { id: number }).id;
    const list = await ask({
      janus: "message",
      session_id: session,
      handle_id: handle,
      body: { request: "list" },
    });
    await ask({ janus: "destroy", session_id: session });
    const data = (list.plugindata as { data: { list?: unknown[] } }).data;
    return data.list?.length ?? -1;
  } finally {
    ws.close();
  }
}
