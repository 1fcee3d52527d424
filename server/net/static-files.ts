/** Serves files from fixed folders; nothing outside them is ever reachable. */

export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  // The effects' wasm (noise suppression, segmentation) and model.
  ".wasm": "application/wasm",
  ".tflite": "application/octet-stream",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
} as const;

export interface StaticMount {
  /** URL prefix ending in "/", e.g. "/dist/". */
  prefix: string;
  /** Absolute folder path. */
  dir: string;
  /**
   * Readable from any origin: module scripts load in CORS mode, so a page on
   * another site (a CMS article) can only import the bundle with this.
   */
  cors?: boolean;
}

function notFound(headers: Readonly<Record<string, string>> = {}): Response {
  return new Response("Not found\n", {
    status: 404,
    headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
  });
}

/**
 * Maps a URL path to a file below one of the mounts, or null. Each segment is
 * percent-decoded once and refused if it is empty, `.`, `..`, or hides a
 * separator or NUL — so `..`, `%2e%2e`, `%2f` and absolute paths never escape.
 */
export function resolveStaticPath(
  pathname: string,
  mounts: StaticMount[],
): { mount: StaticMount; path: string } | null {
  const mount = mounts.find((m) => pathname.startsWith(m.prefix));
  if (!mount) return null;
  let rest = pathname.slice(mount.prefix.length);
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  const segments: string[] = [];
  for (const raw of rest.split("/")) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === "" || seg === "." || seg === ".." || /[\\/\0]/.test(seg)) return null;
    segments.push(seg);
  }
  return { mount, path: `${mount.dir.replace(/\/$/, "")}/${segments.join("/")}` };
}

export async function serveStatic(
  req: Request,
  pathname: string,
  mounts: StaticMount[],
  headers: Readonly<Record<string, string>> = {},
): Promise<Response> {
  const resolved = resolveStaticPath(pathname, mounts);
  if (!resolved) return notFound(headers);
  const { mount, path } = resolved;
  const ext = path.slice(path.lastIndexOf(".")) as keyof typeof CONTENT_TYPES;
  const type = CONTENT_TYPES[ext];
  if (!type) return notFound(headers);
  let file: Deno.FsFile;
  try {
    // Symlinks could point outside the folder: compare the real path too.
    const real = await Deno.realPath(path);
    const root = await Deno.realPath(mount.dir);
    if (!real.startsWith(root + "/")) return notFound(headers);
    file = await Deno.open(real, { read: true });
  } catch {
    return notFound(headers);
  }
  const stat = await file.stat();
  if (!stat.isFile) {
    file.close();
    return notFound(headers);
  }
  const responseHeaders = new Headers(headers);
  responseHeaders.set("content-type", type);
  responseHeaders.set("content-length", String(stat.size));
  responseHeaders.set("cache-control", "no-cache");
  if (mount.cors) {
    responseHeaders.set("access-control-allow-origin", "*");
    responseHeaders.set("cross-origin-resource-policy", "cross-origin");
  }
  if (req.method === "HEAD") {
    file.close();
    return new Response(null, { headers: responseHeaders });
  }
  return new Response(file.readable, { headers: responseHeaders });
}
