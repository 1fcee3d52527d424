/**
 * Several instances sharing rooms through Redis: what crosses instances, and
 * what happens when an instance or Redis fails. (The whole protocol suite
 * also runs against a two-instance cluster: `npm run test:cluster`.)
 */
import assert from "node:assert/strict";
import { type ListeningProcess, startServerProcess } from "../../../scripts/spawn-listening.ts";
import { untilHealthy } from "../../shared/raw-http.ts";
import { startRedis } from "../../shared/redis-server.ts";
import { until } from "../../shared/until.ts";
import {
  clusterReady,
  joinThenVanish,
  startTestCluster,
  startTestServer,
  TestClient,
} from "../test-server.ts";

Deno.test("two instances, one room: presence, signal, chat order, state, room-full", async () => {
  const cluster = await startTestCluster({ maxPeers: 3 });
  const [one, two] = cluster.instances;
  const clients: TestClient[] = [];
  const on = async (server: typeof one) => {
    const c = await TestClient.connect(server);
    clients.push(c);
    return c;
  };
  try {
    const a = await on(one);
    const b = await on(two);
    const ja = await a.join("mix", "Ana");
    const jb = await b.join("mix", "Bo");
    assert.deepEqual(
      jb.peers.map((p) => p.id),
      [ja.id],
      "joined lists the peer on the other instance",
    );
    assert.equal((await a.next("peer-joined")).peer.id, jb.id);
    assert.equal(one.registry.peerCount, 1);
    assert.equal(two.registry.peerCount, 1);

    a.send({ type: "signal", to: jb.id, data: { sdp: "offer" } });
    assert.deepEqual(await b.next("signal"), {
      type: "signal",
      from: ja.id,
      data: { sdp: "offer" },
    });
    b.send({ type: "signal", to: "nobody", data: {} });
    assert.equal((await b.next("error")).code, "unknown-peer");

    // Both talk at once from different instances: everyone sees one order.
    for (let i = 0; i < 20; i++) {
      a.send({ type: "chat", text: `a${i}` });
      b.send({ type: "chat", text: `b${i}` });
    }
    const seen = async (c: TestClient) => {
      const out: string[] = [];
      for (let i = 0; i < 40; i++) out.push((await c.next("chat")).text);
      return out;
    };
    const [byA, byB] = [await seen(a), await seen(b)];
    assert.deepEqual(byA, byB);

    a.send({ type: "state", state: { audio: true, video: true, screen: false } });
    assert.equal((await b.next("peer-state")).state.video, true);
    const c = await on(one);
    const jc = await c.join("mix", "Cy");
    assert.deepEqual(
      jc.peers.find((p) => p.id === ja.id)?.state,
      { audio: true, video: true, screen: false },
      "a later joiner sees the state set on the other instance",
    );
    // MAX_PEERS counts the whole room, wherever the peers are.
    const d = await on(two);
    d.send({ type: "join", room: "mix", name: "Dee" });
    assert.equal((await d.next("error")).code, "room-full");
    // Rooms stay isolated across instances too.
    const e = await on(two);
    await e.join("other", "Eve");
    await e.nothing("peer-joined");
    e.send({ type: "signal", to: ja.id, data: {} });
    assert.equal((await e.next("error")).code, "unknown-peer");

    // Junk on the room's channel (another app sharing the Redis) is ignored.
    for (
      const junk of ["garbage", "x\ny", "1e99\nj\nid\n{", `${Number.MAX_SAFE_INTEGER}\nj\nid\n{`]
    ) {
      await new Deno.Command("redis-cli", {
        args: ["-p", String(cluster.redis.port), "PUBLISH", "video-room:room:mix", junk],
        stdout: "null",
      }).output();
    }
    c.send({ type: "leave" });
    assert.equal((await b.next("peer-left")).id, jc.id);
    assert.equal((await a.next("peer-left")).id, jc.id);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await cluster.shutdown();
  }
});

Deno.test("a resume token works on the other instance; grace ends on any instance", async () => {
  const cluster = await startTestCluster({ resumeGraceMs: 300 });
  const [one, two] = cluster.instances;
  const watcher = await TestClient.connect(two);
  try {
    await watcher.join("r", "W");
    const { id, resume } = await joinThenVanish(one.port, "r", "Ana");
    assert.equal((await watcher.next("peer-joined")).peer.id, id);
    const back = await TestClient.connect(two);
    const j = await back.join("r", "Ana", resume);
    assert.equal(j.id, id);
    assert.equal(j.resumed, true);
    await watcher.nothing("peer-left", 500);
    watcher.send({ type: "signal", to: id, data: { hi: 1 } });
    assert.deepEqual((await back.next("signal")).data, { hi: 1 });
    await back.close(4002); // now it drops for good: the grace ends on its own
    assert.equal((await watcher.next("peer-left", 3000)).id, id);
  } finally {
    await watcher.close();
    await cluster.shutdown();
  }
});

Deno.test("Redis down: health 503 with the reason, joins 'unavailable', calls kept; it recovers alone", async () => {
  const cluster = await startTestCluster({ resumeGraceMs: 5000 });
  const [one, two] = cluster.instances;
  const clients: TestClient[] = [];
  try {
    const a = await TestClient.connect(one);
    const b = await TestClient.connect(two);
    clients.push(a, b);
    const ja = await a.join("calm", "Ana");
    const jb = await b.join("calm", "Bo");
    await a.next("peer-joined");

    await cluster.redis.kill();
    await until(() => one.registry.unavailable && two.registry.unavailable, "outage noticed", 5000);
    const health = await fetch(`${one.origin}/healthz`);
    assert.equal(health.status, 503);
    const body = await health.json();
    assert.equal(body.status, "unavailable");
    assert.match(body.reason, /Redis/);
    const metrics = await fetch(`${one.origin}/metrics`);
    assert.match(await metrics.text(), /^video_room_available 0$/m);
    const late = await TestClient.connect(two);
    clients.push(late);
    late.send({ type: "join", room: "calm", name: "Late" });
    const refused = await late.next("error");
    assert.equal(refused.code, "unavailable");
    assert.match(refused.message, /^Cannot join: /);
    a.send({ type: "chat", text: "anyone?" });
    assert.equal((await a.next("error")).code, "unavailable");
    assert.equal(a.socket.readyState, WebSocket.OPEN, "existing connections are kept");
    assert.equal(b.socket.readyState, WebSocket.OPEN);

    await cluster.redis.start(); // empty: persistence is off
    await clusterReady(cluster.instances);
    const healthy = await fetch(`${two.origin}/healthz`);
    assert.equal(healthy.status, 200);
    await healthy.body?.cancel();
    // The instances put their seats back: the call goes on, newcomers see both.
    a.send({ type: "signal", to: jb.id, data: { again: true } });
    assert.deepEqual((await b.next("signal")).data, { again: true });
    late.send({ type: "join", room: "calm", name: "Late" });
    const jl = await late.next("joined");
    assert.deepEqual(jl.peers.map((p) => p.id).sort(), [ja.id, jb.id].sort());
    assert.equal((await a.next("peer-joined")).peer.id, jl.id);
    await a.nothing("peer-left");
    await b.nothing("peer-left");
    // Resume tokens were restored too.
    await a.close(4002);
    const back = await TestClient.connect(two);
    clients.push(back);
    assert.equal((await back.join("calm", "Ana", ja.resume)).id, ja.id);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await cluster.shutdown();
  }
});

Deno.test("Redis restarts with its data: instances take up where they were, nobody is reported gone", async () => {
  // No grace at all: a peer judged dead would be reported gone at once.
  const cluster = await startTestCluster({ resumeGraceMs: 0 }, 2, { persistent: true });
  const [one, two] = cluster.instances;
  const a = await TestClient.connect(one);
  const b = await TestClient.connect(two);
  try {
    const ja = await a.join("kept", "Ana");
    const jb = await b.join("kept", "Bo");
    await a.next("peer-joined");
    await cluster.redis.kill();
    await new Promise((r) => setTimeout(r, 700)); // longer than the 400 ms heartbeat expiry
    await cluster.redis.start();
    await clusterReady(cluster.instances);
    // Every heartbeat key expired meanwhile; whoever reconnects first must not
    // judge the other by it (with no grace, that would be a peer-left at once).
    await a.nothing("peer-left", 1000);
    await b.nothing("peer-left", 0);
    a.send({ type: "signal", to: jb.id, data: { kept: true } });
    assert.deepEqual((await b.next("signal")).data, { kept: true });
    b.send({ type: "signal", to: ja.id, data: { kept: true } });
    assert.deepEqual((await a.next("signal")).data, { kept: true });
  } finally {
    await a.close();
    await b.close();
    await cluster.shutdown();
  }
});

Deno.test("a peer that leaves while Redis is away is gone for the others once it returns", async () => {
  const cluster = await startTestCluster();
  const [one, two] = cluster.instances;
  const a = await TestClient.connect(one);
  const b = await TestClient.connect(two);
  try {
    await a.join("gone", "Ana");
    const jb = await b.join("gone", "Bo");
    await a.next("peer-joined");
    await cluster.redis.kill();
    await until(() => two.registry.unavailable, "outage noticed", 5000);
    await b.close(1000); // a tab closed mid-outage
    await cluster.redis.start();
    await clusterReady(cluster.instances);
    assert.equal((await a.next("peer-left", 3000)).id, jb.id);
  } finally {
    await a.close();
    await cluster.shutdown();
  }
});

Deno.test("an instance that starts before Redis serves once Redis appears", async () => {
  const redis = await startRedis();
  await redis.kill();
  const server = startTestServer({ redisUrl: redis.url });
  try {
    const health = await fetch(`${server.origin}/healthz`);
    assert.equal(health.status, 503);
    assert.match((await health.json()).reason, /Redis is unreachable/);
    await redis.start();
    await clusterReady([server]);
    const c = await TestClient.connect(server);
    assert.equal((await c.join("late", "A")).peers.length, 0);
    await c.close();
  } finally {
    await server.shutdown();
    await redis.stop();
  }
});

/** An instance as its own process, so it can be killed for real; quick heartbeats and grace. */
function instance(redisUrl: string) {
  return startServerProcess({
    REDIS_URL: redisUrl,
    REDIS_HEARTBEAT_MS: "100",
    RESUME_GRACE_MS: "1500",
  });
}

/**
 * Two instance processes on one fresh Redis, and clients that connect to a
 * chosen one; everything is stopped afterwards, whatever the test killed.
 */
async function withTwoProcesses(
  fn: (
    first: ListeningProcess,
    second: ListeningProcess,
    connect: (to: ListeningProcess) => Promise<TestClient>,
  ) => Promise<void>,
): Promise<void> {
  const redis = await startRedis();
  const first = await instance(redis.url);
  const second = await instance(redis.url);
  const clients: TestClient[] = [];
  try {
    await Promise.all([untilHealthy(first.port), untilHealthy(second.port)]);
    await fn(first, second, async (to) => {
      const c = await TestClient.connect(to);
      clients.push(c);
      return c;
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await first.stop();
    await second.stop();
    await redis.stop();
  }
}

Deno.test("kill -9 of an instance: its peers resume elsewhere, the rest are reported gone", () =>
  withTwoProcesses(async (doomed, survivor, connect) => {
    const stay = await connect(survivor);
    const mover = await connect(doomed);
    const lost = await connect(doomed);
    await stay.join("crash", "Stay");
    const jm = await mover.join("crash", "Mover");
    const jl = await lost.join("crash", "Lost");
    await stay.next("peer-joined");
    await stay.next("peer-joined");

    doomed.child.kill("SIGKILL");
    await doomed.child.status;
    assert.notEqual((await mover.closed).code, 1000);
    // The mover comes back through the surviving instance and keeps its seat.
    const back = await connect(survivor);
    const again = await back.join("crash", "Mover", jm.resume);
    assert.equal(again.id, jm.id);
    assert.equal(again.resumed, true);
    // The one that never returns is reported gone: heartbeat expiry plus its grace.
    const left = await stay.next("peer-left", 8000);
    assert.equal(left.id, jl.id);
    assert.equal((await back.next("peer-left", 3000)).id, jl.id);
    await stay.nothing("peer-left", 300);
    stay.send({ type: "signal", to: jm.id, data: { still: "here" } });
    assert.deepEqual((await back.next("signal")).data, { still: "here" });
    const newcomer = await connect(survivor);
    const jn = await newcomer.join("crash", "New");
    assert.deepEqual(jn.peers.map((p) => p.name).sort(), ["Mover", "Stay"]);
  }));

Deno.test("SIGTERM of an instance: 1012, its peers resume elsewhere, nobody sees churn", () =>
  withTwoProcesses(async (leaving, staying, connect) => {
    const watcher = await connect(staying);
    const mover = await connect(leaving);
    await watcher.join("deploy", "Watcher");
    const jm = await mover.join("deploy", "Mover");
    await watcher.next("peer-joined");

    await leaving.stop(); // SIGTERM, and waits for the exit
    assert.equal((await mover.closed).code, 1012);
    const back = await connect(staying);
    assert.equal((await back.join("deploy", "Mover", jm.resume)).id, jm.id);
    // Past the old instance's heartbeat expiry and the grace: still no churn.
    await watcher.nothing("peer-left", 2500);
    await watcher.nothing("peer-joined", 0);
  }));

Deno.test("an instance stalled past its heartbeat is taken for dead, then reclaims its seats", () =>
  withTwoProcesses(async (stalled, other, connect) => {
    const a = await connect(stalled);
    const b = await connect(other);
    const ja = await a.join("pause", "Ana");
    const jb = await b.join("pause", "Bo");
    await a.next("peer-joined");
    // A long GC pause, a VM migration: the process stops without closing anything.
    Deno.kill(stalled.pid, "SIGSTOP");
    await new Promise((r) => setTimeout(r, 700)); // past the 300 ms heartbeat expiry
    Deno.kill(stalled.pid, "SIGCONT");
    // Back within the grace: it reclaims Ana's seat, so nobody ever sees her leave.
    await b.nothing("peer-left", 2000); // longer than the 1.5 s grace
    a.send({ type: "signal", to: jb.id, data: { after: "pause" } });
    assert.deepEqual((await b.next("signal")).data, { after: "pause" });
    b.send({ type: "signal", to: ja.id, data: { welcome: "back" } });
    assert.deepEqual((await a.next("signal")).data, { welcome: "back" });
    assert.equal(a.socket.readyState, WebSocket.OPEN);
  }));
