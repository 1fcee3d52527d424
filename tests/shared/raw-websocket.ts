/**
 * A WebSocket client made of bytes, for tests that must send what no
 * well-behaved client would: fragments, bad masks, reserved bits, odd close
 * frames, frames split anywhere across TCP writes.
 */
const encoder = new TextEncoder();

export interface RawFrame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
}

/** A client frame (masked, unless `mask` is false) with any header bits the test wants. */
export function clientFrame(
  opcode: number,
  payload: Uint8Array | string = new Uint8Array(0),
  options: { fin?: boolean; mask?: boolean; rsv?: number; length?: number } = {},
): Uint8Array {
  const data = typeof payload === "string" ? encoder.encode(payload) : payload;
  const { fin = true, mask = true, rsv = 0 } = options;
  const length = options.length ?? data.length;
  const header: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (length < 126) header.push(m | length);
  else if (length < 65536) header.push(m | 126, length >> 8, length & 0xff);
  else {
    header.push(m | 127);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigUint64(0, BigInt(length));
    header.push(...big);
  }
  const key = mask ? [0x12, 0x34, 0x56, 0x78] : [];
  const body = data.map((b, i) => (mask ? b ^ key[i & 3] : b));
  return new Uint8Array([...header, ...key, ...body]);
}

/** A WebSocket handshake and then raw frames over one TCP connection. */
export class RawWebSocket {
  #buf = new Uint8Array(0);

  private constructor(readonly conn: Deno.TcpConn) {}

  static async open(port: number, path = "/ws"): Promise<RawWebSocket> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const ws = new RawWebSocket(conn);
    await conn.write(encoder.encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ));
    const head = await ws.#readUntil((b) => {
      const text = new TextDecoder().decode(b);
      const end = text.indexOf("\r\n\r\n");
      return end < 0 ? -1 : end + 4;
    });
    if (!head || !/^HTTP\/1.1 101 /.test(new TextDecoder().decode(head))) {
      conn.close();
      throw new Error(`no upgrade: ${head && new TextDecoder().decode(head)}`);
    }
    return ws;
  }

  write(bytes: Uint8Array): Promise<number> {
    return this.conn.write(bytes).catch(() => 0);
  }

  /** The next frame from the server, or null when the connection ended first. */
  async frame(timeoutMs = 3000): Promise<RawFrame | null> {
    const bytes = await this.#readUntil((b) => {
      if (b.length < 2) return -1;
      let len = b[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return -1;
        len = (b[2] << 8) | b[3];
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return -1;
        len = Number(new DataView(b.buffer, b.byteOffset + 2, 8).getBigUint64(0));
        at = 10;
      }
      return b.length >= at + len ? at + len : -1;
    }, timeoutMs);
    if (!bytes) return null;
    const at = (bytes[1] & 0x7f) === 126 ? 4 : (bytes[1] & 0x7f) === 127 ? 10 : 2;
    return { fin: (bytes[0] & 0x80) !== 0, opcode: bytes[0] & 0x0f, payload: bytes.slice(at) };
  }

  /** The next frame's text (a text frame expected). */
  async text(timeoutMs = 3000): Promise<string> {
    const f = await this.frame(timeoutMs);
    if (!f || f.opcode !== 1) throw new Error(`expected a text frame, got ${JSON.stringify(f)}`);
    return new TextDecoder().decode(f.payload);
  }

  /** The close frame's code, after any other frames; null if the connection ended without one. */
  async closeCode(timeoutMs = 3000): Promise<number | null> {
    for (;;) {
      const f = await this.frame(timeoutMs);
      if (!f) return null;
      if (f.opcode === 8) return f.payload.length >= 2 ? (f.payload[0] << 8) | f.payload[1] : 1005;
    }
  }

  /** True once the server has ended the TCP connection (within `ms`). */
  async ended(ms = 3000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const f = await this.frame(deadline - Date.now());
      if (f === null) return !this.#timedOut;
    }
    return false;
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }

  #eof = false;
  #timedOut = false;

  /** Reads until `complete` says how many bytes make the thing wanted; returns them. */
  async #readUntil(
    complete: (b: Uint8Array) => number,
    timeoutMs = 3000,
  ): Promise<Uint8Array | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = complete(this.#buf);
      if (n >= 0) {
        const out = this.#buf.slice(0, n);
        this.#buf = this.#buf.slice(n);
        return out;
      }
      if (this.#eof) return null;
      const chunk = new Uint8Array(65536);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const read = this.conn.read(chunk).catch(() => null);
      const got = await Promise.race([
        read,
        new Promise<"timeout">((
          r,
        ) => (timer = setTimeout(() => r("timeout"), deadline - Date.now()))),
      ]);
      clearTimeout(timer);
      if (got === "timeout") {
        this.close(); // the pending read ends with the close
        await read;
        this.#eof = this.#timedOut = true;
        return null;
      }
      if (got === null) {
        this.#eof = true;
        continue;
      }
      const joined = new Uint8Array(this.#buf.length + got);
      joined.set(this.#buf);
      joined.set(chunk.subarray(0, got), this.#buf.length);
      this.#buf = joined;
    }
  }
}
