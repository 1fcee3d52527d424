/**
 * Check 8: the "CMS article" page, served from another origin than the
 * signaling server, joins a room with a person on the demo page. The page is
 * demo/embed.html with the snippet's URLs made absolute, as an author pasting
 * it into their own site would have it.
 */
import assert from "node:assert/strict";
import {
  freePort,
  launchBrowser,
  mediaFlowing,
  openPeer,
  type Peer,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";

const demo = new URL("../../demo/", import.meta.url).pathname;

Deno.test("the embed page on another origin joins a room with a demo-page peer", async () => {
  const signalingPort = freePort();
  const signaling = `http://127.0.0.1:${signalingPort}`;
  const room = `garden-${crypto.randomUUID().slice(0, 8)}`;
  const html = (await Deno.readTextFile(`${demo}embed.html`))
    .replace('src="/dist/video-room.js"', `src="${signaling}/dist/video-room.js"`)
    .replace(
      '<video-room room="garden-club">',
      `<video-room room="${room}" server="ws://127.0.0.1:${signalingPort}/ws">`,
    );
  assert.ok(html.includes(`server="ws://127.0.0.1:${signalingPort}/ws"`), "snippet rewritten");
  const css = await Deno.readTextFile(`${demo}embed.css`);
  const blog = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/article.html") {
      return new Response(html, { headers: { "content-type": "text/html" } });
    }
    if (path === "/embed.css") {
      return new Response(css, { headers: { "content-type": "text/css" } });
    }
    return new Response("not found", { status: 404 });
  });
  const blogOrigin = `http://127.0.0.1:${blog.addr.port}`;
  const server = await startServerProcess({
    PORT: String(signalingPort),
    ALLOWED_ORIGINS: `${signaling},${blogOrigin}`,
  });
  const browser = await launchBrowser();
  const peers: Peer[] = [];
  try {
    const eve = await openPeer(browser, `${blogOrigin}/article.html`, "Eve (blog)");
    peers.push(eve);
    // A reader of the article: types a name on the pre-join screen and presses Join.
    const input = await eve.page.waitForSelector("video-room >>> input[name=name]");
    await input!.type("Eve");
    await eve.page.click("video-room >>> button[type=submit]");
    const dan = await openPeer(browser, `${signaling}/?room=${room}&name=Dan`, "Dan (demo)");
    peers.push(dan);
    await mediaFlowing(eve.page, 1, "Eve on the blog");
    await mediaFlowing(dan.page, 1, "Dan on the demo");
    await until(
      async () => (await tiles(eve.page)).find((t) => t.name === "Dan" && t.playing),
      "Dan at Eve",
    );
    await until(
      async () => (await tiles(dan.page)).find((t) => t.name === "Eve" && t.playing),
      "Eve at Dan",
    );
    // The article is still an article around it.
    assert.equal(
      await eve.page.$eval("h1", (h) => h.textContent),
      "Join our weekly community call",
    );
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
    await blog.shutdown();
  }
});
