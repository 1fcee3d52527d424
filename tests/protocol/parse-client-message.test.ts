import assert from "node:assert/strict";
import { charCount, parseClientMessage } from "../../protocol/parse-client-message.ts";

function code(text: string) {
  const r = parseClientMessage(text);
  return r.ok ? "ok" : r.code;
}

Deno.test("join: validates room and trims name", () => {
  const r = parseClientMessage('{"type":"join","room":"team-sync_1","name":"  Ana  "}');
  assert.deepEqual(r, { ok: true, message: { type: "join", room: "team-sync_1", name: "Ana" } });
  assert.equal(code('{"type":"join","room":"","name":"A"}'), "bad-room");
  assert.equal(code(`{"type":"join","room":"${"a".repeat(65)}","name":"A"}`), "bad-room");
  assert.equal(code('{"type":"join","room":"a b","name":"A"}'), "bad-room");
  assert.equal(code('{"type":"join","room":"../x","name":"A"}'), "bad-room");
  assert.equal(code('{"type":"join","room":7,"name":"A"}'), "bad-room");
  assert.equal(code('{"type":"join","room":"r","name":"   "}'), "bad-name");
  assert.equal(code(`{"type":"join","room":"r","name":"${"n".repeat(65)}"}`), "bad-name");
  assert.equal(code('{"type":"join","room":"r","name":"a\\u0000b"}'), "bad-name");
  assert.equal(code('{"type":"join","room":"r","name":"a\\u0085b"}'), "bad-name");
  assert.equal(code('{"type":"join","room":"r","name":["A"]}'), "bad-name");
  assert.equal(code('{"type":"join","room":"r","name":"\\ud800"}'), "bad-name"); // lone surrogate
  assert.equal(code('{"type":"join","room":"r","name":"a\\udfffb"}'), "bad-name");
  assert.equal(code('{"type":"join","room":"r","name":"A","resume":5}'), "bad-message");
  // 64 emoji are 64 characters, though 128 UTF-16 units.
  assert.equal(code(`{"type":"join","room":"r","name":"${"😀".repeat(64)}"}`), "ok");
  assert.equal(charCount("😀a"), 2);
});

Deno.test("join: media is none (a browser without WebRTC) or absent", () => {
  const r = parseClientMessage('{"type":"join","room":"r","name":"A","media":"none"}');
  assert.deepEqual(r, { ok: true, message: { type: "join", room: "r", name: "A", media: "none" } });
  for (const bad of ['"all"', "false", "null", "{}", '"NONE"']) {
    assert.equal(code(`{"type":"join","room":"r","name":"A","media":${bad}}`), "bad-message");
  }
});

Deno.test("join: copies only known fields", () => {
  const r = parseClientMessage(
    '{"type":"join","room":"r","name":"A","__proto__":{"admin":true},"id":"forged"}',
  );
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.message), ["type", "room", "name"]);
  assert.equal(({} as Record<string, unknown>).admin, undefined);
});

Deno.test("signal, chat, state, leave: shapes", () => {
  assert.equal(code('{"type":"signal","to":"p1","data":{"sdp":"v=0"}}'), "ok");
  assert.equal(code('{"type":"signal","to":"p1","data":"x"}'), "bad-message");
  assert.equal(code('{"type":"signal","to":"p1","data":[1]}'), "bad-message");
  assert.equal(code('{"type":"signal","to":"p1","data":null}'), "bad-message");
  assert.equal(code('{"type":"signal","data":{}}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"hi\\nthere"}'), "ok");
  assert.equal(code('{"type":"chat","text":""}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"  "}'), "bad-message");
  assert.equal(code(`{"type":"chat","text":"${"x".repeat(2000)}"}`), "ok");
  assert.equal(code(`{"type":"chat","text":"${"x".repeat(2001)}"}`), "bad-message");
  assert.equal(code('{"type":"chat","text":"a\\u0007"}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"hi \\ud83d"}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"hi \\ud83d\\ude00"}'), "ok"); // a real emoji pair
  assert.equal(code('{"type":"state","state":{"audio":true,"video":false,"screen":false}}'), "ok");
  assert.equal(
    code('{"type":"state","state":{"audio":1,"video":false,"screen":false}}'),
    "bad-message",
  );
  assert.equal(code('{"type":"state","state":{"audio":true}}'), "bad-message");
  assert.equal(code('{"type":"leave"}'), "ok");
});

Deno.test("garbage: never throws, always bad-message", () => {
  for (
    const text of [
      "",
      "not json",
      '{"type":"join"',
      "null",
      "[]",
      "42",
      '"join"',
      "{}",
      '{"type":5}',
      '{"type":"teleport"}',
      "[".repeat(100000),
      '{"type":"chat","text":1e999}',
    ]
  ) {
    assert.equal(code(text), "bad-message", text.slice(0, 40));
  }
});

Deno.test("names look like what they are: no direction controls, something visible", () => {
  const name = (n: string) => code(JSON.stringify({ type: "join", room: "r", name: n }));
  assert.equal(name("Ana\u202Egnp.exe"), "bad-name"); // right-to-left override
  for (const c of ["\u200e", "\u200f", "\u061c", "\u202a", "\u202d", "\u2066", "\u2069"]) {
    assert.equal(name(`Ana${c}`), "bad-name", `U+${c.codePointAt(0)!.toString(16)}`);
  }
  assert.equal(name("\u200b\u200b\u200b"), "bad-name"); // zero-width spaces only
  assert.equal(name("\u{E0041}\u{E0042}"), "bad-name"); // tag characters only
  assert.equal(name("\u3164"), "bad-name"); // Hangul filler
  assert.equal(name("\u2800\u2800"), "bad-name"); // braille blanks
  assert.equal(name("\u200d\u00a0\u2060"), "bad-name");
  // Real names in any script, and emoji sequences held together by zero-width joiners.
  for (const ok of ["Ana", "עדי", "محمد", "李雷", "Zoë", "👩‍👩‍👧", "A\u200dB"]) {
    assert.equal(name(ok), "ok", ok);
  }
  const r = parseClientMessage('{"type":"join","room":"r","name":"\\u200b"}');
  assert.ok(!r.ok && r.message === "Cannot join: name must contain a visible character");
});

Deno.test("chat of nothing visible is refused; too-long tokens say so", () => {
  assert.equal(code('{"type":"chat","text":"\\u200b\\u200b"}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"\\u2060\\ufeff\\u200c"}'), "bad-message");
  assert.equal(code('{"type":"chat","text":"hi \\u200b"}'), "ok");
  const r = parseClientMessage(
    JSON.stringify({ type: "join", room: "r", name: "A", token: "x".repeat(4097) }),
  );
  assert.ok(!r.ok);
  assert.equal(r.message, "Cannot join: token must be a string of at most 4096 characters");
});

Deno.test("hand and react: shapes, and only the six reactions", () => {
  assert.equal(code('{"type":"hand","raised":true}'), "ok");
  assert.equal(code('{"type":"hand","raised":false}'), "ok");
  assert.equal(code('{"type":"hand"}'), "bad-message");
  assert.equal(code('{"type":"hand","raised":"true"}'), "bad-message");
  for (const emoji of ["👍", "👏", "😂", "❤️", "🎉", "😮"]) {
    assert.equal(code(JSON.stringify({ type: "react", emoji })), "ok", emoji);
  }
  for (const emoji of ["❤", "👍🏽", "x", "", null, 1, ["👍"]]) {
    assert.equal(code(JSON.stringify({ type: "react", emoji })), "bad-message", String(emoji));
  }
  const r = parseClientMessage('{"type":"react","emoji":"👍","from":"forged"}');
  assert.deepEqual(r, { ok: true, message: { type: "react", emoji: "👍" } });
});

Deno.test("sfu and sfu-view: strict shapes, only known fields", () => {
  const offer = parseClientMessage(JSON.stringify({
    type: "sfu",
    pc: "pub",
    jsep: { type: "offer", sdp: "v=0", extra: 1 },
    video: { camera: "1", screen: "2" },
    junk: true,
  }));
  assert.deepEqual(offer, {
    ok: true,
    message: {
      type: "sfu",
      pc: "pub",
      jsep: { type: "offer", sdp: "v=0" },
      video: { camera: "1", screen: "2" },
    },
  });
  const candidate = parseClientMessage(JSON.stringify({
    type: "sfu",
    pc: "sub",
    candidate: { candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host", sdpMid: "0", x: 1 },
  }));
  assert.deepEqual(candidate, {
    ok: true,
    message: {
      type: "sfu",
      pc: "sub",
      candidate: { candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host", sdpMid: "0" },
    },
  });
  assert.equal(code('{"type":"sfu","pc":"pub","candidate":null}'), "ok");
  for (
    const bad of [
      '{"type":"sfu","pc":"x","candidate":null}',
      '{"type":"sfu","pc":"pub"}', // neither
      '{"type":"sfu","pc":"pub","candidate":null,"jsep":{"type":"offer","sdp":""}}', // both
      '{"type":"sfu","pc":"pub","jsep":{"type":"answer","sdp":""}}', // pub sends offers
      '{"type":"sfu","pc":"sub","jsep":{"type":"offer","sdp":""}}', // sub sends answers
      '{"type":"sfu","pc":"pub","jsep":{"type":"offer","sdp":7}}',
      '{"type":"sfu","pc":"pub","jsep":{"type":"offer","sdp":""},"video":{"mic":"0"}}',
      '{"type":"sfu","pc":"pub","jsep":{"type":"offer","sdp":""},"video":{"camera":"a b"}}',
      '{"type":"sfu","pc":"sub","candidate":{"candidate":5}}',
      '{"type":"sfu","pc":"sub","candidate":{"candidate":"c","sdpMLineIndex":-1}}',
      '{"type":"sfu-view","video":[]}',
      '{"type":"sfu-view","video":{"a":"huge"}}',
      `{"type":"sfu-view","video":{"${"x".repeat(65)}":"low"}}`,
    ]
  ) assert.equal(code(bad), "bad-message", bad);
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, "low"]));
  assert.equal(code(JSON.stringify({ type: "sfu-view", video: many })), "bad-message");
  const view = parseClientMessage('{"type":"sfu-view","video":{"a":"high","__proto__":"low"}}');
  assert.ok(view.ok && view.message.type === "sfu-view");
  // A key named __proto__ is just a (harmless) peer id: it cannot reach a prototype.
  assert.deepEqual(Object.keys(view.message.video).sort(), ["__proto__", "a"]);
  assert.equal(Object.getPrototypeOf(view.message.video), null);
});

Deno.test("breakout: each action's shape; plans are bounded; only known fields", () => {
  const ok = (msg: unknown) => assert.equal(code(JSON.stringify(msg)), "ok", JSON.stringify(msg));
  const bad = (msg: unknown) =>
    assert.equal(code(JSON.stringify(msg)), "bad-message", JSON.stringify(msg));
  const open = { type: "breakout", action: "open", assign: "hand", rooms: [{ name: "Red" }] };
  ok(open);
  ok({ ...open, assign: "auto", seconds: 5 });
  ok({ ...open, assign: "choose", rooms: [{ name: "A", people: ["x", "y"] }] });
  bad({ ...open, assign: "random" });
  bad({ ...open, rooms: [] });
  bad({ ...open, rooms: Array.from({ length: 51 }, (_, i) => ({ name: `G${i}` })) });
  bad({ ...open, rooms: [{ name: "" }] });
  bad({ ...open, rooms: [{ name: "A\u202e" }] });
  bad({ ...open, rooms: ["Red"] });
  bad({ ...open, rooms: [{ name: "A", people: [1] }] });
  bad({ ...open, rooms: [{ name: "A", people: Array.from({ length: 201 }, (_, i) => `p${i}`) }] });
  for (const seconds of [4, 14_401, 1.5, "60", null]) bad({ ...open, seconds });
  ok({ type: "breakout", action: "move", to: "abc", room: "g1" });
  ok({ type: "breakout", action: "move", to: "abc", room: null });
  bad({ type: "breakout", action: "move", to: "abc" });
  bad({ type: "breakout", action: "move", room: "g1" });
  ok({ type: "breakout", action: "join", room: null });
  bad({ type: "breakout", action: "join", room: 3 });
  ok({ type: "breakout", action: "broadcast", text: "Five minutes left" });
  bad({ type: "breakout", action: "broadcast", text: " " });
  bad({ type: "breakout", action: "broadcast", text: "x".repeat(2001) });
  ok({ type: "breakout", action: "close" });
  bad({ type: "breakout", action: "explode" });
  bad({ type: "breakout" });
  const r = parseClientMessage(
    '{"type":"breakout","action":"open","assign":"hand","rooms":[{"name":" Red ","people":["a"],"x":1}],"by":"forged"}',
  );
  assert.deepEqual(r, {
    ok: true,
    message: {
      type: "breakout",
      action: "open",
      assign: "hand",
      rooms: [{ name: "Red", people: ["a"] }],
    },
  });
  const e = parseClientMessage('{"type":"breakout","action":"open","assign":"hand","rooms":[]}');
  assert.ok(!e.ok && e.message === "Cannot open breakout rooms: rooms must list 1–50 groups");
});
