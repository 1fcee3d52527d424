/**
 * Takes docs/screenshot.png: a two-person call in the demo, chat open, in
 * headless Chromium with fake cameras. Also handy to look at the UI after a
 * change, or at another page on its own:
 *   deno run -A scripts/screenshot.ts [out.png] [--page=/embed.html]
 * With --meeting, four people meet instead, and docs/screenshots/ gets the
 * grid, the speaker view, the participants panel, and a raised hand with a
 * reaction. With --phone, Ana is on a phone (390×844, touch, no screen to
 * share) with two others, and docs/screenshots/ gets her call upright, its
 * More sheet, the chat, and the call on its side (844×390). With --languages,
 * docs/screenshots/ gets the pre-join screen and a call with the chat open in
 * German (long words), Japanese and Arabic (right to left), to look at for
 * clipped or overflowing text. With --breakouts, five people meet and Ana, the host, plans two
 * breakout groups by hand: docs/screenshots/ gets her plan, the open groups in her panel, and Bo's
 * call in his group with the bar and Ana's broadcast.
 */
import {
  clickControl,
  launchBrowser,
  openPeer,
  startServerProcess,
  tiles,
  until,
} from "../tests/e2e/harness.ts";
import { choose, pick, press, shownTiles } from "../tests/e2e/by-hand.ts";

const out = Deno.args.find((a) => !a.startsWith("--")) ?? "docs/screenshot.png";
const page = Deno.args.find((a) => a.startsWith("--page="))?.slice("--page=".length);
const server = await startServerProcess();
const browser = await launchBrowser();

/** Four people; Ana's screen in each state worth showing. */
async function meeting(): Promise<void> {
  const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
  const people = [];
  for (const name of ["Ana", "Bo", "Cleo", "Dan"]) {
    people.push(await openPeer(browser, `${server.origin}/?room=${room}&name=${name}`));
  }
  const [ana, bo, cleo] = people;
  await until(
    async () => (await tiles(ana.page)).filter((t) => t.playing).length === 4,
    "four videos at Ana",
    30000,
  );
  await Deno.mkdir("docs/screenshots", { recursive: true });
  const shoot = async (name: string) => {
    await new Promise((r) => setTimeout(r, 800));
    await ana.page.screenshot({ path: `docs/screenshots/${name}.png` });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await shoot("grid");
  await press(bo.page, "Raise hand");
  await choose(cleo.page, "Reactions", "React with 🎉");
  await until(
    async () => (await shownTiles(ana.page)).some((t) => t.reaction === "🎉"),
    "the reaction",
  );
  await new Promise((r) => setTimeout(r, 400)); // floated up a little
  await ana.page.screenshot({ path: "docs/screenshots/hand-and-reaction.png" });
  console.log("wrote docs/screenshots/hand-and-reaction.png");
  await choose(ana.page, "More options", "Speaker view");
  await shoot("speaker-view");
  await press(cleo.page, "Raise hand");
  await press(ana.page, "Participants, 4");
  await shoot("participants");
}

/** Ana plans and opens breakout groups; Bo in his. */
async function breakouts(): Promise<void> {
  const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
  const people = [];
  for (const name of ["Ana", "Bo", "Cleo", "Dan", "Eve"]) {
    people.push(await openPeer(browser, `${server.origin}/?room=${room}&name=${name}`));
  }
  const [ana, bo] = people;
  await until(
    async () => (await tiles(ana.page)).filter((t) => t.playing).length === 5,
    "five videos at Ana",
    30000,
  );
  await Deno.mkdir("docs/screenshots", { recursive: true });
  const shoot = async (who: typeof ana, name: string) => {
    await who.page.mouse.move(1, 1);
    await new Promise((r) => setTimeout(r, 800));
    await who.page.screenshot({ path: `docs/screenshots/${name}.png` });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await choose(ana.page, "Host controls", "Breakout rooms");
  await ana.page.locator('::-p-aria([name="Choose who goes where"])').click();
  // Each select's value is the group's place in the plan (0: Group 1).
  const plan = { Bo: "0", Cleo: "0", Dan: "1", Eve: "1" };
  for (const [name, group] of Object.entries(plan)) {
    await ana.page.locator(`::-p-aria([name="Group for ${name}"])`).fill(group);
  }
  await shoot(ana, "breakouts-plan");
  await press(ana.page, "Open breakout rooms");
  await until(
    async () => (await tiles(bo.page)).filter((t) => t.playing).length === 2,
    "Bo and Cleo",
    30000,
  );
  await ana.page.locator('::-p-aria([name="Message to every group"][role="textbox"])').fill(
    "Five more minutes, then we meet again",
  );
  await press(ana.page, "Send to all groups");
  await shoot(ana, "breakouts-open");
  await shoot(bo, "breakouts-in-a-group");
}

/** Ana on a phone, Bo and Cleo at their desks. */
async function phone(): Promise<void> {
  const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const held = (width: number, height: number) =>
    page.emulate({
      viewport: { width, height, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    });
  await held(390, 844);
  // As on a phone: nothing to share a screen with.
  await page.evaluateOnNewDocument(() => {
    delete (MediaDevices.prototype as { getDisplayMedia?: unknown }).getDisplayMedia;
  });
  await page.goto(`${server.origin}/?room=${room}&name=Ana`);
  const others = [];
  for (const name of ["Bo", "Cleo"]) {
    others.push(await openPeer(browser, `${server.origin}/?room=${room}&name=${name}`));
  }
  await until(
    async () => (await tiles(page)).filter((t) => t.playing).length === 3,
    "three videos on the phone",
    30000,
  );
  await Deno.mkdir("docs/screenshots", { recursive: true });
  const shoot = async (name: string) => {
    await page.mouse.move(1, 1); // no hover left where the last tap was
    await new Promise((r) => setTimeout(r, 800));
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await shoot("phone-portrait");
  await others[0].page.evaluate(() =>
    (document.querySelector("video-room") as Element & { sendChat(t: string): boolean })
      .sendChat("Hi Ana! You're on your phone?")
  );
  await press(page, "More options, 1 unread");
  await shoot("phone-more");
  await pick(page, "Chat (1 unread)");
  await shoot("phone-chat");
  await press(page, "Close");
  await held(844, 390);
  await shoot("phone-landscape");
}

/** Ana in another language: her pre-join screen, then a call with Bo, a hand up and the chat open. */
async function languages(): Promise<void> {
  await Deno.mkdir("docs/screenshots", { recursive: true });
  for (const lang of ["de", "ja", "ar"]) {
    const room = `demo-${crypto.randomUUID().slice(0, 6)}`;
    const ana = await openPeer(browser, `${server.origin}/?room=${room}&lang=${lang}`);
    const field = await ana.page.waitForSelector("video-room >>> input");
    await field!.type("Ana");
    await new Promise((r) => setTimeout(r, 1500)); // the camera preview starts
    await ana.page.screenshot({ path: `docs/screenshots/lang-${lang}-prejoin.png` });
    console.log(`wrote docs/screenshots/lang-${lang}-prejoin.png`);
    await ana.page.keyboard.press("Enter");
    const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`);
    await until(
      async () => (await tiles(ana.page)).filter((t) => t.playing).length === 2,
      "two videos at Ana",
      30000,
    );
    await bo.page.evaluate(() => {
      const el = document.querySelector("video-room") as Element & {
        sendChat(t: string): boolean;
        raiseHand(): void;
      };
      el.raiseHand();
      el.sendChat("Hi Ana!");
    });
    await ana.page.evaluate(() =>
      (document.querySelector("video-room") as Element & { sendChat(t: string): boolean })
        .sendChat("Hallo Bo! こんにちは! مرحباً")
    );
    await ana.page.waitForSelector("video-room >>> [part~=chat-notice]");
    await ana.page.click("video-room >>> [part~=chat-notice] button");
    await new Promise((r) => setTimeout(r, 1500));
    await ana.page.screenshot({ path: `docs/screenshots/lang-${lang}-call.png` });
    console.log(`wrote docs/screenshots/lang-${lang}-call.png`);
    await ana.close();
    await bo.close();
  }
}

try {
  let shot;
  if (Deno.args.includes("--meeting")) {
    await meeting();
  } else if (Deno.args.includes("--phone")) {
    await phone();
  } else if (Deno.args.includes("--languages")) {
    await languages();
  } else if (Deno.args.includes("--breakouts")) {
    await breakouts();
  } else if (page) {
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
  if (shot) {
    await shot.page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
