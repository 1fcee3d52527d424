/**
 * What an oversized frame costs the server: it is refused from its header
 * (1009) before a byte of its payload is read, and eight senders pushing
 * 32 MiB frames at once grow the process by far less than one such frame.
 */
import assert from "node:assert/strict";
import { startServerProcess } from "../../../scripts/spawn-listening.ts";
import { clientFrame, RawWebSocket } from "../../shared/raw-websocket.ts";

const FRAME = 32 * 1024 * 1024;
const SENDERS = 8;

/** The process's resident memory (through ps: /proc needs every permission in Deno). */
async function rss(pid: number): Promise<number> {
  const { stdout } = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] })
    .output();
  return Number(new TextDecoder().decode(stdout).trim()) * 1024;
}

/** A text frame's header announcing `FRAME` bytes (masked; the key included). */
function bigHeader(): Uint8Array {
  return clientFrame(0x1, new Uint8Array(0), { length: FRAME });
}

Deno.test("a 32 MiB frame is refused from its header, before any of its payload", async () => {
  const server = await startServerProcess();
  const ws = await RawWebSocket.open(server.port);
  try {
    await ws.write(bigHeader()); // the header alone: no payload follows
    assert.equal(await ws.closeCode(2000), 1009);
  } finally {
    ws.close();
    await server.stop();
  }
});

Deno.test("eight 32 MiB frames at once grow the server by less than 64 MiB", async () => {
  const server = await startServerProcess({ MAX_CONNECTIONS_PER_IP: "50" });
  const sockets: RawWebSocket[] = [];
  try {
    for (let i = 0; i < SENDERS; i++) sockets.push(await RawWebSocket.open(server.port));
    await new Promise((r) => setTimeout(r, 300));
    const before = await rss(server.pid);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rss(server.pid).catch(() => peak));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    // Every sender pushes its whole frame as fast as the server lets it, and reads its close.
    const codes = await Promise.all(sockets.map(async (ws) => {
      const pushing = (async () => {
        if (!(await ws.write(bigHeader()))) return;
        for (let sent = 0; sent < FRAME; sent += chunk.length) {
          if (!(await ws.write(chunk))) return; // cut by the server
        }
      })();
      const code = await ws.closeCode(10_000);
      await pushing;
      return code;
    }));
    await new Promise((r) => setTimeout(r, 300));
    sampling = false;
    await sampler;
    assert.deepEqual(codes, Array(SENDERS).fill(1009));
    const grown = peak - before;
    console.log(`RSS grew by ${(grown / 1024 / 1024).toFixed(1)} MiB at most`);
    assert.ok(grown < 64 * 1024 * 1024, `grew by ${grown} bytes`);
    // And it still serves.
    const other = await RawWebSocket.open(server.port);
    other.close();
  } finally {
    for (const ws of sockets) ws.close();
    await server.stop();
  }
});
