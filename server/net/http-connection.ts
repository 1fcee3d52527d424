/**
 * One TCP connection's HTTP life: read a request head (bounded in size; the
 * connection guard bounds the time), answer it, and carry on while the client
 * keeps the connection alive, until a WebSocket upgrade takes the connection
 * over. Every path answers or closes: a malformed head gets the status that
 * says why, a method we do not serve 405 (501 if HTTP does not know it), a
 * body we would not read 413, and an unexpected error is logged with the
 * request's method and path and costs only this connection.
 */
import type { ConnectionGuard } from "./connection-guard.ts";
import {
  findHeadEnd,
  MAX_HEAD_BYTES,
  parseRequestHead,
  type RequestHead,
} from "./http-request-head.ts";
import { textResponse, writeResponse } from "./http-response.ts";
import { LogThrottle } from "../observe/log-throttle.ts";
import type { Logger } from "../observe/logger.ts";
import type { Metrics } from "../observe/metrics.ts";
import type { TcpConnection } from "./tcp-connection.ts";

/** Methods served: everything is GET and HEAD (and OPTIONS, which says so). */
const SERVED = new Set(["GET", "HEAD", "OPTIONS"]);
export const ALLOW = "GET, HEAD, OPTIONS";

/**
 * Methods HTTP defines (IANA's registry): for these the answer is 405 with
 * Allow; any other token is 501, a method this server does not know.
 */
const KNOWN_METHODS = new Set([
  "ACL",
  "BASELINE-CONTROL",
  "BIND",
  "CHECKIN",
  "CHECKOUT",
  "CONNECT",
  "COPY",
  "DELETE",
  "LABEL",
  "LINK",
  "LOCK",
  "MERGE",
  "MKACTIVITY",
  "MKCALENDAR",
  "MKCOL",
  "MKREDIRECTREF",
  "MKWORKSPACE",
  "MOVE",
  "ORDERPATCH",
  "PATCH",
  "POST",
  "PRI",
  "PROPFIND",
  "PROPPATCH",
  "PUT",
  "QUERY",
  "REBIND",
  "REPORT",
  "SEARCH",
  "TRACE",
  "UNBIND",
  "UNCHECKOUT",
  "UNLINK",
  "UNLOCK",
  "UPDATE",
  "UPDATEREDIRECTREF",
  "VERSION-CONTROL",
]);

/** A request head's buffer starts at this and grows to MAX_HEAD_BYTES. */
const HEAD_READ = 4096;

export interface HttpDeps {
  guard: ConnectionGuard;
  logger: Logger;
  metrics: Metrics;
  /** GET and HEAD, as Fetch handlers. */
  routes(req: Request): Promise<Response>;
  /**
   * An upgrade request for /ws: either the connection is taken (null), or
   * the answer to send instead.
   */
  upgrade(head: RequestHead, conn: TcpConnection, rest: Uint8Array): Promise<Response | null>;
}

export class HttpConnections {
  readonly #deps: HttpDeps;
  readonly #logged = new LogThrottle();

  constructor(deps: HttpDeps) {
    this.#deps = deps;
  }

  /** Serves `conn` until it closes or becomes a WebSocket. Never rejects. */
  async serve(conn: TcpConnection): Promise<void> {
    let head: RequestHead | null = null;
    try {
      let buf: Uint8Array = new Uint8Array(HEAD_READ);
      let length = 0;
      while (conn.open) {
        let end: number;
        let searched = 0;
        while ((end = findHeadEnd(buf, length, searched - 2)) < 0) {
          searched = length;
          if (length >= MAX_HEAD_BYTES) {
            return void await this.#refuse(conn, 431, "the request head is too large");
          }
          if (length === buf.length) buf = grow(buf, Math.min(buf.length * 2, MAX_HEAD_BYTES));
          const n = await conn.read(buf.subarray(length));
          if (n === null) return; // the client went away (or the guard's timer cut it)
          length += n;
        }
        this.#deps.guard.requestStarted(conn);
        head = null;
        const parsed = parseRequestHead(buf.subarray(0, end));
        if (!parsed.ok) {
          const { status, reason } = parsed.refusal;
          return void await this.#refuse(conn, status, reason);
        }
        head = parsed.head;
        const rest = buf.slice(end, length);
        const next = await this.#answer(conn, head, rest);
        if (next === null) return;
        buf = next.length > HEAD_READ ? next : grow(next, HEAD_READ);
        length = next.length;
        this.#deps.guard.requestDone(conn);
      }
    } catch (err) {
      // The last resort: a bug costs this connection, never the process or anyone else's.
      this.#deps.logger.error("request failed", {
        method: head?.method,
        path: head?.target.slice(0, 200),
        error: String(err),
      });
      conn.destroy();
    }
  }

  /**
   * Answers one request. Returns what the client sent after it (the next
   * request's beginning), or null when the connection is done with HTTP.
   */
  async #answer(
    conn: TcpConnection,
    head: RequestHead,
    rest: Uint8Array,
  ): Promise<Uint8Array | null> {
    const { method } = head;
    if (!SERVED.has(method)) {
      return KNOWN_METHODS.has(method)
        ? await this.#refuse(conn, 405, `${method} is not served here`, { allow: ALLOW })
        : await this.#refuse(conn, 501, `the method ${method} is not known here`, { allow: ALLOW });
    }
    const url = requestUrl(head.target);
    const asterisk = method === "OPTIONS" && head.target === "*";
    if (!url && !asterisk) return await this.#refuse(conn, 400, "the target is not a path here");
    if (head.hasBody) {
      // Nothing here reads a body; it would be taken for the next request.
      return await this.#refuse(conn, 413, "this server takes no request body");
    }
    if (method === "OPTIONS" || !url) {
      await writeResponse(conn, new Response(null, { status: 204, headers: { allow: ALLOW } }), {
        headOnly: false,
        close: !head.keepAlive,
      });
      return head.keepAlive ? rest : (await conn.end(), null);
    }
    if (url.pathname === "/ws" && head.headers.has("upgrade")) {
      const refused = await this.#deps.upgrade(head, conn, rest);
      if (!refused) return null; // a WebSocket now
      await writeResponse(conn, refused, { headOnly: false, close: true });
      await conn.end();
      return null;
    }
    const headers = new Headers();
    for (const [name, values] of head.headers) for (const v of values) headers.append(name, v);
    const response = await this.#deps.routes(new Request(url, { method, headers }));
    const sent = await writeResponse(conn, response, {
      headOnly: method === "HEAD",
      close: !head.keepAlive,
    });
    if (!sent) return null;
    if (!head.keepAlive) {
      await conn.end();
      return null;
    }
    return rest;
  }

  /** Answers with `status` and "Cannot read request: …", then ends the connection. */
  async #refuse(
    conn: TcpConnection,
    status: number,
    reason: string,
    headers: Record<string, string> = {},
  ): Promise<null> {
    this.#deps.metrics.countHttpRefused(status);
    if (this.#logged.allow(`${status} ${conn.remoteAddress}`)) {
      this.#deps.logger.warn("request refused", { address: conn.remoteAddress, status, reason });
    }
    const message = status === 405 || status === 501 || status === 413
      ? `Cannot serve request: ${reason}\n`
      : `Cannot read request: ${reason}\n`;
    await writeResponse(conn, textResponse(status, message, headers), {
      headOnly: false,
      close: true,
    });
    await conn.end();
    return null;
  }
}

/**
 * The URL a GET or HEAD names: a path (origin form), or an http(s) URL
 * (absolute form, which HTTP/1.1 servers must accept). Null for anything else.
 */
function requestUrl(target: string): URL | null {
  try {
    if (target.startsWith("/")) {
      // Joined as text, not resolved against a base: "//x/y" stays a path here.
      return new URL(`http://localhost${target}`);
    }
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch { /* not a URL */ }
  return null;
}

function grow(buf: Uint8Array, size: number): Uint8Array {
  const bigger = new Uint8Array(size);
  bigger.set(buf.subarray(0, Math.min(buf.length, size)));
  return bigger;
}
