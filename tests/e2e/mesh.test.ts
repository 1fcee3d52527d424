/** Check 6: four people form a full mesh; every pair decodes video. */
import assert from "node:assert/strict";
import {
  launchBrowser,
  mediaCounters,
  mediaFlowing,
  openPeer,
  type Peer,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";

Deno.test("four peers form a full mesh: every pair decodes video", async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `mesh-${crypto.randomUUID().slice(0, 8)}`;
  const names = ["Ana", "Bo", "Cy", "Di"];
  const peers: Peer[] = [];
  try {
    for (const name of names) {
      peers.push(await openPeer(browser, `${server.origin}/?room=${room}&name=${name}`, name));
    }
    for (const [i, peer] of peers.entries()) {
      await mediaFlowing(peer.page, 3, names[i]);
      const c = await mediaCounters(peer.page);
      assert.equal(c.connections, 3, `${names[i]} has one connection per other peer`);
      const shown = await until(async () => {
        const t = await tiles(peer.page);
        return t.filter((x) => x.playing).length === 4 && t;
      }, `${names[i]} shows four playing tiles`);
      assert.deepEqual(shown.map((x) => x.name).sort(), [...names].sort());
    }
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
