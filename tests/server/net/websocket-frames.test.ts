/** Frame headers at every length boundary, and unmasking at every alignment. */
import assert from "node:assert/strict";
import {
  headerLengthFor,
  isValidCloseCode,
  readFrameHeader,
  unmask,
  writeFrameHeader,
} from "../../../server/net/websocket-frames.ts";
import { clientFrame } from "../../shared/raw-websocket.ts";

Deno.test("lengths at 125, 126, 65535, 65536 and beyond: written and read back", () => {
  for (const length of [0, 1, 125, 126, 127, 65535, 65536, 70000, 2 ** 32 + 5]) {
    const out = new Uint8Array(14);
    const n = writeFrameHeader(out, 0, 0x1, length);
    assert.equal(n, headerLengthFor(length));
    assert.equal(out[0], 0x81);
    // A client's frame with the same length reads back exactly.
    const frame = clientFrame(0x1, new Uint8Array(0), { length });
    const header = readFrameHeader(frame, 0, frame.length, Number.MAX_SAFE_INTEGER);
    assert.ok(header && !("close" in header));
    assert.equal(header.length, length);
    assert.equal(header.headerLength, frame.length);
  }
});

Deno.test("a header is judged as soon as its length is known, before the mask and payload", () => {
  const frame = clientFrame(0x1, new Uint8Array(0), { length: 32 * 1024 * 1024 });
  // Only the first 10 bytes (no mask key yet): already too large.
  assert.deepEqual(readFrameHeader(frame, 0, 10, 65536), {
    close: 1009,
    reason: "message too large",
  });
  assert.equal(readFrameHeader(frame, 0, 9, 65536), null);
  assert.equal(readFrameHeader(clientFrame(0x1, "hi"), 0, 5, 65536), null);
});

Deno.test("a 64-bit length with its top bit set is a protocol error", () => {
  const frame = new Uint8Array([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]);
  const header = readFrameHeader(frame, 0, frame.length, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(header, { close: 1002, reason: "length out of range" });
});

Deno.test("unmasking matches byte-wise XOR at every offset and length", () => {
  const key = [0x9a, 0x01, 0xfe, 0x37];
  for (let offset = 0; offset < 8; offset++) {
    for (const length of [0, 1, 3, 4, 5, 7, 8, 63, 64, 1001]) {
      const plain = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      const buf = new Uint8Array(4 + offset + length + 3);
      buf.set(key, 0);
      buf.set(plain.map((b, i) => b ^ key[i & 3]), 4 + offset);
      unmask(buf, 0, 4 + offset, length);
      assert.deepEqual(buf.subarray(4 + offset, 4 + offset + length), plain);
    }
  }
});

Deno.test("close codes a peer may send", () => {
  for (const ok of [1000, 1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999]) {
    assert.ok(isValidCloseCode(ok), String(ok));
  }
  for (const bad of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]) {
    assert.ok(!isValidCloseCode(bad), String(bad));
  }
});
