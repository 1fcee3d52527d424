/**
 * The listening socket and its accept loop, kept in our hands: Deno.serve
 * exits the process when an accept fails for want of file descriptors, and
 * Deno's node:net listener stops accepting for good. Here a failed accept is
 * a signal (the guard learns the process's real capacity), the loop waits a
 * moment and carries on, and every accepted connection passes the guard
 * before anything is read from it.
 */
import { TcpConnection } from "./tcp-connection.ts";
import type { ConnectionGuard } from "./connection-guard.ts";
import type { Logger } from "../observe/logger.ts";

/** How long to wait after a failed accept before trying again. */
const ACCEPT_BACKOFF_MS = 50;

function outOfDescriptors(err: unknown): boolean {
  // EMFILE (the process) or ENFILE (the whole system).
  return /os error 2[34]\b|Too many open files/.test(String(err));
}

export class TcpListener {
  readonly port: number;
  readonly #listener: Deno.TcpListener;
  #closed = false;
  readonly done: Promise<void>;

  constructor(
    options: { hostname: string; port: number },
    readonly guard: ConnectionGuard,
    readonly logger: Logger,
    readonly onConnection: (conn: TcpConnection) => void,
  ) {
    this.#listener = Deno.listen({ hostname: options.hostname, port: options.port });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    this.done = this.#acceptLoop();
  }

  /** Stops accepting; open connections are left alone. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#listener.close();
    }
    return this.done;
  }

  async #acceptLoop(): Promise<void> {
    while (!this.#closed) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (err) {
        if (this.#closed) return;
        if (outOfDescriptors(err)) this.guard.descriptorsExhausted();
        else this.logger.warn("accept failed", { error: String(err) });
        await new Promise((r) => setTimeout(r, ACCEPT_BACKOFF_MS));
        continue;
      }
      if (!this.guard.admit(conn)) continue;
      const connection = new TcpConnection(conn);
      this.guard.track(connection);
      try {
        this.onConnection(connection);
      } catch (err) {
        this.logger.error("connection handler failed", { error: String(err) });
        connection.destroy();
      }
    }
  }
}
