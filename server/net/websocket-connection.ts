/**
 * A server-side WebSocket over a TcpConnection (RFC 6455, no extensions).
 *
 * Why not the `ws` package or Deno's own WebSocket: `ws` runs over Deno's
 * Node stream emulation, which made every relayed message cost about 1.6x a
 * bare Deno relay; Deno's WebSocket buffers a frame of up to 64 MiB before
 * anyone can refuse it. This one reads a frame's header before its payload and
 * closes with 1009 the moment a frame announces more than `maxMessageBytes`,
 * so what a connection can make the server hold is its read buffer (at most
 * the limit plus a header) and what it has not read of ours (cut at
 * MAX_BUFFERED_BYTES by the session). Everything sent within one turn of the
 * event loop goes out in one write.
 */
import type { TcpConnection } from "./tcp-connection.ts";
import {
  type FrameHeader,
  isValidCloseCode,
  Opcode,
  readFrameHeader,
  unmask,
  writeFrameHeader,
  WsClose,
} from "./websocket-frames.ts";

/** What the connection tells its owner. */
export interface WebSocketHandlers {
  /** A whole message: text, or bytes for a binary one. */
  message(data: string | Uint8Array): void;
  pong(): void;
  /** Once, when the TCP connection is gone: the peer's close code, or why it ended. */
  close(code: number): void;
}

export interface WebSocketOptions {
  /** Largest message (a frame, or the fragments of one together). */
  maxMessageBytes: number;
  /** How long a closing handshake may take before the connection is cut. */
  closeTimeoutMs?: number;
  /** Told of an unexpected error (a bug) before the connection is cut. */
  onError?: (err: unknown) => void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * Reads start small (an idle connection holds one pending read and its
 * buffer) and double, up to READ_BURST, while they come back full: a busy
 * connection then takes several frames per read instead of one read each.
 */
const READ_MIN = 4 * 1024;
const READ_BURST = 64 * 1024;
/** A write batch larger than this is not kept for the next one (an idle peer holds little). */
const WRITE_KEEP = 16 * 1024;

const textDecoder = new TextDecoder("utf-8", { fatal: true });
const textEncoder = new TextEncoder();

const noHandlers: WebSocketHandlers = { message() {}, pong() {}, close() {} };

export class WebSocketConnection {
  readyState: number = CONNECTING;
  handlers: WebSocketHandlers = noHandlers;
  readonly #conn: TcpConnection;
  readonly #max: number;
  readonly #closeTimeoutMs: number;
  readonly #onError: (err: unknown) => void;
  #buf: Uint8Array;
  #len: number;
  /** Free space to read into next, following the traffic. */
  #readSize = READ_MIN;
  /** Fragments of a message not yet complete, and their total size. */
  #fragments: Uint8Array[] | null = null;
  #fragmentOpcode = 0;
  #fragmentBytes = 0;
  /** Frames waiting for the next write, and the batch being written now. */
  #out: Uint8Array = new Uint8Array(0);
  #used = 0;
  #spare: Uint8Array | null = null;
  #inFlight = 0;
  #flushing = false;
  /** Our close frame is queued; the peer's has arrived (or it broke the rules). */
  #closeSent = false;
  #peerDone = false;
  #closeCode: number = WsClose.Abnormal;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #finished = false;

  constructor(conn: TcpConnection, leftover: Uint8Array, options: WebSocketOptions) {
    this.#conn = conn;
    this.#max = options.maxMessageBytes;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.#onError = options.onError ?? (() => {});
    this.#buf = new Uint8Array(Math.max(READ_MIN, leftover.length));
    this.#buf.set(leftover);
    this.#len = leftover.length;
    void conn.closed.then(() => this.#finish());
  }

  /** Starts reading; set `handlers` first (bytes that came with the handshake are read now). */
  start(): void {
    if (this.readyState !== CONNECTING) return;
    this.readyState = OPEN;
    void this.#readLoop();
  }

  /** Bytes queued and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.#used + this.#inFlight;
  }

  send(text: string): void {
    if (this.readyState !== OPEN) return;
    // Encoded after a 4-byte header's room; small and huge payloads move once it is known.
    const start = this.#reserve(text.length * 3 + 10);
    const { written } = textEncoder.encodeInto(text, this.#out.subarray(start + 4));
    this.#used = start + this.#frameAround(start, 4, Opcode.Text, written);
    this.#schedule();
  }

  ping(): void {
    if (this.readyState === OPEN) this.#control(Opcode.Ping, new Uint8Array(0));
  }

  /** Starts the closing handshake; the connection is cut if the peer does not answer in time. */
  close(code: number = WsClose.Normal, reason = ""): void {
    if (this.readyState === OPEN) this.#sendClose(code, reason);
  }

  /** Cuts the TCP connection now, without a closing handshake. */
  terminate(): void {
    this.#conn.destroy();
  }

  // ---- reading ----

  async #readLoop(): Promise<void> {
    try {
      while (this.readyState === OPEN || this.readyState === CLOSING) {
        const need = this.#parse();
        if (need === -1) return; // stopped reading: a protocol error, or the peer's close
        this.#fit(need);
        const free = this.#buf.length - this.#len;
        const n = await this.#conn.read(this.#buf.subarray(this.#len));
        if (n === null) return;
        this.#len += n;
        if (n === free) this.#readSize = Math.min(READ_BURST, this.#readSize * 2);
        else if (n < this.#readSize / 4) this.#readSize = Math.max(READ_MIN, this.#readSize / 2);
      }
    } catch (err) {
      // A bug here must cost this connection, never the process.
      this.#onError(err);
      this.terminate();
    }
  }

  /**
   * Handles every complete frame in the buffer and keeps the incomplete rest.
   * Returns the size the buffer needs for the next frame, or -1 to stop.
   */
  #parse(): number {
    const buf = this.#buf;
    let off = 0;
    let need = 0;
    while (this.#len - off >= 2) {
      const header = readFrameHeader(buf, off, this.#len, this.#max - this.#fragmentBytes);
      if (header === null) {
        need = this.#len - off + 8;
        break;
      }
      if ("close" in header) {
        this.#fail(header.close, header.reason);
        return -1;
      }
      const total = header.headerLength + header.length;
      if (this.#len - off < total) {
        need = total;
        break;
      }
      const payloadAt = off + header.headerLength;
      unmask(buf, header.maskAt, payloadAt, header.length);
      off += total;
      if (!this.#frame(header, buf.subarray(payloadAt, payloadAt + header.length))) return -1;
    }
    if (off > 0) {
      buf.copyWithin(0, off, this.#len);
      this.#len -= off;
    }
    return need;
  }

  /**
   * Sizes the buffer for the next read: room for the whole of the next frame
   * (`need`, at most the largest frame allowed) and for a read of the current
   * size. So it never exceeds MAX_MESSAGE_BYTES + READ_BURST, and shrinks
   * back once it is empty and quiet.
   */
  #fit(need: number): void {
    const size = Math.max(need, this.#len + this.#readSize);
    if (size <= this.#buf.length) {
      if (this.#len === 0 && this.#buf.length > 2 * size) this.#buf = new Uint8Array(size);
      return;
    }
    const bigger = new Uint8Array(size);
    bigger.set(this.#buf.subarray(0, this.#len));
    this.#buf = bigger;
  }

  /** One whole frame. Returns false when reading must stop. */
  #frame(header: FrameHeader, payload: Uint8Array): boolean {
    const { opcode, fin } = header;
    switch (opcode) {
      case Opcode.Ping:
        // A peer that floods pings without reading our pongs gets no more of them.
        if (this.readyState === OPEN && this.bufferedAmount < this.#max) {
          this.#control(Opcode.Pong, payload);
        }
        return true;
      case Opcode.Pong:
        this.handlers.pong();
        return true;
      case Opcode.Close:
        return this.#peerClosed(payload);
      case Opcode.Continuation:
        if (!this.#fragments) return this.#fail(WsClose.ProtocolError, "nothing to continue");
        this.#fragments.push(payload.slice());
        this.#fragmentBytes += payload.length;
        if (!fin) return true;
        return this.#deliver(this.#fragmentOpcode, concat(this.#fragments, this.#fragmentBytes));
      default: // text or binary
        if (this.#fragments) return this.#fail(WsClose.ProtocolError, "a message is unfinished");
        if (fin) return this.#deliver(opcode, payload);
        this.#fragments = [payload.slice()];
        this.#fragmentOpcode = opcode;
        this.#fragmentBytes = payload.length;
        return true;
    }
  }

  #deliver(opcode: number, payload: Uint8Array): boolean {
    this.#fragments = null;
    this.#fragmentBytes = 0;
    // After our close frame, data is read and dropped (RFC 6455 §5.5.1).
    if (this.readyState !== OPEN) return true;
    if (opcode === Opcode.Binary) {
      this.handlers.message(payload.slice());
      return true;
    }
    let text: string;
    try {
      text = textDecoder.decode(payload);
    } catch {
      return this.#fail(WsClose.InvalidData, "text is not UTF-8");
    }
    this.handlers.message(text);
    return true;
  }

  /** The peer's close frame: answer it (unless we began) and end. */
  #peerClosed(payload: Uint8Array): boolean {
    let code: number = WsClose.NoStatus;
    if (payload.length === 1) return this.#fail(WsClose.ProtocolError, "close frame of one byte");
    if (payload.length >= 2) {
      code = (payload[0] << 8) | payload[1];
      if (!isValidCloseCode(code)) return this.#fail(WsClose.ProtocolError, "invalid close code");
      try {
        textDecoder.decode(payload.subarray(2));
      } catch {
        return this.#fail(WsClose.InvalidData, "close reason is not UTF-8");
      }
    }
    this.#closeCode = code;
    this.#peerDone = true;
    if (this.readyState === OPEN) {
      this.#sendClose(code === WsClose.NoStatus ? WsClose.Normal : code, "");
    }
    this.#endIfDone();
    return false;
  }

  /** The peer broke the protocol: tell it why, then cut (nothing more is read). */
  #fail(code: number, reason: string): false {
    if (this.readyState === OPEN) this.#sendClose(code, reason);
    this.#closeCode = code;
    this.#peerDone = true;
    this.#endIfDone();
    return false;
  }

  /**
   * Both closes are settled and ours is written: the server ends the TCP
   * connection, reading what the peer still sends until it ends too, so our
   * close frame is not lost to a reset (as it would be when unread bytes of a
   * refused frame sit in the receive buffer).
   */
  #endIfDone(): void {
    if (!this.#closeSent || !this.#peerDone || this.#flushing) return;
    void this.#conn.end();
    this.#finish(); // the WebSocket is over now, whenever TCP finishes
  }

  // ---- writing ----

  /** Queues a close frame; the connection is cut once the peer's close is in and ours is out. */
  #sendClose(code: number, reason: string): void {
    const text = textEncoder.encode(reason);
    // A close frame holds 125 bytes: the code and at most 123 of reason, cut between characters.
    let cut = Math.min(text.length, 123);
    while (cut > 0 && cut < text.length && (text[cut] & 0xc0) === 0x80) cut--;
    const payload = new Uint8Array(2 + cut);
    payload[0] = code >>> 8;
    payload[1] = code & 0xff;
    payload.set(text.subarray(0, cut), 2);
    this.#control(Opcode.Close, payload);
    this.readyState = CLOSING;
    this.#closeSent = true;
    // A peer that never answers, or never reads our close, is cut.
    this.#closeTimer = setTimeout(() => this.terminate(), this.#closeTimeoutMs);
  }

  #control(opcode: number, payload: Uint8Array): void {
    const start = this.#reserve(payload.length + 2);
    this.#out.set(payload, start + 2);
    this.#used = start + this.#frameAround(start, 2, opcode, payload.length);
    this.#schedule();
  }

  /**
   * Puts a frame header before a payload written at `start + gap` and moves
   * the payload if its header is not `gap` bytes long. Returns the frame's size.
   */
  #frameAround(start: number, gap: number, opcode: number, length: number): number {
    const out = this.#out;
    const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
    if (headerLength !== gap) {
      out.copyWithin(start + headerLength, start + gap, start + gap + length);
    }
    writeFrameHeader(out, start, opcode, length);
    return headerLength + length;
  }

  /** Room for `bytes` more at the end of the batch; returns where they start. */
  #reserve(bytes: number): number {
    const need = this.#used + bytes;
    if (need > this.#out.length) {
      const spare = this.#spare;
      const size = Math.max(need, this.#out.length * 2, 4096);
      const bigger = spare && spare.length >= size ? spare : new Uint8Array(size);
      if (bigger === spare) this.#spare = null;
      bigger.set(this.#out.subarray(0, this.#used));
      this.#out = bigger;
    }
    return this.#used;
  }

  #schedule(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    // Everything sent in this turn (a chat to a whole room, a burst of candidates) is one write.
    queueMicrotask(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    while (this.#used > 0) {
      const batch = this.#out;
      const length = this.#used;
      // Frames queued during the write go to the spare buffer.
      this.#out = this.#spare && this.#spare.length <= WRITE_KEEP ? this.#spare : new Uint8Array(0);
      this.#spare = null;
      this.#used = 0;
      this.#inFlight = length;
      const ok = await this.#conn.write(batch.subarray(0, length));
      this.#inFlight = 0;
      if (!ok) break;
      if (batch.length <= WRITE_KEEP) this.#spare = batch;
    }
    this.#flushing = false;
    this.#endIfDone();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.readyState = CLOSED;
    clearTimeout(this.#closeTimer);
    this.#fragments = null;
    this.#out = this.#buf = new Uint8Array(0);
    this.#spare = null;
    this.#used = this.#len = 0;
    this.handlers.close(this.#closeCode);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const part of parts) {
    out.set(part, off);
    off += part.length;
  }
  return out;
}
