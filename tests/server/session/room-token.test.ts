import assert from "node:assert/strict";
import {
  base64UrlEncode,
  importTokenSecret,
  mintRoomToken,
  verifyRoomToken,
} from "../../../server/session/room-token.ts";
import { TestClient, withServer } from "../test-server.ts";

const SECRET = "s3cret-s3cret-s3cret-s3cret-s3cret-42";
const now = () => Math.floor(Date.now() / 1000);
const key = () => importTokenSecret(SECRET);

Deno.test("verifyRoomToken: valid, wildcard, name override", async () => {
  const k = await key();
  const t = await mintRoomToken({ room: "team", exp: now() + 60 }, k);
  assert.deepEqual(await verifyRoomToken(t, k, "team"), { ok: true, role: "guest" });
  const any = await mintRoomToken({ room: "*", name: "  Ana  ", exp: now() + 60 }, k);
  assert.deepEqual(await verifyRoomToken(any, k, "other"), {
    ok: true,
    name: "Ana",
    role: "guest",
  });
  // The role claim: "host" hosts; anything else is a guest.
  const host = await mintRoomToken({ room: "team", role: "host", exp: now() + 60 }, k);
  assert.deepEqual(await verifyRoomToken(host, k, "team"), { ok: true, role: "host" });
  const odd = await mintRoomToken({ room: "team", role: "admin", exp: now() + 60 }, k);
  assert.deepEqual(await verifyRoomToken(odd, k, "team"), { ok: true, role: "guest" });
});

Deno.test("verifyRoomToken: every bad token is refused with its reason", async () => {
  const k = await key();
  const other = await importTokenSecret("another-secret-another-secret-xx");
  const t = (claims: Record<string, unknown>, signer = k) => mintRoomToken(claims as never, signer);
  const cases: [string, string][] = [
    ["garbage", "malformed"],
    ["a.b", "malformed"],
    ["###.###.###", "malformed"],
    [await t({ room: "team", exp: now() + 60 }, other), "signature is not valid"],
    [await t({ room: "team", exp: now() - 1 }), "expired"],
    [await t({ room: "team" }), "no expiry"],
    [await t({ room: "team", exp: "soon" }), "no expiry"],
    [await t({ room: "team", exp: now() + 60, nbf: now() + 30 }), "not valid yet"],
    [await t({ room: "elsewhere", exp: now() + 60 }), "another room"],
    [await t({ room: "team", name: "", exp: now() + 60 }), "name must be"],
  ];
  // alg "none" with an empty signature: the classic forgery.
  const none = `${base64UrlEncode('{"alg":"none"}')}.${
    base64UrlEncode(JSON.stringify({ room: "team", exp: now() + 60 }))
  }.`;
  cases.push([none, "must be signed HS256"]);
  // A valid token with its payload swapped keeps a signature that no longer matches.
  const [h, , s] = (await t({ room: "team", exp: now() + 60 })).split(".");
  cases.push([
    `${h}.${base64UrlEncode(JSON.stringify({ room: "*", exp: now() + 9e9 }))}.${s}`,
    "signature",
  ]);
  for (const [token, reason] of cases) {
    const r = await verifyRoomToken(token, k, "team");
    assert.equal(r.ok, false, token);
    assert.match((r as { reason: string }).reason, new RegExp(reason), token);
  }
});

Deno.test("ROOM_TOKEN_SECRET: joins need a token; the token's name wins; resume needs none", () =>
  withServer(async (server, connect) => {
    const k = await key();
    const a = await connect();
    a.send({ type: "join", room: "team", name: "A" });
    const e = await a.next("error");
    assert.equal(e.code, "unauthorized");
    assert.equal(e.message, "Cannot join: this room needs a token");
    a.send({ type: "join", room: "team", name: "A", token: "not.a.token" });
    assert.equal((await a.next("error")).code, "unauthorized");
    assert.equal(server.registry.peerCount, 0, "refused peers are not added");

    const token = await mintRoomToken({ room: "team", name: "Ana (host)", exp: now() + 60 }, k);
    a.send({ type: "join", room: "team", name: "Whatever", token });
    const joined = await a.next("joined");
    const b = await connect();
    b.send({
      type: "join",
      room: "team",
      name: "B",
      token: await mintRoomToken({ room: "team", exp: now() + 60 }, k),
    });
    const jb = await b.next("joined");
    assert.equal(jb.peers[0].name, "Ana (host)");

    // A dropped seat comes back with its resume token alone.
    await a.close(4002);
    const back = await connect();
    const again = await back.join("team", "Ana", joined.resume);
    assert.equal(again.id, joined.id);
  }, { roomTokenSecret: SECRET }));

Deno.test("after the grace, a fresh join needs a token again", () =>
  withServer(async (server) => {
    const k = await key();
    const a = await TestClient.connect(server);
    a.send({
      type: "join",
      room: "team",
      name: "A",
      token: await mintRoomToken({ room: "team", exp: now() + 60 }, k),
    });
    const j = await a.next("joined");
    await a.close(4002);
    await new Promise((r) => setTimeout(r, 150)); // grace over
    const b = await TestClient.connect(server);
    try {
      b.send({ type: "join", room: "team", name: "A", resume: j.resume });
      assert.equal((await b.next("error")).code, "unauthorized");
    } finally {
      await b.close();
    }
  }, { roomTokenSecret: SECRET, resumeGraceMs: 50 }));

Deno.test("frames sent right behind a join wait for it, in order", () =>
  withServer(async (_server, connect) => {
    const k = await key();
    const a = await connect();
    const token = await mintRoomToken({ room: "team", exp: now() + 60 }, k);
    a.send({ type: "join", room: "team", name: "A", token });
    a.send({ type: "chat", text: "first words" }); // no not-in-room: it waited
    assert.equal((await a.next()).type, "joined");
    assert.equal((await a.next()).type, "chat");
  }, { roomTokenSecret: SECRET }));

Deno.test("mint-token script prints a token the server accepts", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      new URL("../../../scripts/mint-token.ts", import.meta.url).pathname,
      "--room",
      "team",
      "--name",
      "Ana",
      "--role",
      "host",
      "--ttl",
      "60",
    ],
    env: { ROOM_TOKEN_SECRET: SECRET },
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const token = new TextDecoder().decode(out.stdout).trim();
  assert.deepEqual(await verifyRoomToken(token, await key(), "team"), {
    ok: true,
    name: "Ana",
    role: "host",
  });
  const bad = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      new URL("../../../scripts/mint-token.ts", import.meta.url).pathname,
      "--room",
      "team",
    ],
    env: { ROOM_TOKEN_SECRET: "short" },
  }).output();
  assert.equal(bad.code, 1);
  assert.match(new TextDecoder().decode(bad.stderr), /^Cannot mint a token: /);
});
