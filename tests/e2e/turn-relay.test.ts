/**
 * TURN with short-lived credentials through a real coturn on loopback: peers
 * that may only use relays (ice-transport-policy="relay") connect through it,
 * and a server handing out credentials signed with the wrong secret leaves the
 * UI saying why. Needs `turnserver` (Debian package coturn; .ci/run installs it).
 */
import assert from "node:assert/strict";
import { startCoturn, TURN_SECRET } from "../shared/coturn.ts";
import {
  launchBrowser,
  mediaCounters,
  mediaFlowing,
  openPeer,
  type Peer,
  shownError,
  startServerProcess,
  until,
} from "./harness.ts";

const relayPage = (origin: string, room: string, name: string) =>
  `${origin}/?room=${room}&name=${name}&relay=1`;

Deno.test("relay-only peers connect through coturn; a wrong secret is explained", async (t) => {
  const coturn = await startCoturn();
  const browser = await launchBrowser();
  const peers: Peer[] = [];
  const turnEnv = (secret: string) => ({
    TURN_URLS: `turn:127.0.0.1:${coturn.port}?transport=udp`,
    TURN_SECRET: secret,
    TURN_TTL: "600",
  });
  try {
    await t.step("right secret: the selected pair is relay/relay on both sides", async () => {
      const server = await startServerProcess(turnEnv(TURN_SECRET));
      try {
        const room = `relay-${crypto.randomUUID().slice(0, 8)}`;
        const ana = await openPeer(browser, relayPage(server.origin, room, "Ana"), "Ana");
        const bo = await openPeer(browser, relayPage(server.origin, room, "Bo"), "Bo");
        peers.push(ana, bo);
        for (const [name, peer] of [["Ana", ana], ["Bo", bo]] as const) {
          await mediaFlowing(peer.page, 1, `${name} through the relay`);
          const { selectedPairs } = await mediaCounters(peer.page);
          assert.deepEqual(selectedPairs, ["relay/relay"], `${name}: media only through TURN`);
        }
        await ana.close();
        await bo.close();
      } finally {
        await server.stop();
      }
    });

    await t.step("wrong secret: no connection, and the UI says why", async () => {
      const server = await startServerProcess(turnEnv("not-the-coturn-secret"));
      try {
        const room = `relay-${crypto.randomUUID().slice(0, 8)}`;
        const ana = await openPeer(browser, relayPage(server.origin, room, "Ana"), "Ana");
        const bo = await openPeer(browser, relayPage(server.origin, room, "Bo"), "Bo");
        peers.push(ana, bo);
        const message = await until(
          async () => {
            const m = await shownError(ana.page);
            return m.startsWith("Cannot reach Bo") && m;
          },
          "an explanation at Ana",
          20000,
        );
        assert.match(message, /TURN relay refused our credentials \(401\)|no network path/);
        assert.equal((await mediaCounters(ana.page)).connected, 0);
      } finally {
        await server.stop();
      }
    });
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await coturn.stop();
  }
});
