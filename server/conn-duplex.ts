/**
 * A Deno TCP connection as a Node.js Duplex stream, so that node:http and the
 * `ws` package can speak over a connection this server accepted itself (see
 * tcp-listener.ts for why). Reads fill 64 KiB buffers; writes go out whole,
 * batched when several are queued.
 */
import { Buffer } from "node:buffer";
import { Duplex } from "node:stream";

/**
 * Every idle connection holds one pending read and its buffer, so reads start
 * small (thousands of idle peers cost little) and grow while a connection
 * fills them (a burst of SDP and candidates reads in few calls).
 */
const MIN_READ = 4 * 1024;
const MAX_READ = 64 * 1024;

export class ConnDuplex extends Duplex {
  /** The client's address (node:http and ws read it as `socket.remoteAddress`). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  #readSize = MIN_READ;

  constructor(readonly conn: Deno.TcpConn) {
    super({ allowHalfOpen: false });
    const addr = conn.remoteAddr as Deno.NetAddr;
    this.remoteAddress = addr.hostname;
    this.remotePort = addr.port;
  }

  override _read(): void {
    const buf = Buffer.allocUnsafe(this.#readSize);
    this.conn.read(buf).then(
      (n) => {
        if (n !== null) {
          this.#readSize = n === buf.length ? Math.min(MAX_READ, n * 2) : MIN_READ;
        }
        this.push(n === null ? null : buf.subarray(0, n));
      },
      (err) => this.destroy(err),
    );
  }

  override _write(chunk: Uint8Array, _encoding: string, done: (err?: Error | null) => void): void {
    this.#writeAll(chunk).then(() => done(), done);
  }

  override _writev(
    chunks: { chunk: Uint8Array }[],
    done: (err?: Error | null) => void,
  ): void {
    this.#writeAll(Buffer.concat(chunks.map((c) => c.chunk))).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.conn.closeWrite().then(() => done(), () => done());
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
    done(err);
  }

  // What node:http and ws call on a net.Socket.
  setNoDelay(noDelay = true): this {
    try {
      this.conn.setNoDelay(noDelay);
    } catch { /* closed */ }
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** Timeouts are the connection guard's job; node:http's own are not used. */
  setTimeout(): this {
    return this;
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    for (let off = 0; off < bytes.length;) off += await this.conn.write(bytes.subarray(off));
  }
}
