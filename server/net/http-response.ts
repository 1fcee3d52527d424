/**
 * Writes a Fetch Response as HTTP/1.1 on a TcpConnection: the head, then the
 * body streamed with the connection's pace (a file is read as it is sent,
 * never whole). Small generated answers without a length are sent whole, with
 * one.
 */
import type { TcpConnection } from "./tcp-connection.ts";

const REASONS: Readonly<Record<number, string>> = {
  101: "Switching Protocols",
  200: "OK",
  204: "No Content",
  304: "Not Modified",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  414: "URI Too Long",
  426: "Upgrade Required",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

const encoder = new TextEncoder();

export interface WriteOptions {
  /** A HEAD request: the head only. */
  headOnly: boolean;
  /** The connection ends after this response. */
  close: boolean;
}

/** Sends `response`; false when the client went away meanwhile. */
export async function writeResponse(
  conn: TcpConnection,
  response: Response,
  { headOnly, close }: WriteOptions,
): Promise<boolean> {
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? "Unknown"}`];
  response.headers.forEach((value, name) => {
    if (name !== "connection") lines.push(`${name}: ${value}`);
  });
  const noBody = response.status === 204 || response.status === 304;
  let body: Uint8Array | null = null;
  if (!noBody && !response.headers.has("content-length")) {
    // Small generated answers (health, metrics, errors): whole, with their length.
    body = response.body ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array(0);
    lines.push(`content-length: ${body.length}`);
  }
  if (close) lines.push("connection: close");
  const head = encoder.encode(lines.join("\r\n") + "\r\n\r\n");
  if (headOnly || noBody || body) {
    await response.body?.cancel().catch(() => {});
    if (headOnly || noBody || body!.length === 0) return await conn.write(head);
    return await conn.write(concat(head, body!));
  }
  if (!(await conn.write(head))) {
    await response.body?.cancel().catch(() => {});
    return false;
  }
  if (!response.body) return true;
  const reader = response.body.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return true;
      if (!(await conn.write(value))) return false;
    }
  } finally {
    await reader.cancel().catch(() => {}); // a client gone mid-file releases the file too
  }
}

/** A short plain-text answer, e.g. "Cannot read request: …". */
export function textResponse(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(text, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
