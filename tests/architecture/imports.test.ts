/**
 * Who may import whom (docs/architecture.md), checked on every source file:
 * a rule written down and not checked is a rule that drifts.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(`${root}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sources(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

/** Every relative module a file imports (static, dynamic and type-only), as repo paths. */
async function importsOf(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(`${root}${file}`);
  const dir = file.slice(0, file.lastIndexOf("/"));
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    found.push(new URL(m[1], `file:///${dir}/`).pathname.slice(1));
  }
  return found;
}

async function violations(folder: string, forbidden: (target: string) => boolean) {
  const out: string[] = [];
  for await (const file of sources(folder)) {
    for (const target of await importsOf(file)) {
      if (forbidden(target)) out.push(`${file} → ${target}`);
    }
  }
  return out;
}

Deno.test("protocol/ imports nothing outside itself", async () => {
  assert.deepEqual(await violations("protocol", (t) => !t.startsWith("protocol/")), []);
});

Deno.test("server/ never imports components/", async () => {
  assert.deepEqual(await violations("server", (t) => t.startsWith("components/")), []);
});

Deno.test("the room rules know no sockets, Redis or Janus", async () => {
  const io = ["server/net/", "server/session/", "server/cluster/", "server/sfu/"];
  assert.deepEqual(await violations("server/rooms", (t) => io.some((p) => t.startsWith(p))), []);
});

Deno.test("the client core never imports an element, Lit or the shared view internals", async () => {
  const views = (t: string) =>
    t.startsWith("components/") && !t.startsWith("components/core/") && !t.startsWith("protocol/");
  assert.deepEqual(await violations("components/core", views), []);
  for await (const file of sources("components/core")) {
    const text = await Deno.readTextFile(`${root}${file}`);
    assert.ok(!/from ["']lit/.test(text), `${file} imports Lit`);
  }
});

Deno.test("views never open a WebSocket or a peer connection themselves", async () => {
  for (const folder of ["components/video-room", "components/internal", "components/peer-tile"]) {
    for await (const file of sources(folder)) {
      const text = await Deno.readTextFile(`${root}${file}`);
      assert.ok(!/new (WebSocket|RTCPeerConnection)\b/.test(text), `${file} opens a connection`);
    }
  }
});
