/**
 * The server listens with node:http (Deno's implementation), whose sockets it
 * can count, time out and cut; its routes are plain Fetch handlers. These two
 * functions translate between them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as a Fetch Request: method, URL and headers (no body: only GET and HEAD are served). */
export function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  return new Request(url, { method: req.method, headers });
}

/** Writes a Fetch Response, streaming its body with backpressure. */
export async function sendFetchResponse(
  res: ServerResponse,
  response: Response,
  method: string | undefined,
): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body || method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  if (!response.headers.has("content-length")) {
    // Small generated answers (health, metrics): whole, with a length, never chunked.
    const body = new Uint8Array(await response.arrayBuffer());
    res.setHeader("content-length", body.length);
    res.end(body);
    return;
  }
  const reader = response.body.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          res.once("drain", resolve);
          res.once("close", resolve);
        });
      }
    }
    res.end();
  } finally {
    await reader.cancel().catch(() => {}); // a client gone mid-file releases the file too
  }
}
