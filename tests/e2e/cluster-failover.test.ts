/**
 * Instances behind a load balancer share rooms through Redis. Two browsers in
 * a call on different instances; one instance dies (kill -9), then the other
 * is stopped for a deploy (SIGTERM). Media keeps flowing, both sides
 * reconnect through the balancer and resume their seats (same connection, no
 * churn), and a newcomer still joins them.
 */
import assert from "node:assert/strict";
import { health, untilHealthy } from "../shared/raw-http.ts";
import { startRedis } from "../shared/redis-server.ts";
import { startBalancer } from "../shared/tcp-balancer.ts";
import {
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

Deno.test("cluster: instances killed or stopped mid-call, peers resume elsewhere, newcomers join", async () => {
  const redis = await startRedis();
  // Quick heartbeats, so dead instances are judged within a second.
  const env = { REDIS_URL: redis.url, REDIS_HEARTBEAT_MS: "200" };
  const servers: ServerProcess[] = [];
  const start = async () => {
    const s = await startServerProcess(env);
    servers.push(s);
    await untilHealthy(s.port);
    return s;
  };
  const [one, two] = [await start(), await start()];
  const balancer = startBalancer([one.port]); // Ana lands on one
  const browser = await launchBrowser();
  const room = `cluster-${crypto.randomUUID().slice(0, 8)}`;
  const url = (name: string) => `http://127.0.0.1:${balancer.port}/?room=${room}&name=${name}`;
  const peers: Peer[] = [];
  const peersOn = async (s: ServerProcess) => (await health(s.port)).peers;
  const kill = async (s: ServerProcess) => {
    s.child.kill("SIGKILL");
    await s.child.status;
  };
  /** Still one RTCPeerConnection per remote peer, every tile there and playing. */
  const sameCall = async (page: Peer["page"], name: string, others: number) => {
    await until(async () => (await roomState(page)) === "joined", `${name} joined`, 30000);
    assert.equal((await mediaCounters(page)).connections, others, `${name}: no new connection`);
    assert.equal((await tiles(page)).length, others + 1, `${name}: no tile lost or doubled`);
    await mediaFlowing(page, others, name);
  };
  try {
    const ana = await openPeer(browser, url("Ana"), "Ana");
    peers.push(ana);
    await until(async () => (await roomState(ana.page)) === "joined", "Ana joined");
    balancer.backends = [two.port]; // Bo lands on two
    const bo = await openPeer(browser, url("Bo"), "Bo");
    peers.push(bo);
    await mediaFlowing(ana.page, 1, "Ana before");
    await mediaFlowing(bo.page, 1, "Bo before");
    assert.deepEqual([await peersOn(one), await peersOn(two)], [1, 1], "one peer per instance");
    balancer.backends = [one.port, two.port];

    // Ana's instance dies: she comes back through the balancer on two.
    await kill(one);
    await until(async () => (await peersOn(two)) === 2, "Ana resumed on the other instance");
    await sameCall(ana.page, "Ana after her instance died", 1);
    await sameCall(bo.page, "Bo after Ana's instance died", 1);

    // Then two is stopped for a deploy (SIGTERM) with both on it: a fresh instance takes them.
    const three = await start();
    balancer.backends = [two.port, three.port];
    await two.stop();
    await until(async () => (await peersOn(three)) === 2, "both resumed on the third instance");
    await sameCall(ana.page, "Ana after the deploy", 1);
    await sameCall(bo.page, "Bo after the deploy", 1);

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
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await balancer.close();
    for (const s of servers) await s.stop();
    await redis.stop();
  }
});
