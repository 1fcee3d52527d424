/**
 * Check 8: the "CMS article" page, served from another origin than the
 * signaling server, joins a room with a person on the demo page. The page is
 * demo/embed.html with the snippet's URLs made absolute, as an author pasting
 * it into their own site would have it. And its pre-join screen fits: the name
 * field and Join are in view without scrolling, at the article's real size
 * and in small embeds.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import {
  freePort,
  launchBrowser,
  mediaFlowing,
  openPeer,
  type Peer,
  shownError,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";
import { press, typeInto } from "./by-hand.ts";

const demo = new URL("../../demo/", import.meta.url).pathname;

/** The signaling server, and the blog serving the article on another origin. */
async function blogAndServer({ withServer = true } = {}) {
  const signalingPort = freePort();
  const signaling = `http://127.0.0.1:${signalingPort}`;
  const room = `garden-${crypto.randomUUID().slice(0, 8)}`;
  const html = (await Deno.readTextFile(`${demo}embed.html`))
    .replace('src="/dist/video-room.js"', `src="${signaling}/dist/video-room.js"`)
    .replace(
      '<video-room room="garden-club">',
      withServer
        ? `<video-room room="${room}" server="ws://127.0.0.1:${signalingPort}/ws">`
        : `<video-room room="${room}">`,
    );
  assert.ok(html.includes(`room="${room}"`), "snippet rewritten");
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
  return {
    room,
    signaling,
    article: `${blogOrigin}/article.html`,
    browser,
    async close() {
      await browser.close();
      await server.stop();
      await blog.shutdown();
    },
  };
}

Deno.test("a copy of the script from elsewhere (a CDN) without a server attribute says so", async () => {
  const site = await blogAndServer({ withServer: false });
  try {
    const eve = await openPeer(site.browser, site.article, "Eve (blog)");
    await until(
      async () => (await shownError(eve.page)).includes("Cannot join: set the server attribute"),
      "the page shows why it cannot join",
    );
    await eve.page.close();
  } finally {
    await site.close();
  }
});

Deno.test("the embed page on another origin joins a room with a demo-page peer", async () => {
  const site = await blogAndServer();
  const peers: Peer[] = [];
  try {
    const eve = await openPeer(site.browser, site.article, "Eve (blog)");
    peers.push(eve);
    // A reader of the article: types a name on the pre-join screen and presses Join.
    await typeInto(eve.page, "Your name", "Eve");
    await press(eve.page, "Join");
    const dan = await openPeer(
      site.browser,
      `${site.signaling}/?room=${site.room}&name=Dan`,
      "Dan (demo)",
    );
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
    await site.close();
  }
});

/** Where the name field and Join are, against what of the element can be seen. */
function prejoinBoxes(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector("video-room");
    const root = el?.shadowRoot;
    const preview = root?.querySelector('[part="preview"]');
    if (!el || !root || !preview) return null; // not rendered yet
    const box = (e: Element | null) => {
      const r = e!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const room = box(el);
    // What a reader sees of the element: its box, cut by the window.
    const visible = {
      top: Math.max(room.top, 0),
      bottom: Math.min(room.bottom, innerHeight),
      left: Math.max(room.left, 0),
      right: Math.min(room.right, innerWidth),
    };
    return {
      visible,
      name: box(root.querySelector("input[name=name]")),
      join: box(root.querySelector("button[type=submit]")),
      prejoin: box(root.querySelector('[part="prejoin"]')),
      scrolled: root.querySelector('[part="prejoin"]')!.scrollTop,
      preview: box(preview),
    };
  });
}

Deno.test("the pre-join screen shows the name field and Join without scrolling", async (t) => {
  const site = await blogAndServer();
  try {
    const check = async (page: Page, what: string) => {
      const b = await until(async () => {
        const boxes = await prejoinBoxes(page);
        return boxes && boxes.preview.bottom - boxes.preview.top > 40 && boxes; // preview on
      }, `${what}: the pre-join screen laid out`);
      for (const [name, r] of [["name field", b.name], ["Join", b.join]] as const) {
        const inside = r.top >= b.visible.top - 0.5 && r.bottom <= b.visible.bottom + 0.5 &&
          r.left >= b.visible.left - 0.5 && r.right <= b.visible.right + 0.5 &&
          r.bottom <= b.prejoin.bottom + 0.5;
        assert.ok(inside, `${what}: ${name} ${JSON.stringify(r)} in ${JSON.stringify(b)}`);
      }
      assert.equal(b.scrolled, 0, `${what}: nothing scrolled`);
    };
    for (const [width, height] of [[1280, 800], [420, 520]] as const) {
      await t.step(`the article in a ${width}×${height} window`, async () => {
        const reader = await openPeer(site.browser, site.article, `reader ${width}`);
        try {
          await reader.page.setViewport({ width, height });
          // A reader scrolls the call into view, as they would to use it.
          await reader.page.$eval("video-room", (el) => el.scrollIntoView({ block: "start" }));
          await check(reader.page, `${width}×${height}`);
        } finally {
          await reader.close();
        }
      });
    }
    await t.step("the element itself 420×520 (a sidebar embed)", async () => {
      const reader = await openPeer(site.browser, site.article, "sidebar");
      try {
        await reader.page.setViewport({ width: 1280, height: 800 });
        await reader.page.$eval("video-room", (el) => {
          const room = el as HTMLElement;
          room.style.width = "420px";
          room.style.setProperty("--video-room-height", "520px");
          room.scrollIntoView({ block: "start" });
        });
        await check(reader.page, "420×520 element");
      } finally {
        await reader.close();
      }
    });
  } finally {
    await site.close();
  }
});
