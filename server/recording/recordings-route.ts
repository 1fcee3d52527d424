/**
 * GET /recordings/<id>/<file>: a server recording's file, only through a
 * signed link that has not expired (403 otherwise; nothing is ever listed).
 * Served as a download, with byte ranges so a browser can also play it.
 */
import type { RecordingLinks } from "./recording-links.ts";

/** The most one range answer carries: a player asks again for the rest. */
const MAX_RANGE_BYTES = 8 * 1024 * 1024;
const PATH = /^\/recordings\/(\d{14}-[0-9a-f]{12})\/((?:people\/)?[\w.-]+\.webm)$/;

export function recordingsRoute(
  dir: string,
  links: RecordingLinks,
  headers: Record<string, string>,
): (req: Request, url: URL) => Promise<Response> {
  const answer = (body: string, status: number) =>
    new Response(body, { status, headers: { ...headers, "content-type": "text/plain" } });
  return async (req, url) => {
    const found = PATH.exec(url.pathname);
    const signed = found &&
      await links.verify(
        url.pathname,
        url.searchParams.get("expires"),
        url.searchParams.get("sig"),
      );
    if (!found || !signed) {
      return answer("Forbidden: a recording needs its signed link, and links expire\n", 403);
    }
    const path = `${dir}/${found[1]}/${found[2]}`;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch {
      return answer("Not found: this recording was deleted\n", 404);
    }
    const size = (await file.stat()).size;
    const name = found[2].split("/").pop()!;
    const base = {
      ...headers,
      "content-type": "video/webm",
      "content-disposition": `attachment; filename="${name}"`,
      "accept-ranges": "bytes",
      "cache-control": "private, no-store",
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("range") ?? "");
    if (!range) {
      if (req.method === "HEAD") {
        file.close();
        return new Response(null, { headers: { ...base, "content-length": String(size) } });
      }
      return new Response(file.readable, { headers: { ...base, "content-length": String(size) } });
    }
    const start = Number(range[1]);
    const end = Math.min(
      range[2] ? Number(range[2]) : size - 1,
      size - 1,
      start + MAX_RANGE_BYTES - 1,
    );
    if (start >= size || end < start) {
      file.close();
      return new Response(null, {
        status: 416,
        headers: { ...base, "content-range": `bytes */${size}` },
      });
    }
    const body = new Uint8Array(end - start + 1);
    try {
      await file.seek(start, Deno.SeekMode.Start);
      let read = 0;
      while (read < body.length) {
        const n = await file.read(body.subarray(read));
        if (n === null) break;
        read += n;
      }
    } finally {
      file.close();
    }
    return new Response(req.method === "HEAD" ? null : body, {
      status: 206,
      headers: {
        ...base,
        "content-length": String(body.length),
        "content-range": `bytes ${start}-${end}/${size}`,
      },
    });
  };
}
