/**
 * Two people in the demo, in separate browser contexts: media both ways,
 * chat, indicators, screen share, leaving. Checks 1–5 of the e2e list.
 */
import assert from "node:assert/strict";
import {
  chatMessages,
  clickControl,
  launchBrowser,
  mediaCounters,
  mediaFlowing,
  openPeer,
  type Peer,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";

Deno.test("two peers in the demo: media, chat, indicators, screen share, leave", async (t) => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `e2e-${crypto.randomUUID().slice(0, 8)}`;
  const peers: Peer[] = [];
  const join = async (name: string) => {
    const url = `${server.origin}/?room=${room}&name=${encodeURIComponent(name)}`;
    const peer = await openPeer(browser, url, name);
    peers.push(peer);
    return peer;
  };
  try {
    const ana = await join("Ana");
    const bo = await join("Bo");

    await t.step(
      "1. each decodes the other's video, receives audio, shows their tile",
      async () => {
        await mediaFlowing(ana.page, 1, "Ana");
        await mediaFlowing(bo.page, 1, "Bo");
        // Exactly one connection each: nothing made twice, nothing leaked.
        assert.equal((await mediaCounters(ana.page)).connections, 1);
        assert.equal((await mediaCounters(bo.page)).connections, 1);
        const boAtAna = await until(
          async () => (await tiles(ana.page)).find((x) => x.name === "Bo" && x.playing),
          "Bo's tile playing at Ana",
        );
        assert.equal(boAtAna.local, false);
        assert.equal(boAtAna.label, "Bo");
        await until(
          async () => (await tiles(bo.page)).find((x) => x.name === "Ana" && x.playing),
          "Ana's tile playing at Bo",
        );
        assert.ok((await tiles(ana.page)).find((x) => x.local && x.label === "Ana (you)"));
      },
    );

    await t.step("2. chat typed in one panel appears in the other's, HTML as text", async () => {
      await clickControl(ana.page, "Chat");
      const input = await ana.page.waitForSelector("video-room >>> chat-panel >>> textarea");
      await input!.focus();
      await ana.page.keyboard.type("Hello Bo!");
      await ana.page.keyboard.press("Enter");
      const evil = `<img src=x onerror="document.title='pwned'"><b>bold</b>`;
      await ana.page.keyboard.type(evil);
      await ana.page.keyboard.press("Enter");
      await clickControl(bo.page, "Chat");
      const messages = await until(async () => {
        const m = await chatMessages(bo.page);
        return m.length === 2 && m;
      }, "two messages at Bo");
      assert.deepEqual([messages[0].name, messages[0].text], ["Ana", "Hello Bo!"]);
      assert.equal(messages[1].name, "Ana");
      assert.equal(messages[1].text, evil);
      assert.ok(!messages[1].html.includes("<img"), "rendered as text, not markup");
      assert.notEqual(await bo.page.title(), "pwned");
    });

    await t.step("3. mute and camera-off show as indicators on the other side", async () => {
      await clickControl(ana.page, "Microphone");
      await until(
        async () => (await tiles(bo.page)).find((x) => x.name === "Ana" && x.audioMuted),
        "muted indicator at Bo",
      );
      await clickControl(ana.page, "Camera");
      const off = await until(
        async () => (await tiles(bo.page)).find((x) => x.name === "Ana" && x.videoOff),
        "camera-off at Bo",
      );
      assert.equal(off.playing, false, "avatar instead of video");
      const avatar = await bo.page.evaluate(() =>
        document.querySelector("video-room")!.shadowRoot!.querySelector("peer-tile:not([local])")
          ?.shadowRoot?.querySelector('[part="avatar"]')?.textContent?.trim()
      );
      assert.equal(avatar, "A");
      await clickControl(ana.page, "Microphone");
      await clickControl(ana.page, "Camera");
      await until(
        async () =>
          (await tiles(bo.page)).find((x) => x.name === "Ana" && !x.audioMuted && x.playing),
        "Ana back with sound and video at Bo",
      );
    });

    await t.step(
      "4. screen share appears as an extra tile decoding video; stop removes it",
      async () => {
        await ana.page.click("video-room >>> screen-share-button >>> button");
        const screen = await until(
          async () => (await tiles(bo.page)).find((x) => x.screen && x.playing),
          "screen tile playing at Bo",
        );
        assert.equal(screen.label, "Ana's screen");
        assert.equal((await tiles(bo.page)).length, 3);
        const counters = await mediaCounters(bo.page);
        assert.equal(counters.connections, 1, "the screen rides the existing connection");
        await ana.page.click("video-room >>> screen-share-button >>> button");
        await until(
          async () => !(await tiles(bo.page)).some((x) => x.screen),
          "screen tile gone at Bo",
        );
      },
    );

    await t.step("5. closing a page removes that person's tile on the other side", async () => {
      await bo.page.close(); // the tab goes away, as when a person closes it
      await until(
        async () => !(await tiles(ana.page)).some((x) => x.name === "Bo"),
        "Bo's tile gone at Ana",
      );
      const left = await tiles(ana.page);
      assert.deepEqual(left.map((x) => x.name), ["Ana"], JSON.stringify(left));
    });
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
