/**
 * Check 7: the signaling server restarts during a call. Media keeps flowing
 * between connected peers, both reconnect (keeping their connection: no new
 * RTCPeerConnection, no duplicate tile), and a newcomer can still join them.
 */
import assert from "node:assert/strict";
import {
  freePort,
  launchBrowser,
  mediaCounters,
  mediaFlowing,
  openPeer,
  type Peer,
  roomState,
  type ServerProcess,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";

Deno.test("server restart during a call: media continues, clients resume, newcomers join", async () => {
  const port = freePort();
  let server: ServerProcess = await startServerProcess({ PORT: String(port) });
  const browser = await launchBrowser();
  const room = `restart-${crypto.randomUUID().slice(0, 8)}`;
  const url = (name: string) => `${server.origin}/?room=${room}&name=${name}`;
  const peers: Peer[] = [];
  try {
    const ana = await openPeer(browser, url("Ana"), "Ana");
    const bo = await openPeer(browser, url("Bo"), "Bo");
    peers.push(ana, bo);
    await mediaFlowing(ana.page, 1, "Ana before");
    await mediaFlowing(bo.page, 1, "Bo before");

    await server.stop();
    await until(async () => (await roomState(ana.page)) === "reconnecting", "Ana reconnecting");
    await until(async () => (await roomState(bo.page)) === "reconnecting", "Bo reconnecting");
    await mediaFlowing(ana.page, 1, "Ana while the server is down");
    await mediaFlowing(bo.page, 1, "Bo while the server is down");

    server = await startServerProcess({ PORT: String(port) });
    await until(async () => (await roomState(ana.page)) === "joined", "Ana rejoined", 30000);
    await until(async () => (await roomState(bo.page)) === "joined", "Bo rejoined", 30000);
    // The same connection carries on, re-paired to the new ids: no second tile.
    await new Promise((r) => setTimeout(r, 3500)); // longer than the re-pairing wait
    for (const [name, page] of [["Ana", ana.page], ["Bo", bo.page]] as const) {
      assert.equal((await mediaCounters(page)).connections, 1, `${name}: one connection`);
      assert.equal((await tiles(page)).length, 2, `${name}: two tiles`);
      await mediaFlowing(page, 1, `${name} after the restart`);
    }

    const cy = await openPeer(browser, url("Cy"), "Cy");
    peers.push(cy);
    await mediaFlowing(cy.page, 2, "Cy, the newcomer");
    for (const [name, page] of [["Ana", ana.page], ["Bo", bo.page], ["Cy", cy.page]] as const) {
      const shown = await until(async () => {
        const t = await tiles(page);
        return t.length === 3 && t.every((x) => x.playing) && t;
      }, `${name} shows three playing tiles`);
      assert.deepEqual(shown.map((x) => x.name).sort(), ["Ana", "Bo", "Cy"]);
    }
    await mediaFlowing(ana.page, 2, "Ana with Cy");
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
