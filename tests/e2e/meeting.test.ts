/**
 * The meeting itself, used by hand by three people in their own browser
 * contexts: the speaker view follows who speaks (the fake microphones send
 * a tone, so muting the others leaves one speaker), a pin overrides it, a
 * screen share overrides both; raised hands, reactions, the participants
 * list, picture-in-picture, and a throttled uplink shown as poor. Every
 * check is on what the people's screens show.
 */
import assert from "node:assert/strict";
import { launchBrowser, openPeer, type Peer, startServerProcess, until } from "./harness.ts";
import {
  button,
  choose,
  press,
  shownFeatured,
  shownParticipants,
  shownText,
  shownTiles,
} from "./by-hand.ts";

Deno.test("the meeting by hand: speaker view, pins, hands, reactions, people, PiP, quality", async (t) => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `meet-${crypto.randomUUID().slice(0, 8)}`;
  const peers: Peer[] = [];
  /** An invite link with a name joins at once. */
  const arrive = async (name: string) => {
    const peer = await openPeer(browser, `${server.origin}/?room=${room}&name=${name}`, name);
    peers.push(peer);
    await button(peer.page, "Raise hand").setTimeout(15000).wait();
    return peer;
  };
  const tileAt = async (peer: Peer, label: string) =>
    (await shownTiles(peer.page)).find((x) => x.label === label);
  const micState = (peer: Peer) =>
    button(peer.page, "Microphone").map((b) => b.getAttribute("aria-pressed")).wait();
  const micOn = async (peer: Peer, on: boolean) => {
    if (((await micState(peer)) === "true") === on) return;
    await press(peer.page, "Microphone");
    // The click took: a lost one would leave a microphone on and steal the stage later.
    await until(async () => ((await micState(peer)) === "true") === on, "the microphone switched");
  };

  try {
    const ana = await arrive("Ana");
    const bo = await arrive("Bo");
    const cleo = await arrive("Cleo");
    for (const p of [ana, bo, cleo]) {
      await until(
        async () => (await shownTiles(p.page)).filter((x) => x.playing).length === 3,
        "three videos playing",
        20000,
      );
    }

    await t.step("speaker view features whoever speaks; a cough does not steal it", async () => {
      await choose(ana.page, "More options", "Speaker view");
      await micOn(ana, false);
      await micOn(cleo, false);
      await micOn(bo, true);
      await until(async () => (await shownFeatured(ana.page)) === "Bo", "Bo featured", 10000);
      await micOn(bo, false);
      await micOn(cleo, true);
      await until(async () => (await shownFeatured(ana.page)) === "Cleo", "Cleo featured", 10000);
      // Cleo stops: silence keeps her on the stage.
      await micOn(cleo, false);
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await shownFeatured(ana.page), "Cleo");
    });

    await t.step("the stage holds still while a tile's menu is open", async () => {
      // Ana opens Bo's menu in the filmstrip; Bo speaks long enough to take the stage.
      await press(ana.page, "More actions for Bo");
      await micOn(bo, true);
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await shownFeatured(ana.page), "Cleo");
      // The menu is still open, on Bo's tile.
      await ana.page.locator('::-p-aria([name="Pin"][role="menuitem"])').setTimeout(1000).wait();
      // Closed: the stage catches up with who speaks.
      await ana.page.keyboard.press("Escape");
      await until(async () => (await shownFeatured(ana.page)) === "Bo", "Bo featured", 10000);
      await micOn(bo, false);
      await micOn(cleo, true);
      await until(async () => (await shownFeatured(ana.page)) === "Cleo", "Cleo again", 10000);
    });

    await t.step("a pin overrides the speaker; a screen share overrides both", async () => {
      await micOn(cleo, true);
      await choose(ana.page, "More actions for Bo", "Pin");
      await until(async () => (await shownFeatured(ana.page)) === "Bo", "Bo pinned");
      await new Promise((r) => setTimeout(r, 2000)); // Cleo speaks all along
      assert.equal(await shownFeatured(ana.page), "Bo");
      await press(cleo.page, "Share screen");
      await until(
        async () => (await shownFeatured(ana.page)) === "Cleo's screen",
        "Cleo's screen featured",
        10000,
      );
      await press(cleo.page, "Stop sharing");
      await until(async () => (await shownFeatured(ana.page)) === "Bo", "back to the pin");
      await choose(ana.page, "More actions for Bo", "Unpin");
      await micOn(cleo, false);
    });

    await t.step(
      "raised hands show on the tiles and in the list, in the order raised",
      async () => {
        await press(bo.page, "Raise hand");
        await until(
          async () => (await tileAt(ana, "Bo"))?.indicators.includes("Hand raised"),
          "Bo",
        );
        await press(cleo.page, "Raise hand");
        for (const p of [ana, bo]) {
          await until(
            async () => (await tileAt(p, "Cleo"))?.indicators.includes("Hand raised"),
            "Cleo's hand",
          );
        }
        await press(ana.page, "Participants, 3");
        const list = await until(async () => {
          const l = await shownParticipants(ana.page);
          return l.length === 3 && l;
        }, "the list");
        assert.deepEqual(list.map((l) => l.split(" ")[0]), ["Ana", "Bo", "Cleo"]);
        assert.match(list[1], /hand raised/);
        assert.match(list[2], /hand raised/);
        await press(bo.page, "Raise hand"); // down again
        await until(async () => {
          const l = await shownParticipants(ana.page);
          return l[1]?.startsWith("Cleo") && !l[2]?.includes("hand raised");
        }, "Bo's hand down: Cleo, raised, comes first");
        await press(cleo.page, "Raise hand");
      },
    );

    await t.step("a reaction floats on the sender's tile for the others, then goes", async () => {
      await choose(bo.page, "Reactions", "React with 👍");
      for (const p of [ana, cleo]) {
        await until(async () => (await tileAt(p, "Bo"))?.reaction === "👍", "👍 on Bo's tile");
      }
      const at = Date.now();
      await until(async () => (await tileAt(ana, "Bo"))?.reaction === null, "gone", 6000);
      const after = Date.now() - at;
      assert.ok(after > 1000 && after < 5000, `gone after ${after} ms`);
    });

    await t.step("the participants count and list follow joins and leaves", async () => {
      const dan = await arrive("Dan");
      await button(ana.page, "Participants, 4").setTimeout(10000).wait();
      await until(async () => (await shownParticipants(ana.page)).length === 4, "Dan listed");
      await press(dan.page, "Leave");
      await button(ana.page, "Participants, 3").setTimeout(10000).wait();
      await until(async () => (await shownParticipants(ana.page)).length === 3, "Dan gone");
      await press(ana.page, "Participants, 3"); // closes the panel
    });

    await t.step(
      "picture-in-picture: a window with the speaker and the controls, closed again",
      async () => {
        const opened = browser.waitForTarget(
          (target) =>
            target.type() === "page" && target.url() === "about:blank" &&
            target.opener() !== undefined,
          { timeout: 10000 },
        );
        await choose(ana.page, "More options", "Picture-in-picture");
        const pipPage = await (await opened).page();
        assert.ok(pipPage, "a picture-in-picture window");
        await pipPage.locator('::-p-aria([name="Microphone"][role="button"])').wait();
        // Its mic button works like the page's: what Ana presses there, Bo sees.
        const mutedAtBo = async () =>
          (await tileAt(bo, "Ana"))?.indicators.includes("Microphone off");
        const before = await mutedAtBo();
        await pipPage.locator('::-p-aria([name="Microphone"][role="button"])').click();
        await until(async () => (await mutedAtBo()) !== before, "Ana's mic switched, seen by Bo");
        await pipPage.close(); // the person closes the window
        await until(
          () =>
            ana.page.evaluate(() =>
              !(globalThis as { documentPictureInPicture?: { window: unknown } })
                .documentPictureInPicture?.window
            ),
          "the window gone",
        );
        // Everything is on the page as before.
        assert.equal(
          (await shownTiles(ana.page)).filter((x) => x.playing).length,
          3,
        );
      },
    );

    await t.step(
      "a throttled uplink shows as poor on the others' screens, and to the sender",
      async () => {
        // Cleo's camera gets 10 kbps, whatever the app later asks for.
        await cleo.page.evaluate(() => {
          const set = RTCRtpSender.prototype.setParameters;
          RTCRtpSender.prototype.setParameters = function (params, ...rest) {
            for (const e of params.encodings ?? []) e.maxBitrate = 10_000;
            return set.call(this, params, ...rest);
          };
          const pcs = (globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
          for (const pc of pcs.filter((pc) => pc.connectionState !== "closed")) {
            for (const sender of pc.getSenders()) {
              if (sender.track?.kind === "video") {
                sender.setParameters(sender.getParameters()).catch(() => {});
              }
            }
          }
        });
        for (const p of [ana, bo]) {
          await until(
            async () => (await tileAt(p, "Cleo"))?.indicators.includes("Poor connection"),
            "Cleo's connection shown poor",
            20000,
          );
        }
        await until(
          async () => (await shownText(cleo.page)).includes("Your connection is unstable"),
          "the unstable notice on Cleo's screen",
          20000,
        );
        assert.ok((await tileAt(ana, "Bo"))?.indicators.some((i) => /connection/.test(i)));
      },
    );
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
