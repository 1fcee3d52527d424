/// <reference path="../../mocha-globals.d.ts" />
// Tokens from the embedding site: asked for at each join, reused while good, fresh after they
// run out (a reconnect an hour in), and a site's refusal said plainly.
import { expect } from "@open-wc/testing";
import {
  SignalingClient,
  type SignalingOptions,
} from "../../../../components/core/signaling/signaling-client.ts";
import { tokenExpiry, TokenSource } from "../../../../components/core/signaling/token-source.ts";
import type { RoomErrorDetail } from "../../../../components/core/room-error.ts";
import { until } from "../../test-helpers.ts";

const b64 = (o: unknown) =>
  btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
/** A JWT-shaped token (the client never checks signatures, only reads `exp`). */
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "HS256" })}.${b64(claims)}.sig`;
const now = () => Math.floor(Date.now() / 1000);

/**
 * A server socket that seats a join when its token is in `accepted`, else answers
 * `unauthorized` as the real server does; `drop()` closes the open one like a network loss.
 */
function fakeServer(accepted: (token: string | undefined) => boolean) {
  const joins: Array<string | undefined> = [];
  const sockets: FakeSocket[] = [];
  class FakeSocket extends EventTarget {
    static readonly OPEN = 1;
    readyState = 0;
    onopen: (() => void) | null = null;
    onmessage: ((e: { data: string }) => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    constructor(readonly url: string) {
      super();
      sockets.push(this);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.();
      });
    }
    send(text: string) {
      const m = JSON.parse(text);
      if (m.type !== "join") return;
      joins.push(m.token);
      const reply = accepted(m.token)
        ? { type: "joined", id: "p1", room: m.room, peers: [], resume: "r", role: "guest" }
        : {
          type: "error",
          code: "unauthorized",
          message: "Cannot join: the room token has expired",
        };
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(reply) }));
    }
    close(code = 1000, reason = "") {
      if (this.readyState === 3) return;
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }));
    }
  }
  return {
    joins,
    drop: () => sockets.at(-1)!.close(4000, "gone"),
    WebSocket: FakeSocket as unknown as typeof WebSocket,
  };
}

function client(options: Partial<SignalingOptions>, server: ReturnType<typeof fakeServer>) {
  const c = new SignalingClient({
    url: "ws://fake/ws",
    room: "r1",
    name: "Ana",
    reconnect: { baseMs: 10, maxMs: 40, maxAttempts: 4 },
    WebSocket: server.WebSocket,
    ...options,
  });
  const errors: RoomErrorDetail[] = [];
  c.on("error", (e) => errors.push(e));
  return { c, errors };
}

describe("room tokens from the site", () => {
  it("reads a token's expiry; anything unreadable has none", () => {
    expect(tokenExpiry(jwt({ exp: 123 }))).to.equal(123);
    expect(tokenExpiry("not a token")).to.equal(null);
    expect(tokenExpiry(`a.${b64({ exp: "soon" })}.c`)).to.equal(null);
  });

  it("asks the provider with the room and name, reuses a token while it is good, then asks again", async () => {
    const asked: unknown[] = [];
    let exp = now() + 300;
    const source = new TokenSource({
      tokenProvider: (request) => {
        asked.push(request);
        return jwt({ room: "r1", exp, n: asked.length });
      },
    }, { room: "r1", name: "Ana" });
    const first = await source.get();
    expect(await source.get()).to.equal(first);
    expect(asked).to.deep.equal([{ room: "r1", name: "Ana" }]);
    // 20 s before the end is too close: a fresh one.
    exp = now() + 600;
    expect(await source.get(now() + 290)).not.to.equal(first);
    expect(asked).to.have.length(2);
    source.forget();
    await source.get();
    expect(asked).to.have.length(3);
  });

  it("a reconnect after the token ran out joins with a fresh one", async () => {
    let made = 0;
    // Tokens for two seconds; the server takes only those not yet expired, as the real one.
    const server = fakeServer((t) => t !== undefined && tokenExpiry(t)! > Date.now() / 1000);
    const { c } = client({
      tokenProvider: () => jwt({ room: "r1", exp: now() + 2, n: ++made }),
    }, server);
    c.connect();
    await until(() => c.state === "joined", "joined with the first token");
    const first = tokenExpiry(server.joins[0]!)!;
    await until(() => Date.now() / 1000 > first, "the first token ran out", 4000);
    server.drop();
    await until(() => server.joins.length === 2 && c.state === "joined", "rejoined");
    expect(made).to.equal(2);
    expect(server.joins[1]).not.to.equal(server.joins[0]);
    c.leave();
  });

  it("a token turned down (clocks apart) is replaced once, then the refusal is final", async () => {
    let made = 0;
    const server = fakeServer((t) => t?.endsWith("second") ?? false);
    const { c } = client({
      tokenProvider: () =>
        `${b64({})}.${b64({ exp: now() + 300 })}.${++made === 1 ? "first" : "second"}`,
    }, server);
    c.connect();
    await until(() => c.state === "joined", "joined with the replacement");
    expect(made).to.equal(2);
    c.leave();

    const never = fakeServer(() => false);
    const refused = client({ tokenProvider: () => jwt({ exp: now() + 300 }) }, never);
    refused.c.connect();
    await until(() => refused.c.state === "failed", "failed");
    expect(never.joins).to.have.length(2);
    expect(refused.errors[0].code).to.equal("unauthorized");
  });

  it("a provider's error with status 403 is final; any other is retried", async () => {
    let calls = 0;
    const refused = client({
      tokenProvider: () => {
        calls++;
        throw Object.assign(new Error("not for you"), { status: 403 });
      },
    }, fakeServer(() => true));
    refused.c.connect();
    await until(() => refused.c.state === "failed", "failed");
    expect(calls).to.equal(1);
    expect(refused.errors[0].message).to.equal("Cannot get a room token: not for you");

    let tries = 0;
    const flaky = client({
      tokenProvider: () => {
        if (++tries < 3) throw new Error("offline");
        return jwt({ exp: now() + 300 });
      },
    }, fakeServer(() => true));
    flaky.c.connect();
    await until(() => flaky.c.state === "joined", "joined on the third try");
    flaky.c.leave();
  });

  it("token-url: POSTs {room, name} as JSON with the cookies; a 403 is final and says the site's words", async () => {
    const real = globalThis.fetch;
    const calls: Array<{ url: string; init: RequestInit }> = [];
    let status = 200;
    globalThis.fetch = (url, init) => {
      calls.push({ url: String(url), init: init! });
      const body = status === 200
        ? { token: jwt({ exp: now() + 300 }) }
        : { code: "forbidden", message: "This room is not on a published post" };
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    };
    try {
      const server = fakeServer((t) => t !== undefined);
      const ok = client({ tokenUrl: "/token" }, server);
      ok.c.connect();
      await until(() => ok.c.state === "joined", "joined");
      expect(calls[0].url).to.equal("/token");
      expect(calls[0].init.method).to.equal("POST");
      expect(calls[0].init.credentials).to.equal("same-origin");
      expect(JSON.parse(String(calls[0].init.body))).to.deep.equal({ room: "r1", name: "Ana" });
      ok.c.leave();

      status = 403;
      const no = client({ tokenUrl: "/token" }, fakeServer(() => true));
      no.c.connect();
      await until(() => no.c.state === "failed", "failed");
      expect(no.errors[0]).to.deep.equal({
        code: "unauthorized",
        message:
          "Cannot get a room token: /token answered 403: This room is not on a published post",
      });
      expect(calls).to.have.length(2); // a refusal is not retried

      status = 503;
      const flaky = client({ tokenUrl: "/token" }, fakeServer(() => true));
      flaky.c.connect();
      await until(() => calls.length >= 3, "a first try");
      status = 200; // the site is back: the retry gets in
      await until(() => flaky.c.state === "joined", "joined on a retry");
      flaky.c.leave();
    } finally {
      globalThis.fetch = real;
    }
  });
});
