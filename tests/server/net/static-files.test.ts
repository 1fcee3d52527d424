import assert from "node:assert/strict";
import { resolveStaticPath } from "../../../server/net/static-files.ts";
import { startTestServer } from "../test-server.ts";

const mounts = [
  { prefix: "/dist/", dir: "/srv/dist", cors: true },
  { prefix: "/", dir: "/srv/demo" },
];

Deno.test("resolveStaticPath: maps inside the folders, refuses escapes", () => {
  assert.equal(resolveStaticPath("/", mounts)?.path, "/srv/demo/index.html");
  assert.equal(resolveStaticPath("/embed.html", mounts)?.path, "/srv/demo/embed.html");
  assert.equal(resolveStaticPath("/dist/video-room.js", mounts)?.path, "/srv/dist/video-room.js");
  for (
    const bad of [
      "/../etc/passwd",
      "/%2e%2e/etc/passwd",
      "/%2E%2E/%2E%2E/etc/passwd",
      "/dist/..%2f..%2fetc/passwd",
      "/dist/%2fetc%2fpasswd",
      "//etc/passwd",
      "/a/./b",
      "/a%00.html",
      "/%e0%a4%a.html",
      "/dist/..\\..\\x",
    ]
  ) {
    assert.equal(resolveStaticPath(bad, mounts), null, bad);
  }
});

async function get(origin: string, path: string) {
  // fetch() would normalise the path; send it raw like a hostile client would.
  const { port } = new URL(origin);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
  );
  let text = "";
  const buf = new Uint8Array(65536);
  while (true) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  conn.close();
  return { status: Number(text.split(" ")[1]), text };
}

Deno.test("static files over HTTP: content types, 404s, no escape", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/demo`);
  await Deno.mkdir(`${dir}/dist`);
  await Deno.writeTextFile(`${dir}/demo/index.html`, "<!doctype html><title>demo</title>");
  await Deno.writeTextFile(`${dir}/dist/app.js`, "export {}");
  await Deno.writeTextFile(`${dir}/secret.txt`, "TOP SECRET");
  await Deno.symlink(`${dir}/secret.txt`, `${dir}/demo/link.txt`);
  const server = startTestServer({}, [
    { prefix: "/dist/", dir: `${dir}/dist`, cors: true },
    { prefix: "/", dir: `${dir}/demo` },
  ]);
  try {
    let r = await fetch(`${server.origin}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await r.text(), /demo/);
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    r = await fetch(`${server.origin}/dist/app.js`);
    assert.equal(r.headers.get("content-type"), "text/javascript; charset=utf-8");
    // Importable as a module from another site's page (CORS mode).
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    await r.body?.cancel();
    r = await fetch(`${server.origin}/missing.html`);
    assert.equal(r.status, 404);
    await r.body?.cancel();
    for (
      const path of [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/dist/../../secret.txt",
        "/dist/%2e%2e/%2e%2e/secret.txt",
        "/dist/..%2f..%2fsecret.txt",
        `/${dir}/secret.txt`,
        "/link.txt",
      ]
    ) {
      const res = await get(server.origin, path);
      assert.equal(res.status, 404, path);
      assert.ok(!res.text.includes("TOP SECRET"), path);
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
