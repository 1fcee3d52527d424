import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { importTurnSecret, turnCredentials } from "../../../server/session/turn-credentials.ts";
import { withServer } from "../test-server.ts";

const SECRET = "turn-shared-secret";

Deno.test("credentials follow the coturn REST scheme", async () => {
  const turn = {
    urls: ["turn:127.0.0.1:3478"],
    key: await importTurnSecret(SECRET),
    ttlSeconds: 600,
  };
  const c = await turnCredentials(turn, "peer1", 1_800_000_000);
  assert.equal(c.username, "1800000600:peer1");
  // An independent HMAC implementation agrees.
  assert.equal(c.credential, createHmac("sha1", SECRET).update(c.username).digest("base64"));
  assert.deepEqual(c.urls, ["turn:127.0.0.1:3478"]);
});

Deno.test("joined carries STUN from ICE_SERVERS plus fresh TURN credentials for this peer", () =>
  withServer(async (_server, connect) => {
    const a = await connect();
    const before = Math.floor(Date.now() / 1000);
    const j = await a.join("r", "A");
    assert.equal(j.iceServers.length, 2);
    assert.deepEqual(j.iceServers[0], { urls: "stun:stun.example.com:3478" });
    const turn = j.iceServers[1];
    const [expiry, peer] = turn.username!.split(":");
    assert.equal(peer, j.id);
    assert.ok(Number(expiry) >= before + 120 && Number(expiry) <= before + 122);
    assert.equal(
      turn.credential,
      createHmac("sha1", SECRET).update(turn.username!).digest("base64"),
    );
    // A reconnect gets credentials computed anew.
    await new Promise((r) => setTimeout(r, 1100));
    await a.close(4002);
    const b = await connect();
    const again = await b.join("r", "A", j.resume);
    assert.equal(again.id, j.id);
    assert.ok(Number(again.iceServers[1].username!.split(":")[0]) > Number(expiry));
  }, {
    iceServers: [{ urls: "stun:stun.example.com:3478" }],
    turn: { urls: ["turn:127.0.0.1:3478?transport=udp"], secret: SECRET, ttlSeconds: 120 },
  }));
