/**
 * Reads the head of an HTTP/1.x request (request line and header fields,
 * RFC 9112), strictly: whatever it does not understand exactly is refused with
 * the status that says why, never guessed at. The server serves GET and HEAD
 * of small things and WebSocket upgrades, so it never needs a request body,
 * obsolete line folding, or anything but HTTP/1.0 and 1.1. Pure: bytes in, a
 * head or a refusal out.
 */

/** The most a head may take, request line included. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** The most a request line may take (its target, mostly). */
export const MAX_REQUEST_LINE_BYTES = 8 * 1024;
export const MAX_HEADER_FIELDS = 100;

export interface RequestHead {
  method: string;
  /** The request target exactly as sent. */
  target: string;
  version: "1.0" | "1.1";
  /** Field values by lower-case name, in the order they came. */
  headers: Map<string, string[]>;
  /** Whether the connection may carry another request after this one. */
  keepAlive: boolean;
  /** Whether a body follows (a Content-Length over 0, or a Transfer-Encoding). */
  hasBody: boolean;
}

export interface HeadRefusal {
  status: 400 | 414 | 431 | 505;
  /** Completes "Cannot read request: …". */
  reason: string;
}

export type HeadResult = { ok: true; head: RequestHead } | { ok: false; refusal: HeadRefusal };

const refuse = (status: HeadRefusal["status"], reason: string): HeadResult => ({
  ok: false,
  refusal: { status, reason },
});

/** tchar (RFC 9110 §5.6.2): what methods and field names are made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII: what a request target may hold (no spaces, controls or raw bytes over 0x7e). */
const TARGET = /^[\x21-\x7e]+$/;
/** A field value: visible characters, spaces and tabs, and obs-text; no other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;
/** A Host: an IP literal, a name or address, and an optional port. */
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]*)(:\d*)?$/;

/**
 * Where the head ends in `buf[0..length)`: the index just past its blank
 * line, -1 if it has not arrived yet. A bare-LF blank line ends it too (so
 * such a client is refused at once rather than left waiting). `from`: where
 * to start looking (what an earlier call already searched, less 2), so a head
 * trickled a byte at a time costs linear time, not quadratic.
 */
export function findHeadEnd(buf: Uint8Array, length: number, from = 0): number {
  for (let i = Math.max(0, from); i + 1 < length; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return i + 2;
    if (buf[i + 1] === 0x0d && i + 2 < length && buf[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** Bytes as a string of the same char codes (a head is bytes, not UTF-8). */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/** Parses a complete head (up to and including its blank line). */
export function parseRequestHead(bytes: Uint8Array): HeadResult {
  if (bytes.length > MAX_HEAD_BYTES) return refuse(431, "the request head is too large");
  let text = latin1(bytes);
  // A recipient should ignore empty lines before the request line (RFC 9112 §2.2).
  text = text.replace(/^(\r\n)+/, "");
  if (!text.endsWith("\r\n\r\n")) return refuse(400, "lines must end with CRLF");
  const lines = text.slice(0, -4).split("\r\n");
  if (lines.some((line) => /[\r\n\0]/.test(line))) {
    return refuse(400, "stray CR, LF or NUL in the head");
  }
  const requestLine = lines[0];
  if (requestLine.length > MAX_REQUEST_LINE_BYTES) {
    return refuse(414, "the request target is too long");
  }
  const parts = requestLine.split(" ");
  if (parts.length !== 3) {
    return refuse(400, "the request line must be METHOD TARGET HTTP/1.1, one space apart");
  }
  const [method, target, versionText] = parts;
  if (!TOKEN.test(method)) return refuse(400, "the method is not a token");
  if (!TARGET.test(target)) return refuse(400, "the target holds characters it may not");
  const version = VERSION.exec(versionText);
  if (!version) return refuse(400, "the version is not HTTP/x.y");
  if (version[1] !== "1") return refuse(505, `HTTP/${version[1]}.${version[2]} is not served`);
  // HTTP/1.2 and later minors are HTTP/1.1 to us (RFC 9110 §2.5).
  const minor: RequestHead["version"] = version[2] === "0" ? "1.0" : "1.1";

  const fields = lines.slice(1);
  if (fields.length > MAX_HEADER_FIELDS) return refuse(431, "too many header fields");
  const headers = new Map<string, string[]>();
  for (const field of fields) {
    if (field[0] === " " || field[0] === "\t") {
      return refuse(400, "obsolete line folding is not accepted");
    }
    const colon = field.indexOf(":");
    if (colon <= 0) return refuse(400, "a header field without a name");
    const name = field.slice(0, colon);
    if (!TOKEN.test(name)) return refuse(400, "a header field name is not a token");
    const value = field.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) return refuse(400, `the ${name} field holds control characters`);
    const key = name.toLowerCase();
    const values = headers.get(key);
    if (values) values.push(value);
    else headers.set(key, [value]);
  }

  const host = headers.get("host");
  if (minor === "1.1" && host?.length !== 1) {
    return refuse(400, "an HTTP/1.1 request needs exactly one Host");
  }
  if (host && (host.length > 1 || !HOST.test(host[0]))) return refuse(400, "Host is malformed");

  const lengths = headers.get("content-length");
  const transfer = headers.get("transfer-encoding");
  let contentLength = 0;
  if (lengths) {
    // "5, 5" and two fields saying 5 are one length; anything else is ambiguous.
    const all = lengths.flatMap((v) => v.split(",").map((x) => x.trim()));
    if (!all.every((v) => /^\d{1,15}$/.test(v)) || new Set(all.map(Number)).size !== 1) {
      return refuse(400, "Content-Length is malformed or conflicting");
    }
    contentLength = Number(all[0]);
  }
  if (transfer) {
    if (minor === "1.0") return refuse(400, "Transfer-Encoding is not HTTP/1.0");
    if (lengths) return refuse(400, "both Content-Length and Transfer-Encoding");
  }

  const connection = (headers.get("connection") ?? []).flatMap((v) =>
    v.split(",").map((t) => t.trim().toLowerCase())
  );
  const keepAlive = connection.includes("close")
    ? false
    : minor === "1.1" || connection.includes("keep-alive");

  return {
    ok: true,
    head: {
      method,
      target,
      version: minor,
      headers,
      keepAlive,
      hasBody: contentLength > 0 || transfer !== undefined,
    },
  };
}

/** One field's value; a field sent several times reads as their comma-joined list. */
export function headerValue(head: RequestHead, name: string): string | undefined {
  return head.headers.get(name)?.join(", ");
}

/** Whether a comma-separated field (Connection, Upgrade) holds `token`, in any case. */
export function headerHasToken(head: RequestHead, name: string, token: string): boolean {
  return (head.headers.get(name) ?? []).some((v) =>
    v.split(",").some((t) => t.trim().toLowerCase() === token)
  );
}
