/**
 * RFC 6455 framing, the parts a server needs: reading the header of a
 * client's (masked) frame before its payload has arrived, unmasking it, and
 * writing our own (unmasked) frames. Pure functions over byte arrays.
 */

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** Close codes this layer sends itself. */
export const WsClose = {
  Normal: 1000,
  ProtocolError: 1002,
  NoStatus: 1005,
  Abnormal: 1006,
  InvalidData: 1007,
  TooLarge: 1009,
} as const;

export interface FrameHeader {
  fin: boolean;
  opcode: number;
  /** Payload bytes announced. */
  length: number;
  /** Bytes of header, mask key included. */
  headerLength: number;
  /** The masking key's offset in the buffer. */
  maskAt: number;
}

/** A frame that breaks the protocol, with the close code it earns. */
export interface FrameViolation {
  close: number;
  reason: string;
}

const isControl = (opcode: number) => (opcode & 0x8) !== 0;
const KNOWN_OPCODES = new Set<number>(Object.values(Opcode));

/**
 * The header of the frame at `off`, once `end - off` bytes hold all of it:
 * null while it is incomplete, a violation when it breaks the rules (unmasked,
 * reserved bits, unknown opcode, a fragmented or long control frame, a length
 * over `maxPayload`). Nothing of the payload needs to have arrived.
 */
export function readFrameHeader(
  buf: Uint8Array,
  off: number,
  end: number,
  maxPayload: number,
): FrameHeader | FrameViolation | null {
  if (end - off < 2) return null;
  const b0 = buf[off];
  const b1 = buf[off + 1];
  const opcode = b0 & 0x0f;
  const fin = (b0 & 0x80) !== 0;
  if (b0 & 0x70) return { close: WsClose.ProtocolError, reason: "reserved bits set" };
  if (!KNOWN_OPCODES.has(opcode)) return { close: WsClose.ProtocolError, reason: "unknown opcode" };
  if (!(b1 & 0x80)) return { close: WsClose.ProtocolError, reason: "client frames must be masked" };
  let length = b1 & 0x7f;
  let at = off + 2;
  if (length === 126) {
    if (end - at < 2) return null;
    length = (buf[at] << 8) | buf[at + 1];
    at += 2;
  } else if (length === 127) {
    if (end - at < 8) return null;
    const high = ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
    const low = ((buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) >>>
      0;
    if (high & 0x80000000) return { close: WsClose.ProtocolError, reason: "length out of range" };
    // Anything past 2^53 is past every limit; the exact number does not matter.
    length = high > 0x1fffff ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + low;
    at += 8;
  }
  if (isControl(opcode) && (!fin || length > 125)) {
    return { close: WsClose.ProtocolError, reason: "control frames are short and whole" };
  }
  if (length > maxPayload) return { close: WsClose.TooLarge, reason: "message too large" };
  if (end - at < 4) return null;
  return { fin, opcode, length, headerLength: at + 4 - off, maskAt: at };
}

/** XORs `length` bytes at `at` with the 4-byte key at `maskAt`, in place (a word at a time). */
export function unmask(buf: Uint8Array, maskAt: number, at: number, length: number): void {
  const k0 = buf[maskAt], k1 = buf[maskAt + 1], k2 = buf[maskAt + 2], k3 = buf[maskAt + 3];
  const key = [k0, k1, k2, k3];
  let i = 0;
  // Byte by byte up to a 4-byte boundary, then whole words: about 4x fewer steps for SDP.
  while (i < length && ((buf.byteOffset + at + i) & 3) !== 0) buf[at + i] ^= key[i++ & 3];
  const words = (length - i) >>> 2;
  if (words > 0) {
    const r = i & 3;
    // Words are little-endian on every platform Deno runs on.
    const word = (key[r] | (key[(r + 1) & 3] << 8) | (key[(r + 2) & 3] << 16) |
      (key[(r + 3) & 3] << 24)) >>> 0;
    const view = new Uint32Array(buf.buffer, buf.byteOffset + at + i, words);
    for (let w = 0; w < words; w++) view[w] ^= word;
    i += words << 2;
  }
  while (i < length) buf[at + i] ^= key[i++ & 3];
}

/** Bytes of an unmasked frame header for a payload of `length`. */
export function headerLengthFor(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** Writes an unmasked, final frame header at `off`; returns its length. */
export function writeFrameHeader(
  out: Uint8Array,
  off: number,
  opcode: number,
  length: number,
): number {
  out[off] = 0x80 | opcode;
  if (length < 126) {
    out[off + 1] = length;
    return 2;
  }
  if (length < 65536) {
    out[off + 1] = 126;
    out[off + 2] = length >>> 8;
    out[off + 3] = length & 0xff;
    return 4;
  }
  out[off + 1] = 127;
  const high = Math.floor(length / 2 ** 32);
  const low = length >>> 0;
  out[off + 2] = 0;
  out[off + 3] = 0;
  out[off + 4] = (high >>> 8) & 0xff;
  out[off + 5] = high & 0xff;
  out[off + 6] = low >>> 24;
  out[off + 7] = (low >>> 16) & 0xff;
  out[off + 8] = (low >>> 8) & 0xff;
  out[off + 9] = low & 0xff;
  return 10;
}

/** Close codes a peer may send (RFC 6455 §7.4, with IANA's 1012-1014, and 3000-4999). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999);
}
