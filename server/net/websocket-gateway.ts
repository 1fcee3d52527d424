/**
 * From an HTTP upgrade request to a ClientSession: checks the handshake, the
 * origin and the connection caps, answers 101, and hands the connection to a
 * WebSocketConnection (which refuses a frame over MAX_MESSAGE_BYTES from its
 * header, closing with 1009, instead of buffering it). Pings every socket so
 * a vanished browser is noticed, and closes them all on shutdown.
 */
import { CloseCode, ErrorCode } from "../../protocol/messages.ts";
import { ClientSession, type SessionDeps } from "../session/client-session.ts";
import { headerHasToken, headerValue, type RequestHead } from "./http-request-head.ts";
import { textResponse } from "./http-response.ts";
import { LogThrottle } from "../observe/log-throttle.ts";
import type { TcpConnection } from "./tcp-connection.ts";
import { WebSocketConnection } from "./websocket-connection.ts";

/** Sec-WebSocket-Key: 16 random bytes in base64. */
const KEY_PATTERN = /^[+/0-9A-Za-z]{21}[AQgw]==$/;
/** RFC 6455 §1.3: what the key is joined with before hashing. */
const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const encoder = new TextEncoder();

/** The client's address: the first X-Forwarded-For entry behind a trusted proxy. */
export function clientAddress(head: RequestHead, peer: string, trustProxy: boolean): string {
  const forwarded = trustProxy ? headerValue(head, "x-forwarded-for") : undefined;
  return forwarded?.split(",")[0].trim() || peer;
}

/** Why an upgrade request is not a WebSocket handshake we can take, or null. */
export function malformedUpgrade(head: RequestHead): string | null {
  if (head.method !== "GET") return "the method must be GET";
  if (head.version !== "1.1") return "a handshake is HTTP/1.1";
  if (headerValue(head, "upgrade")?.toLowerCase() !== "websocket") {
    return "Upgrade must be websocket";
  }
  if (!headerHasToken(head, "connection", "upgrade")) return "Connection must include Upgrade";
  if (!KEY_PATTERN.test(headerValue(head, "sec-websocket-key") ?? "")) {
    return "Sec-WebSocket-Key is missing or malformed";
  }
  if (headerValue(head, "sec-websocket-version") !== "13") {
    return "Sec-WebSocket-Version must be 13";
  }
  return null;
}

/** Sec-WebSocket-Accept for a key. */
async function acceptFor(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(key + HANDSHAKE_GUID));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

interface Open {
  session: ClientSession;
  ws: WebSocketConnection;
  /** Answered the last ping (or sent something) since then. */
  alive: boolean;
  /** Settles once the connection is gone and its session told. */
  closed: Promise<void>;
}

export class WebSocketGateway {
  readonly #deps: SessionDeps;
  readonly #open = new Map<WebSocketConnection, Open>();
  readonly #perAddress = new Map<string, number>();
  /** Sockets upgraded and not yet closed (refused ones included until they close). */
  #accepted = 0;
  readonly #logged = new LogThrottle();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #allowed: Set<string> | null;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.#allowed = deps.config.allowedOrigins ? new Set(deps.config.allowedOrigins) : null;
    // Half the idle timeout: a socket silent through two rounds is gone.
    this.#heartbeat = setInterval(
      () => this.#ping(),
      (deps.config.idleTimeoutSeconds * 1000) / 2,
    );
  }

  /** Open WebSocket sessions. */
  get sessions(): number {
    return this.#open.size;
  }

  /**
   * An HTTP request for /ws asking to become a WebSocket: takes the
   * connection (null), or returns the refusal to send instead.
   */
  async upgrade(
    head: RequestHead,
    conn: TcpConnection,
    rest: Uint8Array,
  ): Promise<Response | null> {
    const { config, metrics, logger } = this.#deps;
    const address = clientAddress(head, conn.remoteAddress, config.trustProxy);
    const malformed = malformedUpgrade(head);
    if (malformed) {
      return textResponse(400, this.badUpgrade(address, malformed), {
        ...(malformed.startsWith("Sec-WebSocket-Version") ? { "sec-websocket-version": "13" } : {}),
      });
    }
    const origin = headerValue(head, "origin");
    if (this.#allowed && (!origin || !this.#allowed.has(origin))) {
      metrics.countError(ErrorCode.ForbiddenOrigin);
      if (this.#logged.allow(`origin ${origin}`)) logger.warn("origin refused", { origin });
      return textResponse(403, `Cannot connect: origin ${origin ?? "(none)"} is not allowed\n`);
    }
    const fromAddress = this.#perAddress.get(address) ?? 0;
    const refusal = this.#accepted >= config.maxConnections
      ? "server full: too many connections, try again later"
      : fromAddress >= config.maxConnectionsPerIp
      ? "too many connections from your address"
      : null;
    // Counted from the upgrade, so a burst of handshakes cannot slip past the caps.
    this.#accepted++;
    this.#perAddress.set(address, fromAddress + 1);
    const ws = new WebSocketConnection(conn, rest, {
      maxMessageBytes: config.maxMessageBytes,
      onError: (err) => logger.error("websocket failed", { error: String(err) }),
    });
    const accept = await acceptFor(headerValue(head, "sec-websocket-key")!);
    const ok = await conn.write(encoder.encode(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    ));
    if (!ok) {
      this.#released(address);
      return null;
    }
    if (refusal) {
      // Accepted only to close it with a reason the browser can read.
      ws.handlers = { message() {}, pong() {}, close: () => this.#released(address) };
      ws.start();
      ws.close(CloseCode.TryAgainLater, refusal);
      if (this.#logged.allow(`refused ${address}`)) {
        logger.warn("connection refused", { reason: refusal });
      }
      return null;
    }
    this.#session(ws, address);
    return null;
  }

  /**
   * A request that claims to be an upgrade but is not a handshake: counted,
   * logged once per source per minute; returns the 400's body.
   */
  badUpgrade(address: string, why: string): string {
    this.#deps.metrics.badUpgrades++;
    if (this.#logged.allow(`bad upgrade ${address}`)) {
      this.#deps.logger.warn("malformed upgrade refused", { address, why });
    }
    return `Cannot upgrade: ${why}\n`;
  }

  /** Closes every socket with `code`; waits (bounded) for the closing handshakes, then cuts. */
  async closeAll(code: number, reason: string, waitMs = 2000): Promise<void> {
    clearInterval(this.#heartbeat);
    const open = [...this.#open.values()];
    for (const { ws } of open) ws.close(code, reason);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closing = Promise.all(open.map(({ closed }) => closed));
    await Promise.race([closing, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    for (const { ws } of open) ws.terminate(); // a dead peer cannot hold the shutdown
    await closing;
  }

  #session(ws: WebSocketConnection, address: string): void {
    const { metrics, logger } = this.#deps;
    const session = new ClientSession(ws, this.#deps);
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    const entry: Open = { session, ws, alive: true, closed };
    this.#open.set(ws, entry);
    metrics.connectionsTotal++;
    ws.handlers = {
      pong: () => (entry.alive = true),
      message: (data) => {
        entry.alive = true;
        try {
          session.onMessage(data);
        } catch (err) {
          // A bug must cost one message, never the process.
          logger.error("message handler failed", { error: String(err) });
        }
      },
      close: (code) => {
        this.#open.delete(ws);
        this.#released(address);
        if (code === 1009) metrics.countError(ErrorCode.TooLarge);
        try {
          session.onClose(code);
        } catch (err) {
          logger.error("close handler failed", { error: String(err) });
        }
        resolveClosed();
      },
    };
    ws.start();
  }

  #released(address: string): void {
    this.#accepted--;
    const left = (this.#perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.#perAddress.set(address, left);
    else this.#perAddress.delete(address);
  }

  /** Browsers answer pings even in background tabs: one that does not is gone. */
  #ping(): void {
    for (const entry of this.#open.values()) {
      if (!entry.alive) {
        entry.ws.terminate(); // its seat waits out the resume grace, as for any drop
        continue;
      }
      entry.alive = false;
      entry.ws.ping();
    }
  }
}
