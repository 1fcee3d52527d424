/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import type { ServerMessage } from "../../../../protocol/messages.ts";
import {
  SignalingClient,
  type SignalingState,
} from "../../../../components/core/signaling/signaling-client.ts";
import { signalingUrl, uniqueRoom, until } from "../../test-helpers.ts";

function client(url: string, room: string, name: string, baseMs = 50) {
  const c = new SignalingClient({ url, room, name, reconnect: { baseMs, maxMs: baseMs * 4 } });
  const states: SignalingState[] = [];
  const messages: ServerMessage[] = [];
  c.on("state", (s) => states.push(s));
  c.on("message", (m) => messages.push(m));
  return { c, states, messages };
}

describe("SignalingClient", () => {
  it("joins, then a dropped connection reconnects and resumes the same id", async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const a = client(url, room, "Ana");
    const b = client(url, room, "Bo");
    try {
      a.c.connect();
      await until(() => a.c.state === "joined", "a joined");
      b.c.connect();
      await until(() => b.c.state === "joined", "b joined");
      // Each join is reported exactly once (a double report made two links per peer).
      expect(b.messages.filter((m) => m.type === "joined")).to.have.length(1);
      const id = a.c.id;
      a.c.dropConnection();
      await until(() => a.states.includes("reconnecting"), "reconnecting");
      await until(() => a.c.state === "joined" && a.states.at(-1) === "joined", "rejoined");
      expect(a.c.id).to.equal(id);
      const rejoin = a.messages.filter((m) => m.type === "joined").at(-1);
      expect(rejoin && rejoin.type === "joined" && rejoin.resumed).to.be.true;
      // The other side saw no churn, and signals still flow.
      expect(b.messages.some((m) => m.type === "peer-left")).to.be.false;
      b.c.send({ type: "signal", to: id!, data: { hello: 1 } });
      await until(() => a.messages.some((m) => m.type === "signal"), "signal after resume");
      expect(a.states).to.deep.equal(["connecting", "joined", "reconnecting", "joined"]);
    } finally {
      a.c.leave();
      b.c.leave();
    }
  });

  it("signals sent while reconnecting are delivered after the resume", async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const a = client(url, room, "A", 600); // slow enough to act while reconnecting
    const b = client(url, room, "B");
    try {
      a.c.connect();
      b.c.connect();
      await until(() => a.c.state === "joined" && b.c.state === "joined", "joined");
      a.c.dropConnection();
      await until(() => a.c.state === "reconnecting", "reconnecting");
      expect(a.c.send({ type: "signal", to: b.c.id!, data: { queued: true } })).to.be.false;
      await until(() => b.messages.some((m) => m.type === "signal"), "queued signal delivered");
    } finally {
      a.c.leave();
      b.c.leave();
    }
  });

  it("leave tells the others and stops for good", async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const a = client(url, room, "A");
    const b = client(url, room, "B");
    a.c.connect();
    b.c.connect();
    await until(() => a.c.state === "joined" && b.c.state === "joined", "joined");
    const id = a.c.id;
    a.c.leave();
    expect(a.c.state).to.equal("left");
    await until(
      () => b.messages.some((m) => m.type === "peer-left" && m.id === id),
      "peer-left at b",
    );
    b.c.leave();
  });

  it("an unreachable server ends in failed with server-unreachable", async () => {
    const c = new SignalingClient({
      url: "ws://127.0.0.1:9/ws",
      room: "r",
      name: "A",
      // Three tries: Firefox itself delays each new WebSocket to a host that just refused one.
      reconnect: { baseMs: 20, maxMs: 50, maxAttempts: 3 },
    });
    const errors: string[] = [];
    c.on("error", (e) => errors.push(`${e.code}: ${e.message}`));
    c.connect();
    await until(() => c.state === "failed", "failed");
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^server-unreachable: Cannot connect: /);
  });

  it("a full room is final: failed with room-full, no retry loop", async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const members = Array.from({ length: 8 }, (_, i) => client(url, room, `P${i}`));
    for (const m of members) m.c.connect();
    await until(() => members.every((m) => m.c.state === "joined"), "8 joined");
    const extra = client(url, room, "Extra");
    const errors: string[] = [];
    extra.c.on("error", (e) => errors.push(e.code));
    extra.c.connect();
    await until(() => extra.c.state === "failed", "failed");
    expect(errors).to.deep.equal(["room-full"]);
    for (const m of members) m.c.leave();
  });

  it("'unavailable' on join retries with backoff, then joins; if it persists, says why", async () => {
    // A server whose room store is away refuses the first joins, then recovers.
    let refusals = 2;
    const opened: string[] = [];
    class FlakyServer extends EventTarget {
      readyState = 0;
      onopen: (() => void) | null = null;
      onmessage: ((ev: { data: string }) => void) | null = null;
      onclose: ((ev: { code: number; reason: string }) => void) | null = null;
      constructor(readonly url: string) {
        super();
        opened.push(url);
        setTimeout(() => {
          this.readyState = 1;
          this.onopen?.();
        }, 1);
      }
      send(text: string) {
        const msg = JSON.parse(text);
        if (msg.type !== "join") return;
        const reply = refusals-- > 0
          ? {
            type: "error",
            code: "unavailable",
            message: "Cannot join: the server is unavailable (Redis is unreachable: x)",
          }
          : {
            type: "joined",
            id: "me",
            room: msg.room,
            resume: "t",
            peers: [],
            iceServers: [],
            resumed: false,
          };
        setTimeout(() => this.onmessage?.({ data: JSON.stringify(reply) }), 1);
      }
      close(code = 1000, reason = "") {
        if (this.readyState === 3) return;
        this.readyState = 3;
        setTimeout(() => this.onclose?.({ code, reason }), 1);
      }
    }
    const flakyClient = (name: string) =>
      new SignalingClient({
        url: "ws://flaky/ws",
        room: "r",
        name,
        reconnect: { baseMs: 10, maxMs: 20 },
        WebSocket: FlakyServer as unknown as typeof WebSocket,
      });
    const c = flakyClient("A");
    c.connect();
    await until(() => c.state === "joined", "joined after two refusals");
    expect(opened).to.have.length(3);
    c.leave();

    refusals = 100;
    const d = flakyClient("B");
    const errors: string[] = [];
    d.on("error", (e) => errors.push(`${e.code}: ${e.message}`));
    d.connect();
    await until(() => d.state === "failed", "gave up");
    expect(errors).to.deep.equal([
      "unavailable: Cannot join: the server is unavailable (Redis is unreachable: x)",
    ]);
  });
});
