/**
 * From an HTTP upgrade request to a ClientSession: checks the request, the
 * origin and the connection caps, then hands the socket to the `ws` package,
 * which refuses a frame over MAX_MESSAGE_BYTES from its header (closing with
 * 1009) instead of buffering it. Pings every socket so a vanished browser is
 * noticed, and closes them all on shutdown.
 */
import type { IncomingMessage } from "node:http";
import { Buffer } from "node:buffer";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { CloseCode, ErrorCode } from "../protocol/messages.ts";
import { ClientSession, type SessionDeps } from "./client-session.ts";
import { LogThrottle } from "./log-throttle.ts";

/** Sec-WebSocket-Key: 16 random bytes in base64. */
const KEY_PATTERN = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/** The client's address: the first X-Forwarded-For entry behind a trusted proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0].trim();
  return first || req.socket.remoteAddress || "";
}

/** Why an upgrade request is not a WebSocket handshake we can take, or null. */
export function malformedUpgrade(req: IncomingMessage): string | null {
  if (req.method !== "GET") return "the method must be GET";
  if (req.headers.upgrade?.toLowerCase() !== "websocket") return "Upgrade must be websocket";
  if (!/\bupgrade\b/i.test(String(req.headers.connection ?? ""))) {
    return "Connection must include Upgrade";
  }
  if (!KEY_PATTERN.test(String(req.headers["sec-websocket-key"] ?? ""))) {
    return "Sec-WebSocket-Key is missing or malformed";
  }
  if (req.headers["sec-websocket-version"] !== "13") return "Sec-WebSocket-Version must be 13";
  return null;
}

/** Answers on a raw socket that will never become a WebSocket, then lets it go. */
export function rawResponse(socket: Duplex, status: number, reason: string, body: string) {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${
        new TextEncoder().encode(body).length
      }\r\nConnection: close\r\n\r\n${body}`,
  );
  // A client that does not read its answer must not keep the descriptor.
  const timer = setTimeout(() => socket.destroy(), 1000);
  socket.once("close", () => clearTimeout(timer));
}

interface Open {
  session: ClientSession;
  ws: WebSocket;
  /** Answered the last ping (or sent something) since then. */
  alive: boolean;
}

export class WebSocketGateway {
  readonly #deps: SessionDeps;
  readonly #wss: WebSocketServer;
  readonly #open = new Map<WebSocket, Open>();
  readonly #perAddress = new Map<string, number>();
  /** Sockets upgraded and not yet closed (refused ones included until they close). */
  #accepted = 0;
  readonly #logged = new LogThrottle();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #allowed: Set<string> | null;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.#allowed = deps.config.allowedOrigins ? new Set(deps.config.allowedOrigins) : null;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.config.maxMessageBytes,
      // Compression would let a small frame inflate into a large one: off.
      perMessageDeflate: false,
      clientTracking: false,
    });
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

  /** An HTTP request asking to become a WebSocket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Uint8Array): void {
    const { config, metrics, logger } = this.#deps;
    socket.on("error", () => {}); // resets are ordinary; the close that follows is handled
    const address = clientAddress(req, config.trustProxy);
    if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") {
      return rawResponse(socket, 404, "Not Found", "Not found\n");
    }
    const malformed = malformedUpgrade(req);
    if (malformed) {
      return rawResponse(socket, 400, "Bad Request", this.badUpgrade(address, malformed));
    }
    const origin = req.headers.origin;
    if (this.#allowed && (!origin || !this.#allowed.has(origin))) {
      metrics.countError(ErrorCode.ForbiddenOrigin);
      if (this.#logged.allow(`origin ${origin}`)) logger.warn("origin refused", { origin });
      return rawResponse(
        socket,
        403,
        "Forbidden",
        `Cannot connect: origin ${origin ?? "(none)"} is not allowed\n`,
      );
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
    this.#wss.handleUpgrade(req, socket, Buffer.from(head), (ws) => {
      ws.once("close", () => this.#released(address));
      if (refusal) {
        // Accepted only to close it with a reason the browser can read.
        ws.on("error", () => {});
        ws.close(CloseCode.TryAgainLater, refusal);
        if (this.#logged.allow(`refused ${address}`)) {
          logger.warn("connection refused", { reason: refusal });
        }
        return;
      }
      this.#session(ws);
    });
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
    const open = [...this.#open.keys()];
    const closing = open.map((ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once("close", () => resolve());
        ws.close(code, reason);
      })
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(closing),
      new Promise((r) => (timer = setTimeout(r, waitMs))),
    ]);
    clearTimeout(timer);
    for (const ws of open) ws.terminate(); // a dead peer cannot hold the shutdown
    await Promise.all(closing);
  }

  #session(ws: WebSocket): void {
    const { metrics, logger } = this.#deps;
    const session = new ClientSession(ws, this.#deps);
    const entry: Open = { session, ws, alive: true };
    this.#open.set(ws, entry);
    metrics.connectionsTotal++;
    ws.on("pong", () => (entry.alive = true));
    ws.on("message", (data: RawData, isBinary: boolean) => {
      entry.alive = true;
      try {
        session.onMessage(isBinary ? bytes(data) : String(data));
      } catch (err) {
        // A bug must cost one message, never the process.
        logger.error("message handler failed", { error: String(err) });
      }
    });
    ws.on("error", (err: Error & { code?: string }) => {
      // ws closes the socket itself (1009 for an oversized frame, 1002/1007 for bad framing).
      if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") metrics.countError(ErrorCode.TooLarge);
    });
    ws.once("close", (code: number) => {
      this.#open.delete(ws);
      session.onClose(code);
    });
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

function bytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
