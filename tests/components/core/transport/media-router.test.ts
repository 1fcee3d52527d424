/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import type { PeerInfo, SfuServerMessage } from "../../../../protocol/messages.ts";
import type { MediaTransportEvents } from "../../../../components/core/transport/media-transport.ts";
import { MeshTransport } from "../../../../components/core/transport/mesh-transport.ts";
import { MediaRouter, type SfuPath } from "../../../../components/core/transport/media-router.ts";
import { Emitter } from "../../../../components/core/emitter.ts";
import type { SfuTransportEvents } from "../../../../components/core/transport/sfu-transport.ts";
import { FakeLink } from "../fakes.ts";
import { until } from "../../test-helpers.ts";

const peer = (id: string): PeerInfo => ({
  id,
  name: id.toUpperCase(),
  state: { audio: true, video: true, screen: false },
  role: "guest",
});

/** A stream whose packets have (or have not yet) begun: all the router looks at. */
const stream = (flowing: boolean) =>
  ({ getTracks: () => [{ muted: !flowing }] }) as unknown as MediaStream;

class FakeSfu extends Emitter<SfuTransportEvents> implements SfuPath {
  started = 0;
  closed = false;
  receiveState: RTCPeerConnectionState | null = "connected";
  handled: SfuServerMessage[] = [];
  start() {
    this.started++;
  }
  handle(msg: SfuServerMessage) {
    this.handled.push(msg);
    return Promise.resolve();
  }
  replaceTrack() {}
  setScreen() {}
  setView() {}
  connections() {
    return [];
  }
  close() {
    this.closed = true;
  }
  fire<K extends keyof SfuTransportEvents>(type: K, payload: SfuTransportEvents[K]) {
    this.emit(type, payload);
  }
}

/** What a mesh link reports: a person's stream arrived on it. */
function meshStream(mesh: MeshTransport, id: string, s: MediaStream) {
  (mesh.linkTo(id) as FakeLink).fire("stream", { role: "camera", stream: s });
}

function router() {
  const links = new Map<string, FakeLink>();
  const camera = new MediaStream();
  const ctx = { camera, send: () => {}, iceTransportPolicy: "all" as const };
  const mesh = new MeshTransport({
    ...ctx,
    createLink: (options) => {
      const link = new FakeLink(options);
      links.set(`link${links.size}`, link);
      return link;
    },
  });
  const sfu = new FakeSfu();
  const r = new MediaRouter(ctx, { mesh, createSfu: () => sfu });
  const events: Array<[string, unknown]> = [];
  for (const type of ["admit", "stream", "stream-ended", "connection"] as const) {
    r.on(type, (p: MediaTransportEvents[typeof type]) => events.push([type, p]));
  }
  const streamsOf = (id: string) =>
    events.filter(([t, p]) => t === "stream" && (p as { peer: string }).peer === id)
      .map(([, p]) => (p as { stream: MediaStream }).stream);
  return { r, mesh, sfu, links, events, streamsOf };
}

describe("MediaRouter", () => {
  it("in a mesh room it is the mesh", () => {
    const { r, mesh, events } = router();
    r.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    expect(events.map(([t]) => t)).to.deep.equal(["admit"]);
    expect(mesh.linkTo("a")).to.exist;
    expect(r.mode).to.equal("mesh");
  });

  it("to the SFU: each tile switches once its SFU media flows, then its mesh link closes", async () => {
    const { r, mesh, sfu, streamsOf } = router();
    r.joined({ id: "me", peers: [peer("a"), peer("b")], iceServers: [], resumed: false });
    const meshA = stream(true);
    meshStream(mesh, "a", meshA);
    expect(streamsOf("a")).to.deep.equal([meshA]);
    r.setMode("sfu");
    await until(() => sfu.started === 1, "published to the SFU");
    // SFU media for a that has not started: the mesh picture stays.
    const waiting = stream(false);
    sfu.fire("stream", { peer: "a", role: "camera", stream: waiting });
    expect(streamsOf("a")).to.deep.equal([meshA]);
    expect(mesh.linkTo("a")).to.exist;
    // It flows: the tile takes it, the mesh link to a goes; b's stays until theirs flows.
    const flowing = stream(true);
    sfu.fire("stream", { peer: "a", role: "camera", stream: flowing });
    expect(streamsOf("a")).to.deep.equal([meshA, flowing]);
    expect(mesh.linkTo("a")).to.equal(undefined);
    expect(mesh.linkTo("b")).to.exist;
    // A late mesh signal from a does not bring the link back.
    r.signal("a", { description: { type: "offer", sdp: "" } });
    expect(mesh.linkTo("a")).to.equal(undefined);
  });

  it("a tile that moves to the SFU shows the SFU connection's state, not the mesh link's", async () => {
    const { r, mesh, sfu, events } = router();
    r.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    meshStream(mesh, "a", stream(true));
    r.setMode("sfu");
    await until(() => sfu.started === 1, "published to the SFU");
    const before = events.length;
    sfu.fire("stream", { peer: "a", role: "camera", stream: stream(true) });
    expect(events.slice(before).filter(([t]) => t === "connection").map(([, p]) => p))
      .to.deep.equal([{ peer: "a", state: "connected" }]);
  });

  it("a newcomer in an SFU room is shown at once and never gets a mesh link", async () => {
    const { r, mesh, sfu, events } = router();
    r.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false, media: "sfu" });
    await until(() => sfu.started === 1, "published");
    r.peerJoined(peer("c"));
    expect(events.filter(([t]) => t === "admit").map(([, p]) => (p as PeerInfo).id))
      .to.deep.equal(["a", "c"]);
    expect(mesh.linkTo("a")).to.equal(undefined);
    expect(mesh.linkTo("c")).to.equal(undefined);
    r.sfu({ type: "sfu", pc: "pub", restart: true });
    await until(() => sfu.handled.length === 1, "SFU messages reach the transport");
  });

  it("back to the mesh: everyone reconnects, tiles switch back as mesh media flows, the SFU goes", async () => {
    const { r, mesh, sfu, streamsOf } = router();
    r.joined({
      id: "b",
      peers: [peer("a"), peer("c")],
      iceServers: [],
      resumed: false,
      media: "sfu",
    });
    await until(() => sfu.started === 1, "published");
    sfu.closed = false; // a (re)join starts the SFU afresh: closed, then started
    const viaSfu = stream(true);
    sfu.fire("stream", { peer: "a", role: "camera", stream: viaSfu });
    expect(streamsOf("a")).to.deep.equal([viaSfu]);
    r.setMode("mesh");
    // The lower id offers: b offers to c, and waits for a's offer.
    expect(mesh.linkTo("a")).to.exist;
    expect(mesh.linkTo("c")).to.exist;
    const viaMesh = stream(true);
    meshStream(mesh, "a", viaMesh);
    expect(streamsOf("a")).to.deep.equal([viaSfu, viaMesh]);
    expect(sfu.closed).to.equal(false, "c still shows through the SFU");
    meshStream(mesh, "c", stream(true));
    expect(sfu.closed).to.equal(true);
  });
});
