/**
 * Every control of the room used as a person uses it (mouse clicks on the
 * rendered buttons, keys typed, found by their accessible names) by three
 * people in separate browser contexts; every check is made on what another
 * person's screen shows, or on the media itself (getStats, track state).
 * (It took over the older two-peer test's checks, which drove the API.)
 */
import assert from "node:assert/strict";
import type { JSHandle } from "puppeteer-core";
import {
  launchBrowser,
  mediaCounters,
  mediaFlowing,
  openPeer,
  type Peer,
  startServerProcess,
  until,
} from "./harness.ts";
import { press, shownBadge, shownChat, shownText, shownTiles, tabTo, typeInto } from "./by-hand.ts";

Deno.test("every control used by hand, checked on the other people's screens", async (t) => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `hand-${crypto.randomUUID().slice(0, 8)}`;
  const peers: Peer[] = [];
  // The pre-join screen, as an invite link without a name opens it.
  const arrive = async (label: string) => {
    const peer = await openPeer(browser, `${server.origin}/?room=${room}`, label);
    peers.push(peer);
    return peer;
  };
  /** The tile labelled `label` on a page, once `ok` holds for it (within `ms`). */
  const seen = (
    peer: Peer,
    label: string,
    ok: (tile: Awaited<ReturnType<typeof shownTiles>>[number]) => boolean,
    what: string,
    ms = 15000,
  ) =>
    until(
      async () => (await shownTiles(peer.page)).find((x) => x.label === label && ok(x)),
      what,
      ms,
    );

  try {
    const ana = await arrive("Ana");

    await t.step("pre-join: devices chosen in Settings replace the preview's tracks", async () => {
      const preview = () =>
        ana.page.evaluate(() => {
          const tile = document.querySelector("video-room")?.shadowRoot
            ?.querySelector("peer-tile[part=preview]");
          const video = tile?.shadowRoot?.querySelector("video");
          const stream = video?.srcObject as MediaStream | null;
          const [camera, mic] = [stream?.getVideoTracks()[0], stream?.getAudioTracks()[0]];
          return {
            camera: camera?.readyState === "live" ? camera.label : "",
            mic: mic?.readyState === "live" ? mic.label : "",
            playing: !!video && video.videoWidth > 0 && video.currentTime > 0,
          };
        });
      const first = await until(async () => {
        const p = await preview();
        return p.playing && p.mic && p;
      }, "the camera preview playing");
      await press(ana.page, "Settings");
      /** Picks the next (or previous) entry of a device list with the keyboard. */
      const pick = async (label: string, key: "ArrowDown" | "ArrowUp") => {
        await ana.page.locator(`::-p-aria([name="${label}"][role="combobox"])`).click();
        await ana.page.keyboard.press(key);
        await ana.page.keyboard.press("Enter");
      };
      await pick("Camera", "ArrowDown");
      const second = await until(async () => {
        const p = await preview();
        return p.camera && p.camera !== first.camera && p;
      }, "the second camera in the preview");
      assert.equal(second.mic, first.mic, "the microphone is untouched");
      // Back to the first one (the fake second camera is a depth camera a call cannot send).
      await pick("Camera", "ArrowUp");
      await until(async () => {
        const p = await preview();
        return p.camera === first.camera && p.playing;
      }, "the first camera back, playing");
      await pick("Microphone", "ArrowDown");
      const third = await until(async () => {
        const p = await preview();
        return p.mic && p.mic !== first.mic && p;
      }, "another microphone in the preview");
      assert.equal(third.camera, first.camera);
      await press(ana.page, "Settings"); // closes them again
    });

    const bo = await arrive("Bo");

    await t.step(
      "join: Ana types her name and clicks Join; Bo uses only the keyboard",
      async () => {
        await typeInto(ana.page, "Your name", "Ana");
        await press(ana.page, "Join");
        await tabTo(bo.page, (f) => f.startsWith("input[name=name]"));
        await bo.page.keyboard.type("Bo");
        await bo.page.keyboard.press("Enter");
        await seen(ana, "Bo", (x) => x.playing, "Bo's video on Ana's screen");
        await seen(bo, "Ana", (x) => x.playing, "Ana's video on Bo's screen");
        await seen(ana, "Ana (you)", (x) => x.playing, "Ana's own tile");
        await mediaFlowing(ana.page, 1, "Ana");
        await mediaFlowing(bo.page, 1, "Bo");
        // Exactly one connection each: nothing made twice, nothing leaked.
        assert.equal((await mediaCounters(ana.page)).connections, 1);
        assert.equal((await mediaCounters(bo.page)).connections, 1);
      },
    );

    await t.step(
      "microphone and camera buttons: Bo sees the indicator and the avatar within 2 s",
      async () => {
        await press(ana.page, "Microphone");
        await seen(
          bo,
          "Ana",
          (x) => x.indicators.includes("Microphone off"),
          "muted mic at Bo",
          2000,
        );
        await press(ana.page, "Microphone");
        await seen(
          bo,
          "Ana",
          (x) => !x.indicators.includes("Microphone off"),
          "mic back at Bo",
          2000,
        );

        // The camera track behind Ana's own tile.
        const camera: JSHandle<MediaStreamTrack> = await ana.page.evaluateHandle(() => {
          const own = document.querySelector("video-room")!.shadowRoot!.querySelector(
            "peer-tile[local]",
          )!;
          const video = own.shadowRoot!.querySelector("video")!;
          return (video.srcObject as MediaStream).getVideoTracks()[0];
        });
        assert.equal(await camera.evaluate((track) => track.readyState), "live");
        await press(ana.page, "Camera");
        const off = await seen(bo, "Ana", (x) => x.avatar !== null, "Ana's avatar at Bo", 2000);
        assert.equal(off.avatar, "A");
        assert.ok(off.indicators.includes("Camera off"));
        assert.equal(off.playing, false, "an avatar, not a frozen picture");
        // The camera itself is released: its light goes out.
        assert.equal(await camera.evaluate((track) => track.readyState), "ended");
        await press(ana.page, "Camera");
        await seen(
          bo,
          "Ana",
          (x) => x.playing && x.avatar === null,
          "Ana's video back at Bo",
          2000,
        );
      },
    );

    await t.step(
      "chat open on both sides: typed and sent with Enter, shown within 1 s, in order, as text",
      async () => {
        await press(ana.page, "Chat");
        await press(bo.page, "Chat");
        const say = async (peer: Peer, text: string) => {
          await typeInto(peer.page, "Write a message", text);
          await peer.page.keyboard.press("Enter");
        };
        const both = async (n: number, what: string) => {
          for (const peer of [ana, bo]) {
            await until(async () => (await shownChat(peer.page)).length === n, what, 1000);
          }
        };
        await say(ana, "Hello Bo");
        await both(1, "Ana's message on both screens");
        await say(bo, "Hi Ana!");
        await both(2, "Bo's reply on both screens");
        const evil = `<img src=x onerror="document.title='pwned'"><b>bold</b>`;
        await say(ana, evil);
        await both(3, "the markup message on both screens");
        for (const peer of [ana, bo]) {
          const shown = await shownChat(peer.page);
          assert.deepEqual(shown.map((m) => [m.name, m.text]), [
            ["Ana", "Hello Bo"],
            ["Bo", "Hi Ana!"],
            ["Ana", evil],
          ]);
          assert.ok(!shown[2].html.includes("<img"), "shown as text, not markup");
          assert.notEqual(await peer.page.title(), "pwned");
        }
      },
    );

    await t.step(
      "chat closed: the badge counts; opening shows everything and clears it",
      async () => {
        await press(bo.page, "Chat"); // Bo closes his panel
        await typeInto(ana.page, "Write a message", "one");
        await ana.page.keyboard.press("Enter");
        await typeInto(ana.page, "Write a message", "two");
        await ana.page.keyboard.press("Enter");
        await until(async () => (await shownBadge(bo.page)) === "2", "a badge of 2 at Bo");
        await press(bo.page, "Chat, 2 unread"); // the button says how many, to screen readers too
        await until(async () => (await shownChat(bo.page)).length === 5, "five messages at Bo");
        assert.deepEqual(
          (await shownChat(bo.page)).slice(3).map((m) => m.text),
          ["one", "two"],
        );
        assert.equal(await shownBadge(bo.page), null);
      },
    );

    await t.step(
      "screen share by the button; stopped by the button, then by the browser",
      async () => {
        await press(ana.page, "Share screen");
        await seen(bo, "Ana's screen", (x) => x.screen && x.playing, "Ana's screen at Bo");
        await seen(ana, "Ana's screen", (x) => x.screen, "Ana's screen at Ana");
        assert.equal((await shownTiles(bo.page)).length, 3, "Bo, Ana, and Ana's screen");
        assert.equal((await mediaCounters(bo.page)).connections, 1, "on the existing connection");
        await press(ana.page, "Stop sharing");
        for (const peer of [ana, bo]) {
          await until(
            async () => !(await shownTiles(peer.page)).some((x) => x.screen),
            "screen gone",
          );
        }
        await press(ana.page, "Share screen");
        await seen(bo, "Ana's screen", (x) => x.screen && x.playing, "the second share at Bo");
        // The browser's own "Stop sharing" bar ends the captured track.
        await ana.page.evaluate(() => {
          const root = document.querySelector("video-room")!.shadowRoot!;
          const tile = root.querySelector("peer-tile[screen]")!;
          const video = tile.shadowRoot!.querySelector("video")!;
          const track = (video.srcObject as MediaStream).getVideoTracks()[0];
          track.stop();
          track.dispatchEvent(new Event("ended"));
        });
        for (const peer of [ana, bo]) {
          await until(
            async () => !(await shownTiles(peer.page)).some((x) => x.screen),
            "screen gone",
          );
        }
        await until(
          async () =>
            (await ana.page.$('::-p-aria([name="Share screen"][role="button"])')) !== null,
          "the button offers to share again",
        );
      },
    );

    const cy = await arrive("Cy");

    await t.step(
      "leave: the others see the tile go; the leaver can rejoin with one click",
      async () => {
        await typeInto(cy.page, "Your name", "Cy");
        await press(cy.page, "Join");
        await seen(cy, "Ana", (x) => x.playing, "Ana at Cy");
        await seen(ana, "Cy", (x) => x.playing, "Cy at Ana");
        await press(ana.page, "Leave");
        for (const peer of [bo, cy]) {
          await until(
            async () => !(await shownTiles(peer.page)).some((x) => x.label === "Ana"),
            "Ana's tile gone",
          );
        }
        assert.match(await shownText(ana.page), /You left the room\./);
        await press(ana.page, "Rejoin");
        for (const peer of [bo, cy]) await seen(peer, "Ana", (x) => x.playing, "Ana back");
        await seen(ana, "Bo", (x) => x.playing, "Bo at Ana after rejoining");
      },
    );

    await t.step("closing the tab removes that person's tile for the others", async () => {
      await cy.page.close();
      await until(
        async () => !(await shownTiles(ana.page)).some((x) => x.label === "Cy"),
        "Cy's tile gone at Ana",
      );
      const left = await shownTiles(bo.page);
      assert.deepEqual(left.map((x) => x.label).sort(), ["Ana", "Bo (you)"], JSON.stringify(left));
    });
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
