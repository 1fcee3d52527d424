/**
 * Takes docs/screenshot.png: a two-person call in the demo, chat open, in
 * headless Chromium with fake cameras. Also handy to look at the UI after a
 * change, or at another page on its own:
 *   deno run -A scripts/screenshot.ts [out.png] [--page=/embed.html]
 */
import {
  clickControl,
  launchBrowser,
  openPeer,
  startServerProcess,
  tiles,
  until,
} from "../tests/e2e/harness.ts";

const out = Deno.args.find((a) => !a.startsWith("--")) ?? "docs/screenshot.png";
const page = Deno.args.find((a) => a.startsWith("--page="))?.slice("--page=".length);
const server = await startServerProcess();
const browser = await launchBrowser();
try {
  let shot;
  if (page) {
    shot = await openPeer(browser, `${server.origin}${page}`);
    await new Promise((r) => setTimeout(r, 2500)); // camera preview starts
  } else {
    const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
    const ana = await openPeer(browser, `${server.origin}/?room=${room}&name=Ana`);
    const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`);
    for (const p of [ana, bo]) {
      await until(
        async () => (await tiles(p.page)).filter((t) => t.playing).length === 2,
        "videos",
      );
    }
    await bo.page.evaluate(() =>
      (document.querySelector("video-room") as Element & { sendChat(t: string): boolean })
        .sendChat("Hi Ana! Can you see me?")
    );
    await clickControl(ana.page, "Chat");
    await new Promise((r) => setTimeout(r, 1500)); // let the fake cameras move a little
    shot = ana;
  }
  await shot.page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
