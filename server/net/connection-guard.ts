/**
 * TCP connections before they are anything else: admitted or turned away the
 * moment they are accepted (not once they become WebSockets), given a few
 * seconds to send a complete request, and refused while the process is near
 * its file descriptor limit or one address holds too many. A connection that
 * never speaks, or trickles its headers (slowloris), costs a descriptor for
 * `requestTimeoutMs` at most.
 */
import type { TcpConnection } from "./tcp-connection.ts";
import type { Logger } from "../observe/logger.ts";
import type { Metrics } from "../observe/metrics.ts";

export interface ConnectionGuardOptions {
  /** Open connections at most, until the descriptor limit teaches a lower number. */
  ceiling: number;
  /** Connections at most from one address; null when every client arrives through a proxy. */
  perAddress: number | null;
  /** A connection must complete a request (its headers) within this, and may idle this long between requests. */
  requestTimeoutMs: number;
  logger: Logger;
  metrics: Metrics;
}

/** Refusals are logged at most this often, with how many there were. */
const LOG_EVERY_MS = 10_000;

interface Tracked {
  address: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class ConnectionGuard {
  readonly #options: ConnectionGuardOptions;
  readonly #sockets = new Map<TcpConnection, Tracked>();
  readonly #perAddress = new Map<string, number>();
  #ceiling: number;
  #refusedSinceLog = 0;
  #lastLog = -Infinity;

  constructor(options: ConnectionGuardOptions) {
    this.#options = options;
    this.#ceiling = options.ceiling;
  }

  /** Open TCP connections, of every kind. */
  get open(): number {
    return this.#sockets.size;
  }

  /** Open connections allowed now. */
  get ceiling(): number {
    return this.#ceiling;
  }

  /** Whether a just-accepted connection may stay; if not, it is closed before anything is read. */
  admit(conn: Deno.TcpConn): boolean {
    const address = (conn.remoteAddr as Deno.NetAddr).hostname;
    const { perAddress, metrics } = this.#options;
    const reason = this.#sockets.size >= this.#ceiling
      ? "descriptors"
      : perAddress !== null && (this.#perAddress.get(address) ?? 0) >= perAddress
      ? "per-address"
      : null;
    if (!reason) return true;
    try {
      conn.close();
    } catch { /* already gone */ }
    metrics.countRefused(reason);
    this.#refused(reason, address);
    return false;
  }

  /** Follows an admitted connection until it closes; arms its request deadline. */
  track(socket: TcpConnection): void {
    const address = socket.remoteAddress;
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    const tracked: Tracked = { address, timer: undefined };
    this.#sockets.set(socket, tracked);
    void socket.closed.then(() => this.#closed(socket));
    this.#arm(socket, tracked);
  }

  /** A request's headers arrived: it is no longer idle. */
  requestStarted(socket: TcpConnection): void {
    const tracked = this.#sockets.get(socket);
    if (tracked) clearTimeout(tracked.timer);
  }

  /** A response went out on a kept-alive connection: it may idle for the timeout again. */
  requestDone(socket: TcpConnection): void {
    const tracked = this.#sockets.get(socket);
    if (tracked && socket.open) this.#arm(socket, tracked);
  }

  /**
   * Accepting failed for want of descriptors: what is open now is what the
   * process can hold. From now on the ceiling sits a reserve below it, so
   * the files, Redis and the next accepts always have descriptors left.
   */
  descriptorsExhausted(): void {
    const open = this.#sockets.size;
    const ceiling = Math.max(16, open - Math.max(16, Math.ceil(open * 0.1)));
    this.#options.metrics.countRefused("descriptors");
    if (ceiling < this.#ceiling) {
      this.#ceiling = ceiling;
      this.#options.logger.warn("file descriptor limit reached; refusing connections beyond", {
        open,
        ceiling,
      });
    } else this.#refused("descriptors", "");
  }

  /** Destroys every tracked connection (shutdown). */
  destroyAll(): void {
    for (const socket of [...this.#sockets.keys()]) socket.destroy();
  }

  #arm(socket: TcpConnection, tracked: Tracked): void {
    clearTimeout(tracked.timer);
    tracked.timer = setTimeout(() => {
      this.#options.metrics.countTimedOut();
      socket.destroy();
    }, this.#options.requestTimeoutMs);
  }

  #closed(socket: TcpConnection): void {
    const tracked = this.#sockets.get(socket);
    if (!tracked) return;
    clearTimeout(tracked.timer);
    this.#sockets.delete(socket);
    const left = (this.#perAddress.get(tracked.address) ?? 1) - 1;
    if (left > 0) this.#perAddress.set(tracked.address, left);
    else this.#perAddress.delete(tracked.address);
  }

  #refused(reason: string, address: string): void {
    this.#refusedSinceLog++;
    const now = Date.now();
    if (now - this.#lastLog < LOG_EVERY_MS) return;
    this.#lastLog = now;
    this.#options.logger.warn("connections refused", {
      reason,
      ...(address ? { address } : {}),
      refused: this.#refusedSinceLog,
      open: this.#sockets.size,
      ceiling: this.#ceiling,
    });
    this.#refusedSinceLog = 0;
  }
}
