/** Room access tokens through the real UI: with a token you get in, without one you are told why. */
import assert from "node:assert/strict";
import { importTokenSecret, mintRoomToken } from "../../server/session/room-token.ts";
import type { Page } from "puppeteer-core";
import {
  freePort,
  launchBrowser,
  mediaFlowing,
  openPeer,
  type Peer,
  roomState,
  type ServerProcess,
  shownError,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";
import { press, typeInto } from "./by-hand.ts";

const root = new URL("../..", import.meta.url).pathname;

const SECRET = "e2e-room-token-secret-0123456789abcdef";

Deno.test("a token from the host site lets people in; no token, no entry", async () => {
  const server = await startServerProcess({ ROOM_TOKEN_SECRET: SECRET });
  const browser = await launchBrowser();
  const room = `private-${crypto.randomUUID().slice(0, 8)}`;
  const key = await importTokenSecret(SECRET);
  const exp = Math.floor(Date.now() / 1000) + 600;
  const peers: Peer[] = [];
  try {
    for (const name of ["Ana", "Bo"]) {
      const token = await mintRoomToken({ room, name, exp }, key);
      peers.push(
        await openPeer(browser, `${server.origin}/?room=${room}&name=guest&token=${token}`, name),
      );
    }
    await mediaFlowing(peers[0].page, 1, "Ana with a token");
    // The token's name wins over the one in the URL.
    await until(
      async () => (await tiles(peers[0].page)).find((t) => t.name === "Bo"),
      "Bo by his token name",
    );

    const mallory = await openPeer(
      browser,
      `${server.origin}/?room=${room}&name=Mallory`,
      "Mallory",
    );
    peers.push(mallory);
    await until(async () => (await roomState(mallory.page)) === "failed", "Mallory refused");
    assert.equal(await shownError(mallory.page), "Cannot join: this room needs a token");
    assert.equal((await tiles(peers[0].page)).length, 2, "nobody saw Mallory");
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});

Deno.test("token-url: each join asks the site; a rejoin after the token ran out gets a fresh one", async () => {
  const port = freePort();
  let server: ServerProcess = await startServerProcess({
    PORT: String(port),
    ROOM_TOKEN_SECRET: SECRET,
  });
  const key = await importTokenSecret(SECRET);
  const room = `site-${crypto.randomUUID().slice(0, 8)}`;
  const asked: Array<{ room: string; name: string }> = [];
  /** Tokens for three seconds: any rejoin after a restart needs a new one. */
  const TTL = 3;
  // The site: its page with token-url, the bundle, and the token endpoint.
  const site = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const { pathname } = new URL(req.url);
    if (pathname === "/token" && req.method === "POST") {
      const body = await req.json();
      asked.push(body);
      const exp = Math.floor(Date.now() / 1000) + TTL;
      return Response.json({ token: await mintRoomToken({ room: body.room, exp }, key) });
    }
    if (pathname.startsWith("/dist/") && !pathname.includes("..")) {
      const file = await Deno.readFile(`${root}${pathname}`).catch(() => null);
      return file
        ? new Response(file, { headers: { "content-type": "text/javascript" } })
        : new Response("not found", { status: 404 });
    }
    return new Response(
      `<!doctype html><html lang="en"><title>Site</title>
      <video-room room="${room}" server="ws://127.0.0.1:${port}/ws" token-url="/token"></video-room>
      <script type="module" src="/dist/video-room.js"></script>`,
      { headers: { "content-type": "text/html" } },
    );
  });
  const browser = await launchBrowser();
  const pages: Page[] = [];
  try {
    for (const name of ["Ana", "Bo"]) {
      const { page } = await openPeer(browser, `http://127.0.0.1:${site.addr.port}/`, name);
      await typeInto(page, "Your name", name);
      await press(page, "Join");
      pages.push(page);
    }
    for (const page of pages) await mediaFlowing(page, 1, "a call on site tokens");
    assert.deepEqual(asked.map((a) => a.name).sort(), ["Ana", "Bo"]);
    assert.ok(asked.every((a) => a.room === room));

    // Down for longer than a token lives, and back without the seats it held.
    await server.stop();
    await new Promise((r) => setTimeout(r, (TTL + 1) * 1000));
    server = await startServerProcess({ PORT: String(port), ROOM_TOKEN_SECRET: SECRET });
    for (const page of pages) {
      await until(async () => (await roomState(page)) === "joined", "rejoined", 30000);
    }
    assert.ok(asked.length >= 4, `fresh tokens asked for the rejoin (${asked.length} asks)`);
    await until(
      async () => (await tiles(pages[0])).some((t) => t.name === "Bo" && t.playing),
      "Bo again at Ana",
      20000,
    );
  } finally {
    await browser.close();
    await site.shutdown();
    await server.stop();
  }
});
