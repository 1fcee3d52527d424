/** The request head reader: what it takes, and what it refuses with which status. */
import assert from "node:assert/strict";
import {
  findHeadEnd,
  headerHasToken,
  MAX_HEAD_BYTES,
  parseRequestHead,
} from "../../../server/net/http-request-head.ts";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const parse = (s: string) => parseRequestHead(bytes(s));
const status = (s: string) => {
  const r = parse(s);
  return r.ok ? 200 : r.refusal.status;
};

Deno.test("a plain GET: method, target, version, headers by lower-case name, keep-alive", () => {
  const r = parse("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Two: 1\r\nx-two: 2\r\n\r\n");
  assert.ok(r.ok);
  assert.equal(r.head.method, "GET");
  assert.equal(r.head.target, "/a?b=1");
  assert.equal(r.head.version, "1.1");
  assert.deepEqual(r.head.headers.get("x-two"), ["1", "2"]);
  assert.equal(r.head.keepAlive, true);
  assert.equal(r.head.hasBody, false);
});

Deno.test("keep-alive follows the version and Connection", () => {
  const keep = (s: string) => {
    const r = parse(s);
    assert.ok(r.ok);
    return r.head.keepAlive;
  };
  assert.equal(keep("GET / HTTP/1.0\r\n\r\n"), false);
  assert.equal(keep("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), true);
  assert.equal(keep("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false);
  assert.equal(keep("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, CLOSE\r\n\r\n"), false);
});

Deno.test("leading empty lines are skipped; HTTP/1.2 reads as 1.1", () => {
  assert.equal(status("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
  const r = parse("GET / HTTP/1.2\r\nHost: x\r\n\r\n");
  assert.ok(r.ok && r.head.version === "1.1");
});

Deno.test("malformed request lines are 400, other major versions 505", () => {
  for (
    const line of [
      "GET /", // HTTP/0.9
      "GET  / HTTP/1.1",
      "GET / HTTP/1.1 extra",
      "G(T / HTTP/1.1",
      "GET /a b HTTP/1.1",
      "GET /\x7f HTTP/1.1",
      "GET /\xe9 HTTP/1.1",
      "GET / HTTP/1",
      "GET / http/1.1",
      "GET / HTTP/1.10",
      "GET / HTTP/x.y",
      " GET / HTTP/1.1",
    ]
  ) {
    assert.equal(status(`${line}\r\nHost: x\r\n\r\n`), 400, JSON.stringify(line));
  }
  assert.equal(status("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  assert.equal(status("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505);
  assert.equal(status("GET / HTTP/0.9\r\n\r\n"), 505);
  assert.equal(status(`GET /${"a".repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414);
});

Deno.test("malformed fields are 400: folding, no name, spaces before the colon, controls, bare LF", () => {
  for (
    const fields of [
      "Host: x\r\n folded",
      "Host: x\r\n: no name",
      "Host: x\r\nBad Name: 1",
      "Host : x",
      "Host: x\r\nX: a\x01b",
      "Host: x\r\nX: a\0b",
      "Host: x\r\nX: a\rb",
      "Host: x\r\nNoColon",
    ]
  ) {
    assert.equal(status(`GET / HTTP/1.1\r\n${fields}\r\n\r\n`), 400, JSON.stringify(fields));
  }
  assert.equal(status("GET / HTTP/1.1\nHost: x\n\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: x\n\r\n"), 400);
});

Deno.test("Host: exactly one for HTTP/1.1, and well formed", () => {
  assert.equal(status("GET / HTTP/1.1\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"), 400);
  assert.equal(status("GET / HTTP/1.1\r\nHost: [::1]:8000\r\n\r\n"), 200);
  assert.equal(status("GET / HTTP/1.1\r\nHost: \r\n\r\n"), 200);
  assert.equal(status("GET / HTTP/1.0\r\n\r\n"), 200);
});

Deno.test("bodies: lengths that agree are one, anything ambiguous is 400", () => {
  const body = (fields: string) => {
    const r = parse(`POST / HTTP/1.1\r\nHost: x\r\n${fields}\r\n\r\n`);
    return r.ok ? r.head.hasBody : r.refusal.status;
  };
  assert.equal(body("Content-Length: 0"), false);
  assert.equal(body("Content-Length: 5"), true);
  assert.equal(body("Content-Length: 5, 5"), true);
  assert.equal(body("Content-Length: 5\r\nContent-Length: 5"), true);
  assert.equal(body("Transfer-Encoding: chunked"), true);
  assert.equal(body("Content-Length: 5\r\nContent-Length: 6"), 400);
  assert.equal(body("Content-Length: 5, 6"), 400);
  assert.equal(body("Content-Length: -1"), 400);
  assert.equal(body("Content-Length: 1e3"), 400);
  assert.equal(body("Content-Length: 99999999999999999999"), 400);
  assert.equal(body("Content-Length: "), 400);
  assert.equal(body("Content-Length: 3\r\nTransfer-Encoding: chunked"), 400);
  assert.equal(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
});

Deno.test("too many fields or too many bytes: 431", () => {
  const many = Array.from({ length: 101 }, (_, i) => `X-${i}: 1`).join("\r\n");
  assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`), 431);
  const big = `GET / HTTP/1.1\r\nHost: x\r\nX: ${"a".repeat(MAX_HEAD_BYTES)}\r\n\r\n`;
  assert.equal(status(big), 431);
});

Deno.test("the head's end: CRLF CRLF, or a bare LF blank line; -1 until then", () => {
  assert.equal(findHeadEnd(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nrest"), 30), 27);
  assert.equal(findHeadEnd(bytes("GET / HTTP/1.1\n\nrest"), 20), 16);
  assert.equal(findHeadEnd(bytes("GET / HTTP/1.1\r\nHost: x\r\n"), 25), -1);
  assert.equal(findHeadEnd(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r"), 26), -1);
});

Deno.test("token lists read in any case, across repeated fields", () => {
  const r = parse(
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nConnection: Upgrade\r\n\r\n",
  );
  assert.ok(r.ok);
  assert.equal(headerHasToken(r.head, "connection", "upgrade"), true);
  assert.equal(headerHasToken(r.head, "connection", "close"), false);
});
