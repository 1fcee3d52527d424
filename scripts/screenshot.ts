/**
 * Takes docs/screenshot.png: a two-person call in the demo, in headless
 * Chromium with fake cameras. Also useful to look at the UI after a change:
 *   deno run -A scripts/screenshot.ts [out.png] [--page=/embed.html]
 */
import { launchBrowser, openPeer, startServerProcess, tiles, until } from "../tests/e2e/harness.ts";

const out = Deno.args.find((a) => !a.startsWith("--")) ?? "docs/screenshot.png";
const path = Deno.args.find((a) => a.startsWith("--page="))?.slice(7);
const server = await startServerProcess();
const browser = await launchBrowser();
try {
  const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
  const ana = await openPeer(browser, `${server.origin}${path ?? "/"}?room=${room}&name=Ana`);
  if (!path) {
    const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`);
    await until(
      async () => (await tiles(ana.page)).filter((t) => t.playing).length === 2,
      "Ana sees two videos",
    );
    await until(
      async () => (await tiles(bo.page)).filter((t) => t.playing).length === 2,
      "Bo sees two videos",
    );
    await new Promise((r) => setTimeout(r, 1500)); // let the fake cameras move a little
  } else {
    await new Promise((r) => setTimeout(r, 2500));
  }
  await ana.page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
