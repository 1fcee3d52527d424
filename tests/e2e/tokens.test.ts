/** Room access tokens through the real UI: with a token you get in, without one you are told why. */
import assert from "node:assert/strict";
import { importTokenSecret, mintRoomToken } from "../../server/session/room-token.ts";
import {
  launchBrowser,
  mediaFlowing,
  openPeer,
  type Peer,
  roomState,
  shownError,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";

const SECRET = "e2e-room-token-secret-0123456789abcdef";

Deno.test("a token from the host site lets people in; no token, no entry", async () => {
  const server = await startServerProcess({ ROOM_TOKEN_SECRET: SECRET });
  const browser = await launchBrowser();
  const room = `private-${crypto.randomUUID().slice(0, 8)}`;
  const key = await importTokenSecret(SECRET);
  const exp = Math.floor(Date.now() / 1000) + 600;
  const peers: Peer[] = [];
  try {
    for (const name of ["Ana", "Bo"]) {
      const token = await mintRoomToken({ room, name, exp }, key);
      peers.push(
        await openPeer(browser, `${server.origin}/?room=${room}&name=guest&token=${token}`, name),
      );
    }
    await mediaFlowing(peers[0].page, 1, "Ana with a token");
    // The token's name wins over the one in the URL.
    await until(
      async () => (await tiles(peers[0].page)).find((t) => t.name === "Bo"),
      "Bo by his token name",
    );

    const mallory = await openPeer(
      browser,
      `${server.origin}/?room=${room}&name=Mallory`,
      "Mallory",
    );
    peers.push(mallory);
    await until(async () => (await roomState(mallory.page)) === "failed", "Mallory refused");
    assert.equal(await shownError(mallory.page), "Cannot join: this room needs a token");
    assert.equal((await tiles(peers[0].page)).length, 2, "nobody saw Mallory");
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});
