/**
 * The server's WebSocket, frame by frame (RFC 6455): what a browser sends
 * works however TCP splits it, and each way of breaking the protocol gets its
 * close code, costing only that connection.
 */
import assert from "node:assert/strict";
import { clientFrame, RawWebSocket } from "../../shared/raw-websocket.ts";
import { startTestServer, TestClient } from "../test-server.ts";

const TEXT = 0x1, BINARY = 0x2, CONT = 0x0, CLOSE = 0x8, PING = 0x9, PONG = 0xa;
const json = (o: unknown) => JSON.stringify(o);
const closePayload = (code: number, reason = "") =>
  new Uint8Array([code >> 8, code & 0xff, ...new TextEncoder().encode(reason)]);

async function withRaw(fn: (ws: RawWebSocket, port: number) => Promise<void>) {
  const server = startTestServer({ maxMessageBytes: 4096 });
  const ws = await RawWebSocket.open(server.port);
  try {
    await fn(ws, server.port);
  } finally {
    ws.close();
    await server.shutdown();
  }
}

/** A join, answered: the connection works as a protocol connection. */
async function joins(ws: RawWebSocket, room = "r") {
  await ws.write(clientFrame(TEXT, json({ type: "join", room, name: "Raw" })));
  const joined = JSON.parse(await ws.text());
  assert.equal(joined.type, "joined");
  return joined;
}

Deno.test("frames split at every byte, and many frames in one write, all arrive", () =>
  withRaw(async (ws) => {
    const frame = clientFrame(TEXT, json({ type: "join", room: "r", name: "Split" }));
    for (const byte of frame) await ws.write(new Uint8Array([byte]));
    assert.equal(JSON.parse(await ws.text()).type, "joined");
    const chats = Array.from(
      { length: 20 },
      (_, i) => clientFrame(TEXT, json({ type: "chat", text: `m${i}` })),
    );
    await ws.write(new Uint8Array(chats.flatMap((c) => [...c])));
    for (let i = 0; i < 20; i++) assert.equal(JSON.parse(await ws.text()).text, `m${i}`);
  }));

Deno.test("fragments make one message; pings between them are answered with their payload", () =>
  withRaw(async (ws) => {
    await joins(ws);
    const text = json({ type: "chat", text: "in three parts" });
    await ws.write(clientFrame(TEXT, text.slice(0, 5), { fin: false }));
    await ws.write(clientFrame(PING, "are you there"));
    const pong = await ws.frame();
    assert.equal(pong?.opcode, PONG);
    assert.equal(new TextDecoder().decode(pong!.payload), "are you there");
    await ws.write(clientFrame(CONT, text.slice(5, 12), { fin: false }));
    await ws.write(clientFrame(CONT, text.slice(12)));
    assert.equal(JSON.parse(await ws.text()).text, "in three parts");
  }));

Deno.test("a UTF-8 character split between fragments is whole again", () =>
  withRaw(async (ws) => {
    await joins(ws);
    const bytes = new TextEncoder().encode(json({ type: "chat", text: "héllo 👋" }));
    const cut = bytes.indexOf(0xf0) + 2; // inside the emoji
    await ws.write(clientFrame(TEXT, bytes.slice(0, cut), { fin: false }));
    await ws.write(clientFrame(CONT, bytes.slice(cut)));
    assert.equal(JSON.parse(await ws.text()).text, "héllo 👋");
  }));

Deno.test("binary messages reach the protocol layer (and are refused there)", () =>
  withRaw(async (ws) => {
    await joins(ws);
    await ws.write(clientFrame(BINARY, new Uint8Array([1, 2, 3])));
    const err = JSON.parse(await ws.text());
    assert.equal(err.code, "bad-message");
    assert.match(err.message, /binary/);
  }));

Deno.test("each protocol violation closes with its code and the server ends the connection", async () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ["an unmasked frame", clientFrame(TEXT, "{}", { mask: false }), 1002],
    ["reserved bits", clientFrame(TEXT, "{}", { rsv: 4 }), 1002],
    ["an unknown opcode", clientFrame(0x3, "x"), 1002],
    ["a continuation with nothing to continue", clientFrame(CONT, "x"), 1002],
    ["a fragmented ping", clientFrame(PING, "x", { fin: false }), 1002],
    ["a ping over 125 bytes", clientFrame(PING, "x".repeat(126)), 1002],
    ["text that is not UTF-8", clientFrame(TEXT, new Uint8Array([0x7b, 0xff, 0x7d])), 1007],
    ["a close frame of one byte", clientFrame(CLOSE, new Uint8Array([3])), 1002],
    ["a close code no one may send", clientFrame(CLOSE, closePayload(1005)), 1002],
    ["a close reason that is not UTF-8", clientFrame(CLOSE, new Uint8Array([3, 232, 0xff])), 1007],
    ["a message over the limit", clientFrame(TEXT, "x".repeat(5000)), 1009],
  ];
  const server = startTestServer({ maxMessageBytes: 4096 });
  try {
    const bystander = await TestClient.connect(server);
    await bystander.join("calm", "Calm");
    for (const [what, frame, code] of cases) {
      const ws = await RawWebSocket.open(server.port);
      try {
        await ws.write(frame);
        assert.equal(await ws.closeCode(), code, what);
        assert.ok(await ws.ended(), `${what}: the server ends the connection`);
      } finally {
        ws.close();
      }
    }
    // A new message while one is unfinished.
    const ws = await RawWebSocket.open(server.port);
    await ws.write(clientFrame(TEXT, "{", { fin: false }));
    await ws.write(clientFrame(TEXT, "}"));
    assert.equal(await ws.closeCode(), 1002);
    ws.close();
    // Fragments that add up past the limit: refused at the fragment that crosses it.
    const big = await RawWebSocket.open(server.port);
    await big.write(clientFrame(TEXT, "x".repeat(3000), { fin: false }));
    await big.write(clientFrame(CONT, "x".repeat(3000), { fin: false }));
    assert.equal(await big.closeCode(), 1009);
    big.close();
    bystander.send({ type: "chat", text: "still fine" });
    assert.equal((await bystander.next("chat")).text, "still fine");
    bystander.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("a client's close is answered with its code, then the server ends the connection", () =>
  withRaw(async (ws) => {
    await joins(ws);
    await ws.write(clientFrame(CLOSE, closePayload(1000, "bye")));
    assert.equal(await ws.closeCode(), 1000);
    assert.ok(await ws.ended());
  }));

Deno.test("a close without a code is answered 1000; data after a close is not read", () =>
  withRaw(async (ws) => {
    await joins(ws);
    await ws.write(
      new Uint8Array([
        ...clientFrame(CLOSE),
        ...clientFrame(TEXT, json({ type: "chat", text: "too late" })),
      ]),
    );
    assert.equal(await ws.closeCode(), 1000);
    assert.equal(await ws.frame(500), null);
  }));

Deno.test("the server's own close (shutdown) carries its code, and waits for the answer", async () => {
  const server = startTestServer();
  const ws = await RawWebSocket.open(server.port);
  try {
    await joins(ws);
    const stopping = server.shutdown();
    assert.equal(await ws.closeCode(), 1012);
    await ws.write(clientFrame(CLOSE, closePayload(1012)));
    await stopping;
    assert.ok(await ws.ended());
  } finally {
    ws.close();
    await server.shutdown();
  }
});

Deno.test("a seat left by a close frame 1000 is gone at once; any other end keeps it for a resume", async () => {
  const server = startTestServer({ resumeGraceMs: 10_000 });
  try {
    const watcher = await TestClient.connect(server);
    await watcher.join("seats", "Watcher");
    const polite = await RawWebSocket.open(server.port);
    await joins(polite, "seats");
    await watcher.next("peer-joined");
    await polite.write(clientFrame(CLOSE, closePayload(1000)));
    assert.equal((await watcher.next("peer-left", 2000)).type, "peer-left");
    polite.close();
    const dropped = await RawWebSocket.open(server.port);
    await joins(dropped, "seats");
    await watcher.next("peer-joined");
    dropped.close(); // no close frame: a network loss
    await assert.rejects(watcher.next("peer-left", 500));
    watcher.close();
  } finally {
    await server.shutdown();
  }
});
