/**
 * A call between Chromium and Firefox (Debian's firefox-esr, through WebDriver
 * BiDi), in the mesh: both join by hand, see and hear each other, chat, see
 * each other's microphone and camera indicators, Firefox watches Chromium's
 * screen (headless Firefox has none to share), both read their connection as
 * good, and the Firefox person leaves and rejoins. Every check reads the other
 * person's screen or the media itself.
 */
import assert from "node:assert/strict";
import {
  launchBrowser,
  launchFirefox,
  mediaFlowing,
  openFirefoxPeer,
  openPeer,
  type Peer,
  startServerProcess,
  until,
} from "./harness.ts";
import { press, shownChat, shownTiles, typeInto } from "./by-hand.ts";

/** The tile labelled `label` on a page, once `ok` holds for it. */
function seen(
  peer: Peer,
  label: string,
  ok: (tile: Awaited<ReturnType<typeof shownTiles>>[number]) => boolean,
  what: string,
  ms = 15000,
) {
  return until(
    async () => (await shownTiles(peer.page)).find((x) => x.label === label && ok(x)),
    what,
    ms,
  );
}

/** How wide the picture decoded for `label`'s tile is, and how wide the tile shows. */
function decodedWidth(peer: Peer, label: string) {
  return peer.page.evaluate((label) => {
    const root = document.querySelector("video-room")!.shadowRoot!;
    for (const tile of root.querySelectorAll("peer-tile")) {
      const name = tile.shadowRoot!.querySelector('[part="label"] .name')?.textContent?.trim();
      if (name !== label) continue;
      const video = tile.shadowRoot!.querySelector("video")!;
      return { video: video.videoWidth, tile: tile.getBoundingClientRect().width };
    }
    return { video: 0, tile: 0 };
  }, label);
}

Deno.test("Chromium and Firefox in one mesh call, used by hand", async (t) => {
  const server = await startServerProcess();
  const chromium = await launchBrowser();
  const firefox = await launchFirefox();
  const room = `ff-${crypto.randomUUID().slice(0, 8)}`;
  const url = `${server.origin}/?room=${room}`;
  try {
    const ana = await openPeer(chromium, url, "Ana (Chromium)");
    const bo = await openFirefoxPeer(firefox, url, "Bo (Firefox)");

    await t.step("both join by hand and see and hear each other", async () => {
      await typeInto(ana.page, "Your name", "Ana");
      await press(ana.page, "Join");
      await typeInto(bo.page, "Your name", "Bo");
      await press(bo.page, "Join");
      await seen(ana, "Bo", (x) => x.playing, "Bo's video in Chromium");
      await seen(bo, "Ana", (x) => x.playing, "Ana's video in Firefox");
      await mediaFlowing(ana.page, 1, "Chromium");
      await mediaFlowing(bo.page, 1, "Firefox");
    });

    await t.step("each receives the camera at the size its tile shows, within 3 s", async () => {
      for (const [peer, label] of [[bo, "Ana"], [ana, "Bo"]] as const) {
        const sized = await until(
          async () => {
            const w = await decodedWidth(peer, label);
            return w.video >= w.tile * 0.95 && w;
          },
          `${label}'s camera at its tile's size`,
          3000,
        );
        // No more than the tile needs, in the steps the size is told in (160 px).
        assert.ok(sized.video <= Math.ceil(sized.tile / 160) * 160 + 1, JSON.stringify(sized));
      }
    });

    await t.step("a healthy call reads good on every tile, in both browsers", async () => {
      for (const peer of [ana, bo]) {
        await until(
          async () => {
            const tiles = await shownTiles(peer.page);
            return tiles.length === 2 &&
              tiles.every((x) => x.indicators.includes("Good connection"));
          },
          "good connection on every tile",
          12000,
        );
      }
    });

    await t.step("chat both ways, shown within 1 s", async () => {
      await press(ana.page, "Chat");
      await press(bo.page, "Chat");
      await typeInto(bo.page, "Write a message", "Hallo aus Firefox");
      await bo.page.keyboard.press("Enter");
      await typeInto(ana.page, "Write a message", "Hi from Chromium");
      await ana.page.keyboard.press("Enter");
      for (const peer of [ana, bo]) {
        await until(async () => (await shownChat(peer.page)).length === 2, "two messages", 1000);
        assert.deepEqual((await shownChat(peer.page)).map((m) => [m.name, m.text]), [
          ["Bo", "Hallo aus Firefox"],
          ["Ana", "Hi from Chromium"],
        ]);
      }
      await press(ana.page, "Chat");
      await press(bo.page, "Chat");
    });

    await t.step("microphone and camera indicators cross both ways within 2 s", async () => {
      await press(bo.page, "Microphone");
      await seen(ana, "Bo", (x) => x.indicators.includes("Microphone off"), "Bo muted", 2000);
      await press(bo.page, "Microphone");
      await seen(ana, "Bo", (x) => !x.indicators.includes("Microphone off"), "Bo back", 2000);
      await press(ana.page, "Camera");
      await seen(bo, "Ana", (x) => x.avatar === "A", "Ana's avatar in Firefox", 2000);
      await press(ana.page, "Camera");
      await seen(bo, "Ana", (x) => x.playing && x.avatar === null, "Ana's video back", 5000);
      await press(bo.page, "Camera");
      await seen(ana, "Bo", (x) => x.avatar === "B", "Bo's avatar in Chromium", 2000);
      await press(bo.page, "Camera");
      await seen(ana, "Bo", (x) => x.playing && x.avatar === null, "Bo's video back", 5000);
    });

    await t.step("Firefox watches Chromium's screen share, and sees it end", async () => {
      await press(ana.page, "Share screen");
      await seen(bo, "Ana's screen", (x) => x.screen && x.playing, "Ana's screen in Firefox");
      await press(ana.page, "Stop sharing");
      await until(
        async () => !(await shownTiles(bo.page)).some((x) => x.screen),
        "the screen gone in Firefox",
      );
    });

    await t.step(
      "Firefox leaves; the tile goes; one click and both see each other again",
      async () => {
        await press(bo.page, "Leave");
        await until(
          async () => !(await shownTiles(ana.page)).some((x) => x.label === "Bo"),
          "Bo's tile gone in Chromium",
        );
        await press(bo.page, "Rejoin");
        await seen(ana, "Bo", (x) => x.playing, "Bo back in Chromium");
        await seen(bo, "Ana", (x) => x.playing, "Ana back in Firefox");
      },
    );
  } finally {
    await firefox.close();
    await chromium.close();
    await server.stop();
  }
});
