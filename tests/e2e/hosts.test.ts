/**
 * A host runs a meeting by hand, three people in their own browser contexts:
 * the lobby (a guest knocks, the host clicks Admit), mute from a tile's menu,
 * remove after a confirmation, and the lock. Every check is on what the
 * people's screens show.
 */
import assert from "node:assert/strict";
import { launchBrowser, openPeer, type Peer, startServerProcess, until } from "./harness.ts";
import { answer, button, choose, press, shownText, shownTiles, typeInto } from "./by-hand.ts";

Deno.test("a host admits, mutes, removes and locks, by hand", async (t) => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `hosts-${crypto.randomUUID().slice(0, 8)}`;
  const peers: Peer[] = [];
  /** Opens the invite link, types a name and clicks Join. */
  const arrive = async (name: string) => {
    const peer = await openPeer(browser, `${server.origin}/?room=${room}`, name);
    peers.push(peer);
    await typeInto(peer.page, "Your name", name);
    await press(peer.page, "Join");
    return peer;
  };
  const labels = async (peer: Peer) => (await shownTiles(peer.page)).map((x) => x.label).sort();
  const shows = (peer: Peer, text: string, what: string) =>
    until(async () => (await shownText(peer.page)).includes(text), what, 10000);

  try {
    // The first in the room hosts; the others are guests.
    const ana = await arrive("Ana");
    await until(async () => (await labels(ana)).includes("Ana (you)"), "Ana in the room");

    await t.step("the lobby: Bo knocks and waits; Ana clicks Admit", async () => {
      await choose(ana.page, "Host controls", "Turn the lobby on");
      const bo = await arrive("Bo");
      await shows(bo, "Waiting for the host to let you in", "Bo's waiting screen");
      assert.deepEqual(await labels(bo), [], "a waiting guest sees nobody");
      await until(
        async () =>
          (await shownText(ana.page)).includes("Bo wants to join") ||
          (await ana.page.evaluate(() =>
            document.querySelector("video-room")?.shadowRoot?.querySelector('[part="knocks"]')
              ?.textContent ?? ""
          )).includes("Bo wants to join"),
        "the knock on Ana's screen",
      );
      assert.deepEqual(await labels(ana), ["Ana (you)"], "nobody sees a waiting guest");
      await press(ana.page, "Admit Bo");
      await until(async () => (await labels(bo)).join() === "Ana,Bo (you)", "Bo in the room");
      await until(async () => (await labels(ana)).join() === "Ana (you),Bo", "Bo at Ana");
    });

    const bo = peers[1];
    let cleo!: Peer;
    await t.step("lobby off: Cleo, waiting, is let in", async () => {
      cleo = await arrive("Cleo");
      await shows(cleo, "Waiting for the host", "Cleo waits");
      await choose(ana.page, "Host controls", "Turn the lobby off");
      await until(
        async () => (await labels(cleo)).join() === "Ana,Bo,Cleo (you)",
        "Cleo in the room",
      );
    });

    await t.step("Ana mutes Bo: his mic is off on every screen, and he is told", async () => {
      await choose(ana.page, "More actions for Bo", "Mute");
      await shows(bo, "Ana muted your microphone", "the notice on Bo's screen");
      for (const peer of [ana, cleo]) {
        await until(
          async () =>
            (await shownTiles(peer.page)).find((x) => x.label === "Bo")?.indicators.includes(
              "Microphone off",
            ),
          "Bo's mic shown off",
        );
      }
      const pressed = await button(bo.page, "Microphone").map((b) => b.getAttribute("aria-pressed"))
        .wait();
      assert.equal(pressed, "false", "Bo's own mic button shows off");
    });

    await t.step("Ana removes Cleo after confirming: Cleo is told, her tile goes", async () => {
      await choose(ana.page, "More actions for Cleo", "Remove");
      await answer(ana.page, "Remove Cleo from the meeting?", "Remove");
      await shows(cleo, "You were removed from the meeting.", "Cleo's screen");
      for (const peer of [ana, bo]) {
        await until(async () => !(await labels(peer)).includes("Cleo"), "Cleo's tile gone");
      }
    });

    await t.step("Ana locks the room: Dan, new, is told it is locked", async () => {
      await choose(ana.page, "Host controls", "Lock the room");
      const dan = await arrive("Dan");
      await shows(dan, "locked", "the locked message on Dan's screen");
      assert.deepEqual(await labels(ana), ["Ana (you)", "Bo"]);
    });
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
