/**
 * Hostile input: over 10 000 random and malformed frames from several
 * connections at a running server, while two well-behaved peers exchange
 * signals in another room. The server must answer every bad frame with an
 * error, never crash, and the good peers must lose nothing.
 * The generator is seeded; a failure prints the seed to replay it.
 */
import assert from "node:assert/strict";
import { type TestClient, withServer } from "../test-server.ts";

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Frame = string | Uint8Array<ArrayBuffer>;

/** Frames that are wrong whatever the state; none of them is a valid message. */
function badFrame(rand: () => number, joined: boolean): Frame {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  // Printable ASCII without `"` and `\\`: an escape could shrink an "oversized"
  // name back to a valid length and turn a bad frame into a real join.
  const str = (n: number) =>
    Array.from({ length: n }, () => {
      const c = String.fromCharCode(32 + Math.floor(rand() * 95));
      return c === '"' || c === "\\" ? "x" : c;
    }).join("");
  const valid = [
    '{"type":"join","room":"fuzz-room","name":"Fuzzy"}',
    '{"type":"signal","to":"abc","data":{"sdp":"v=0"}}',
    '{"type":"chat","text":"hello there"}',
    '{"type":"breakout","action":"open","assign":"hand","rooms":[{"name":"A","people":["x"]}],"seconds":60}',
    '{"type":"breakout","action":"move","to":"abc","room":"g1"}',
    '{"type":"breakout","action":"join","room":null}',
    '{"type":"breakout","action":"broadcast","text":"hi all"}',
    '{"type":"breakout","action":"close"}',
    '{"type":"state","state":{"audio":true,"video":false,"screen":false}}',
  ];
  const depth = 100 + Math.floor(rand() * 5000);
  const kinds: Array<() => Frame> = [
    // truncated JSON: any proper prefix of an object is invalid
    () => {
      const v = pick(valid);
      return v.slice(0, Math.floor(rand() * (v.length - 1)));
    },
    // huge numbers and wrong types
    () =>
      `{"type":"chat","text":${
        pick(["1e999", "-1e999", "12345678901234567890123456789", "true", "null", "[]", "{}"])
      }}`,
    () => `{"type":"signal","to":${pick(["1e308", "0", "null", "{}", "[]"])},"data":{}}`,
    () =>
      `{"type":${
        pick(["1", "null", "[]", "{}", "true", '""', '"JOIN"', '"__proto__"', '"constructor"'])
      }}`,
    () =>
      `{"type":"state","state":{"audio":"yes","video":${
        pick(["1", "null", '"x"'])
      },"screen":false}}`,
    () => `{"type":"join","room":${pick(["7", "null", "[]", '{"$ne":1}'])},"name":"x"}`,
    () => `{"type":"join","room":"r","name":${pick(["7", "null", "[]", "{}", "false"])}}`,
    // deep nesting
    () => `{"type":"signal","to":"x","data":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    () => `${"[".repeat(depth)}${"]".repeat(depth)}`,
    () => `{"type":"chat","text":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
    // unicode edge cases (rooms are ASCII only; names must not be empty or too long)
    () =>
      `{"type":"join","room":"${
        pick(["ру́м", "室", "r\\ud800", "emoji-😀", "a b", "../x", "%2e%2e"])
      }","name":"x"}`,
    () =>
      `{"type":"join","room":"ok","name":"${
        pick(["\\ud800", "\\u0000", "\\u0007bell", "\\u001b[31m", "\\u0085", "\\u007f", "   "])
      }"}`,
    () => `{"type":"chat","text":"${pick(["\\u0000", "\\u0008", "\\u001b[2J", "\\u007f"])}"}`,
    // oversized fields (still under the frame limit)
    () => `{"type":"join","room":"r","name":"${str(65 + Math.floor(rand() * 3000))}"}`,
    () => `{"type":"join","room":"${"r".repeat(65 + Math.floor(rand() * 1000))}","name":"x"}`,
    () => `{"type":"chat","text":"${"x".repeat(2001 + Math.floor(rand() * 20000))}"}`,
    // prototype pollution attempts
    () => '{"__proto__":{"type":"leave"}}',
    () => '{"type":"join","__proto__":{"room":"r","name":"n"}}',
    () => '{"type":"state","state":{"__proto__":{"audio":true,"video":true,"screen":true}}}',
    () => '{"type":"signal","to":"x","data":"__proto__"}',
    () => '{"constructor":{"prototype":{"polluted":true}},"type":5}',
    // not JSON at all, and binary frames
    () => pick(["", " ", "null", "42", '"join"', "undefined", "NaN", "{type:'join'}", str(50)]),
    () => crypto.getRandomValues(new Uint8Array(1 + Math.floor(rand() * 200))),
  ];
  if (joined) {
    // valid shape, but wrong for this connection's state
    kinds.push(() => `{"type":"signal","to":"${str(12).replace(/["\\]/g, "")}","data":{"x":1}}`);
    kinds.push(() => '{"type":"join","room":"again","name":"Again"}');
  } else {
    kinds.push(() => pick(valid.slice(1))); // before join: not-in-room
    kinds.push(() => '{"type":"leave"}');
  }
  return pick(kinds)();
}

Deno.test("fuzz: 10 000+ bad frames, every one answered, the server and good peers unharmed", () =>
  withServer(async (server, connect) => {
    const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 1e9);
    const rand = prng(seed);
    const good = [await connect(), await connect()];
    const ids = [(await good[0].join("good", "A")).id, (await good[1].join("good", "B")).id];
    const fuzzers: TestClient[] = [];
    for (let i = 0; i < 8; i++) {
      const c = await connect();
      if (i % 2) await c.join(`fuzz-${i}`, `F${i}`); // half of them inside a room
      fuzzers.push(c);
    }
    const perFuzzer = 1300; // 10 400 frames in all
    const signals = 400;
    let sentGood = 0;
    for (let round = 0; round < perFuzzer; round += 100) {
      for (const [i, c] of fuzzers.entries()) {
        for (let k = 0; k < 100; k++) c.sendRaw(badFrame(rand, i % 2 === 1));
      }
      // The good peers keep talking in the middle of it.
      for (let k = 0; k < signals / (perFuzzer / 100) && sentGood < signals; k++, sentGood++) {
        good[sentGood % 2].send({
          type: "signal",
          to: ids[(sentGood + 1) % 2],
          data: { n: sentGood },
        });
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    while (sentGood < signals) {
      good[sentGood % 2].send({
        type: "signal",
        to: ids[(sentGood + 1) % 2],
        data: { n: sentGood },
      });
      sentGood++;
    }
    const context = `(replay with FUZZ_SEED=${seed})`;
    // Every bad frame gets exactly one error back.
    for (const c of fuzzers) {
      const deadline = Date.now() + 20000;
      while (
        c.received.filter((m) => m.type === "error").length < perFuzzer && Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const errors = c.received.filter((m) => m.type === "error");
      assert.equal(errors.length, perFuzzer, `errors for ${perFuzzer} frames ${context}`);
      for (const e of errors) {
        assert.ok(
          ["bad-message", "bad-room", "bad-name", "not-in-room", "already-joined", "unknown-peer"]
            .includes(e.code),
          `${e.code} ${context}`,
        );
      }
      assert.equal(c.socket.readyState, WebSocket.OPEN, `fuzzer connection kept ${context}`);
    }
    // The good peers lost nothing, in order.
    for (const [i, peer] of good.entries()) {
      const got: number[] = [];
      for (let k = 0; k < signals / 2; k++) {
        const s = await peer.next("signal", 10000);
        got.push((s.data as { n: number }).n);
      }
      assert.deepEqual(
        got,
        Array.from({ length: signals / 2 }, (_, k) => 2 * k + (1 - i)),
        context,
      );
    }
    // Nothing leaked into the prototype chain, and the server still serves.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).room, undefined);
    const health = await fetch(`${server.origin}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "ok");
    assert.equal(server.registry.peerCount, 6, "no seat leaked"); // the whole cluster's, if one
  }, { rateBurst: 1e9, ratePerSecond: 1e9 }));
