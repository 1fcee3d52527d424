/**
 * Thousands of generated request heads at a running server process, one
 * connection each: every method token, lower case, garbage bytes, absolute and
 * `*` targets, HTTP/0.9 to 2.0 and nonsense versions, duplicate and
 * conflicting Content-Length and Transfer-Encoding, huge and many headers,
 * every combination of upgrade pieces, bodies and chunked bodies, pipelined
 * requests. Each gets an HTTP answer (or, a WebSocket, a working one); after
 * every batch the process is alive and /healthz answers; two honest peers
 * relay signals throughout and lose none. Seeded: FUZZ_SEED=n replays a run.
 */
import assert from "node:assert/strict";
import { startServerProcess } from "../../../scripts/spawn-listening.ts";
import { rawGet } from "../../shared/raw-http.ts";
import { clientFrame } from "../../shared/raw-websocket.ts";
import { TestClient } from "../test-server.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261204);
const REQUESTS = Number(Deno.env.get("FUZZ_REQUESTS") ?? 10000);
const BATCH = 100;
const PARALLEL = 8;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// deno-fmt-ignore
const METHODS = [
  "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "TRACK",
  "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
  "PURGE", "LINK", "UNLINK", "QUERY", "PRI", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "ACL", "BIND",
  "MKCALENDAR", "get", "Get", "head", "post", "trace", "connect", "FOO", "X-CUSTOM", "G_T", "A",
  "", "GET\x00", "G\tET", "GE T", "\xff\xfe", "GET/", "😀", "\x7f", "G(E)T",
];
// deno-fmt-ignore
const TARGETS = [
  "/", "/healthz", "/metrics", "/ws", "/ws?x=1", "/dist/video-room.js", "/index.html", "*",
  "http://127.0.0.1/healthz", "https://x/ws", "HTTP://X/", "ftp://x/", "//evil/x", "x:443",
  "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc", "/%00", "/%", "/\\..\\x", "/a b", "/\x01",
  "/\xe9t\xe9", "/?" + "q".repeat(100), "", "?", "#frag", "/#", "/ws/../ws",
];
// deno-fmt-ignore
const VERSIONS = [
  "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/1.2", "HTTP/2.0", "HTTP/2",
  "HTTP/3.0", "HTTP/1.1 ", "HTTP/11", "http/1.1", "HTTP/1.x", "", "HTTP/", "HTTPS/1.1",
  "HTTP/1.1\x00", "HTTP/9.9", "HTTP/01.1",
];
const KEY = btoa("0123456789abcdef");

/**
 * A request that works (a page, a health check, a WebSocket handshake, a
 * body where none is taken), then 0-4 mutations of its pieces, so every
 * layer is reached: some requests are served, some upgraded, most refused.
 */
function generate(rand: () => number): { bytes: Uint8Array; what: string } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const junk = (n: number) =>
    String.fromCharCode(...Array.from({ length: n }, () => Math.floor(rand() * 256)));
  const line = (s: string) => s.replace(/[\r\n]/g, "");
  let method = "GET";
  let target = pick(["/", "/healthz", "/metrics", "/dist/video-room.js", "/index.html", "/nope"]);
  let version = "HTTP/1.1";
  let sep = " ";
  let eol = "\r\n";
  let body = "";
  const fields: string[] = ["Host: 127.0.0.1"];
  const base = Math.floor(rand() * 5);
  if (base === 1) method = "HEAD";
  if (base === 2) {
    // A WebSocket handshake, complete.
    target = "/ws";
    fields.push(
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${KEY}`,
      "Sec-WebSocket-Version: 13",
    );
  }
  if (base === 3) fields.push("Connection: close");
  if (base === 4) {
    method = "POST";
    body = "a=1";
    fields.push("Content-Length: 3");
  }
  const mutations: Array<() => void> = [
    () => (method = pick(METHODS)),
    () => (method = junk(1 + Math.floor(rand() * 8))),
    () => (target = pick(TARGETS)),
    () => (target = "/" + "a".repeat(Math.floor(rand() * 20000))),
    () => (version = pick(VERSIONS)),
    () => (sep = pick(["  ", "\t", "", " \t"])),
    () => (eol = pick(["\n", "\r", "\n\r"])),
    () => fields.splice(0, 1),
    () => fields.push(pick(["Host: second", "Host: a b", "Host: u@x", "Host: [::1]:80", "Host:"])),
    // The upgrade pieces: each dropped, doubled or changed, in every combination over runs.
    () =>
      fields.push(`Upgrade: ${pick(["websocket", "WebSocket", "h2c", "websocket, h2c", "", "x"])}`),
    () =>
      fields.push(
        `Connection: ${
          pick(["Upgrade", "keep-alive, Upgrade", "close", "Upgrade, close", "", "x"])
        }`,
      ),
    () =>
      fields.push(
        `Sec-WebSocket-Key: ${pick([KEY, "short", "", "x".repeat(24), `${KEY}, ${KEY}`])}`,
      ),
    () => fields.push(`Sec-WebSocket-Version: ${pick(["13", "8", "", "13, 8", "abc"])}`),
    () => fields.push("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"),
    () => fields.push(`Origin: ${pick(["http://127.0.0.1", "null", "https://evil.example", ""])}`),
    () => {
      const i = fields.findIndex((f) => /^(Upgrade|Connection|Sec-)/i.test(f));
      if (i >= 0) fields.splice(i, 1);
    },
    // Framing: lengths and transfer codings, duplicate and conflicting, with and without bodies.
    () => {
      const n = Math.floor(rand() * 50);
      const kind = Math.floor(rand() * 9);
      if (kind === 0) fields.push(`Content-Length: ${n}`), (body = "b".repeat(n));
      if (kind === 1) fields.push(`Content-Length: ${n}`, `Content-Length: ${n + 1}`);
      if (kind === 2) fields.push(`Content-Length: ${n}, ${n}`), (body = "b".repeat(n));
      if (kind === 3) {
        fields.push(
          pick([
            "Content-Length: -1",
            "Content-Length: 1e3",
            "Content-Length: 99999999999999999999",
            "Content-Length:",
            "Content-Length: 0x10",
          ]),
        );
      }
      if (kind === 4) fields.push("Transfer-Encoding: chunked"), (body = "5\r\nhello\r\n0\r\n\r\n");
      if (kind === 5) {
        fields.push("Transfer-Encoding: chunked", `Content-Length: ${n}`), (body = "0\r\n\r\n");
      }
      if (kind === 6) {
        fields.push(
          `Transfer-Encoding: ${pick(["gzip", "chunked, chunked", "identity", "xchunked", ""])}`,
        );
      }
      if (kind === 7) fields.push("Content-Length: 0");
      if (kind === 8) fields.push("Transfer-Encoding: chunked"), (body = "zz\r\nnot hex\r\n");
    },
    // Odd and oversized fields.
    () => fields.push(`X-Big: ${"v".repeat(Math.floor(rand() * 24000))}`),
    () => {
      for (let i = 0; i < 150; i++) fields.push(`X-${i}: ${i}`);
    },
    () =>
      fields.push(
        pick([
          " folded",
          "\tfolded",
          "NoColon",
          ": empty name",
          "Bad Name: x",
          "X : y",
          "X: a\x00b",
          "X: a\x01b",
          "X: \xff\xfe",
          "X-\xe9: 1",
        ]),
      ),
    () => fields.push(`X-Junk: ${line(junk(Math.floor(rand() * 40)))}`),
    () => fields.push(`X-Forwarded-For: ${pick(["1.2.3.4", "", "::1, 10.0.0.1", line(junk(8))])}`),
    () => (body += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), // pipelined
    () => {
      for (let i = fields.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [fields[i], fields[j]] = [fields[j], fields[i]];
      }
    },
  ];
  const count = Math.floor(rand() * 5);
  for (let i = 0; i < count; i++) pick(mutations)();
  let head = `${method}${sep}${target}${sep}${version}${eol}${fields.map((f) => f + eol).join("")}`;
  head += eol === "\n" ? "\n" : "\r\n";
  if (!head.endsWith("\r\n\r\n") && !head.endsWith("\n\n")) head += "\r\n\r\n";
  if (chance(0.03)) head = junk(Math.floor(rand() * 200)) + "\r\n\r\n"; // not HTTP at all
  const text = head + body;
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  return { bytes, what: JSON.stringify(text.length > 300 ? text.slice(0, 300) + "…" : text) };
}

/** Sends one generated request on its own connection; returns the status answered. */
async function fire(port: number, bytes: Uint8Array): Promise<number | "ws" | "none"> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const writing = conn.write(bytes).catch(() => 0);
    const buf = new Uint8Array(65536);
    let got = "";
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !got.includes("\r\n")) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buf).catch(() => null),
        new Promise<"wait">((r) => (timer = setTimeout(() => r("wait"), deadline - Date.now()))),
      ]);
      clearTimeout(timer);
      if (n === "wait" || n === null) break;
      got += String.fromCharCode(...buf.subarray(0, n));
    }
    await writing;
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(got);
    if (!status) return "none";
    if (status[1] === "101") {
      // A real WebSocket: it must work, then close cleanly.
      await conn.write(clientFrame(0x8, new Uint8Array([0x03, 0xe8]))).catch(() => 0);
      return "ws";
    }
    return Number(status[1]);
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

Deno.test(`request fuzz: ${REQUESTS} generated heads (seed ${SEED}), the server keeps serving`, async () => {
  const log: string[] = [];
  const server = await startServerProcess(
    { REQUEST_TIMEOUT_MS: "2000", MAX_CONNECTIONS_PER_IP: "1000" },
    (line) => log.push(line),
  );
  const rand = prng(SEED);
  const [a, b] = [await TestClient.connect(server), await TestClient.connect(server)];
  const statuses = new Map<string, number>();
  try {
    await a.join("honest", "A");
    const jb = await b.join("honest", "B");
    // The honest pair relays a signal every 10 ms throughout.
    let sent = 0;
    const relay = setInterval(() => a.send({ type: "signal", to: jb.id, data: { n: sent++ } }), 10);
    try {
      for (let done = 0; done < REQUESTS; done += BATCH) {
        const batch = Array.from(
          { length: Math.min(BATCH, REQUESTS - done) },
          () => generate(rand),
        );
        for (let i = 0; i < batch.length; i += PARALLEL) {
          await Promise.all(
            batch.slice(i, i + PARALLEL).map(async ({ bytes, what }) => {
              const outcome = await fire(server.port, bytes);
              assert.notEqual(outcome, "none", `no answer to ${what} (seed ${SEED})`);
              if (typeof outcome === "number") {
                assert.ok(outcome >= 200 && outcome < 600, `status ${outcome} for ${what}`);
              }
              statuses.set(String(outcome), (statuses.get(String(outcome)) ?? 0) + 1);
            }),
          );
        }
        const exited = await Promise.race([
          server.child.status.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 0)),
        ]);
        assert.ok(!exited, `the server exited during batch ${done / BATCH} (seed ${SEED})`);
        assert.equal((await rawGet(server.port, "/healthz")).status, 200);
      }
    } finally {
      clearInterval(relay);
    }
    // Every honest signal arrived, in order.
    const last = sent - 1;
    for (let n = 0; n <= last; n++) {
      const m = await b.next("signal", 5000);
      assert.equal((m.data as { n: number }).n, n);
    }
    console.log(`statuses (seed ${SEED}):`, Object.fromEntries([...statuses].sort()));
    const errors = log.filter((l) => l.includes('"level":"error"'));
    assert.deepEqual(errors, [], "nothing failed unexpectedly");
    // Refusals are logged once per source (here: one address) and status per minute.
    const refusals = log.filter((l) => l.includes('"msg":"request refused"'));
    assert.ok(refusals.length <= 10, `${refusals.length} refusal lines`);
    for (const outcome of ["200", "ws", "405", "501", "400", "413", "431", "505"]) {
      assert.ok(statuses.has(outcome), `some answered ${outcome}`);
    }
  } finally {
    a.close();
    b.close();
    await server.stop();
  }
});

Deno.test("every method gets an answer: 405 with Allow for HTTP's, 501 for unknown, and the server stays", async () => {
  const server = await startServerProcess();
  try {
    const answer = async (request: string) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode(request));
      let text = "";
      const buf = new Uint8Array(4096);
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf).catch(() => null)) {
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
      conn.close();
      return text;
    };
    for (const method of ["TRACE", "CONNECT", "POST", "DELETE", "PROPFIND"]) {
      const res = await answer(`${method} / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.match(res, /^HTTP\/1.1 405 /, method);
      assert.match(res, /\r\nallow: GET, HEAD, OPTIONS\r\n/i, method);
    }
    for (const method of ["TRACK", "get", "FOO"]) {
      assert.match(await answer(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1.1 501 /);
    }
    const options = await answer("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(options, /^HTTP\/1.1 204 /);
    assert.match(options, /\r\nallow: GET, HEAD, OPTIONS\r\n/i);
    assert.match(await answer("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), /^HTTP\/1.1 505 /);
    assert.match(
      await answer("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
      /^HTTP\/1.1 413 /,
    );
    assert.match(
      await answer("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"),
      /^HTTP\/1.1 400 /,
    );
    assert.equal((await rawGet(server.port, "/healthz")).status, 200);
  } finally {
    await server.stop();
  }
});
