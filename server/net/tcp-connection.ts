/**
 * One accepted TCP connection, as every layer above uses it: the HTTP reader,
 * then (after an upgrade) the WebSocket. Reads and writes never throw: a
 * connection that fails is simply over (`read` answers null, `write` false),
 * and `closed` settles once, whoever ended it.
 */

/** How long an ending connection waits for the client's own end before cutting it. */
const LINGER_MS = 2000;
/** What an ending connection reads and discards at most while it waits. */
const LINGER_BYTES = 256 * 1024;

export class TcpConnection {
  readonly remoteAddress: string;
  /** Settles when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  readonly #conn: Deno.TcpConn;
  #open = true;
  #resolveClosed!: () => void;

  constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    this.remoteAddress = (conn.remoteAddr as Deno.NetAddr).hostname;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    try {
      // Signaling is small messages that someone waits for: never hold one back.
      conn.setNoDelay(true);
    } catch { /* already gone */ }
  }

  get open(): boolean {
    return this.#open;
  }

  /** Reads into `buf`: the byte count, or null once the connection is over. */
  async read(buf: Uint8Array): Promise<number | null> {
    if (!this.#open) return null;
    try {
      const n = await this.#conn.read(buf);
      if (n === null) this.destroy();
      return n;
    } catch {
      this.destroy(); // a reset, or destroyed meanwhile
      return null;
    }
  }

  /** Writes every byte; false when the connection is over. */
  async write(bytes: Uint8Array): Promise<boolean> {
    try {
      for (let off = 0; off < bytes.length;) {
        if (!this.#open) return false;
        off += await this.#conn.write(bytes.subarray(off));
      }
      return true;
    } catch {
      this.destroy();
      return false;
    }
  }

  /**
   * Ends the connection after an answer: our side first, then whatever the
   * client still sends is read and dropped until it ends too (bounded), so a
   * client that sent more than we read gets our answer rather than a reset.
   */
  async end(): Promise<void> {
    if (!this.#open) return;
    try {
      await this.#conn.closeWrite();
    } catch {
      return this.destroy();
    }
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    const sink = new Uint8Array(16 * 1024);
    let drained = 0;
    while (drained < LINGER_BYTES) {
      const n = await this.read(sink);
      if (n === null) break;
      drained += n;
    }
    clearTimeout(timer);
    this.destroy();
  }

  /** Closes now, without waiting for anything; pending reads and writes end. */
  destroy(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    this.#resolveClosed();
  }
}
