/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import type { PeerInfo, SignalData } from "../../../../protocol/messages.ts";
import type { MediaTransportEvents } from "../../../../components/core/transport/media-transport.ts";
import { MeshTransport } from "../../../../components/core/transport/mesh-transport.ts";
import { FakeLink } from "../fakes.ts";
import { until } from "../../test-helpers.ts";

const peer = (id: string, name = id.toUpperCase()): PeerInfo => ({
  id,
  name,
  state: { audio: true, video: true, screen: false },
  role: "guest",
});

/** A mesh with fake links, recording what it sends and reports. */
function mesh(timings: { orphanTimeoutMs?: number; repairWaitMs?: number } = {}) {
  const links: FakeLink[] = [];
  const sent: Array<{ to: string; data: SignalData }> = [];
  const events: Array<[string, unknown]> = [];
  const camera = new MediaStream();
  const transport = new MeshTransport({
    camera,
    send: (to, data) => sent.push({ to, data }),
    iceTransportPolicy: "all",
    createLink: (options) => {
      const link = new FakeLink(options);
      links.push(link);
      return link;
    },
    ...timings,
  });
  for (
    const type of [
      "admit",
      "rename",
      "drop",
      "stream",
      "stream-ended",
      "connection",
      "trouble",
    ] as const
  ) {
    transport.on(
      type,
      (payload: MediaTransportEvents[typeof type]) => events.push([type, payload]),
    );
  }
  const of = (type: string) => events.filter(([t]) => t === type).map(([, p]) => p);
  return { transport, links, sent, events, of, camera };
}

describe("MeshTransport", () => {
  it("a newcomer offers to everyone already there and shows them at once", () => {
    const { transport, links, of } = mesh();
    transport.joined({ id: "me", peers: [peer("a"), peer("b")], iceServers: [], resumed: false });
    expect(of("admit").map((p) => (p as PeerInfo).id)).to.deep.equal(["a", "b"]);
    expect(links.map((l) => l.options.initiator)).to.deep.equal([true, true]);
    expect(transport.linkTo("a")).to.equal(links[0]);
  });

  it("someone who joins later is shown, and answered when their offer arrives", () => {
    const { transport, links, sent, of } = mesh();
    transport.joined({ id: "me", peers: [], iceServers: [], resumed: false });
    transport.peerJoined(peer("c"));
    expect(of("admit")).to.have.length(1);
    // A link ready for the offer (made now, so answering costs no setup); the newcomer offers.
    expect(links).to.have.length(1);
    expect(links[0].options.initiator).to.be.false;
    expect(sent).to.deep.equal([]);
    transport.signal("c", { description: { type: "offer", sdp: "v=0" } });
    expect(links).to.have.length(1);
    expect(links[0].signals[0].description?.type).to.equal("offer");
  });

  it("signals from someone not in the room are ignored", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [], iceServers: [], resumed: false });
    transport.signal("stranger", { description: { type: "offer", sdp: "v=0" } });
    expect(links).to.have.length(0);
  });

  it("a link's signals go to its peer; streams and states are reported by peer", () => {
    const { transport, links, sent, of } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    links[0].fire("signal", { candidate: { candidate: "c1" } });
    expect(sent).to.deep.equal([{ to: "a", data: { candidate: { candidate: "c1" } } }]);
    const stream = new MediaStream();
    links[0].fire("stream", { role: "camera", stream });
    links[0].fire("state", "connected");
    expect(of("stream")).to.deep.equal([{ peer: "a", role: "camera", stream }]);
    expect(of("connection")).to.deep.equal([{ peer: "a", state: "connected" }]);
    links[0].fire("stream-removed", { role: "camera", stream });
    expect(of("stream-ended")).to.deep.equal([{ peer: "a", role: "camera", stream }]);
  });

  it("a peer who leaves has its link closed", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    transport.peerLeft("a");
    expect(links[0].closed).to.be.true;
    expect(transport.linkTo("a")).to.equal(undefined);
  });

  it("a resumed seat keeps its live links and connects to whoever came meanwhile", () => {
    const { transport, links, of } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    const first = links[0];
    transport.joined({ id: "me", peers: [peer("a"), peer("d")], iceServers: [], resumed: true });
    expect(transport.linkTo("a")).to.equal(first);
    expect(first.closed).to.be.false;
    expect(links).to.have.length(2);
    expect(links[1].options.initiator).to.be.true;
    expect(of("admit").map((p) => (p as PeerInfo).id)).to.deep.equal(["a", "d"]);
  });

  it("after a server restart, live links are re-paired with the new ids: nobody shown twice", () => {
    const { transport, links, sent, of } = mesh();
    transport.joined({
      id: "me1",
      peers: [peer("a1"), peer("b1")],
      iceServers: [],
      resumed: false,
    });
    const [toA, toB] = links;
    // The server restarted: same people, new ids, and a fresh seat for us.
    transport.joined({ id: "me2", peers: [peer("a2", "A")], iceServers: [], resumed: false });
    expect(sent.at(-1)).to.deep.equal({ to: "a2", data: { rebind: "me1" } });
    // a2 says it was a1: the link to a1 is now the link to a2.
    transport.signal("a2", { rebound: "a1" });
    expect(transport.linkTo("a2")).to.equal(toA);
    expect(of("rename")).to.deep.equal([{ from: "a1", to: "a2", state: peer("a2").state }]);
    // b rejoins after us and asks whether we know its previous id.
    transport.peerJoined(peer("b2", "B"));
    transport.signal("b2", { rebind: "b1" });
    expect(transport.linkTo("b2")).to.equal(toB);
    expect(sent.at(-1)).to.deep.equal({ to: "b2", data: { rebound: "me1" } });
    // Nobody new was shown, no link made or closed.
    expect(of("admit").map((p) => (p as PeerInfo).id)).to.deep.equal(["a1", "b1"]);
    expect(links).to.have.length(2);
    expect(toA.closed || toB.closed).to.be.false;
    // The re-paired links speak to the new ids.
    toA.fire("signal", { candidate: null });
    expect(sent.at(-1)).to.deep.equal({ to: "a2", data: { candidate: null } });
  });

  it("after a restart, a stranger is connected afresh", () => {
    const { transport, links, of } = mesh();
    transport.joined({ id: "me1", peers: [peer("a1")], iceServers: [], resumed: false });
    transport.joined({ id: "me2", peers: [peer("x")], iceServers: [], resumed: false });
    transport.signal("x", { rebound: null });
    expect(of("admit").map((p) => (p as PeerInfo).id)).to.deep.equal(["a1", "x"]);
    expect(links).to.have.length(2);
    expect(links[1].options.initiator).to.be.true;
  });

  it("after a restart, links nobody claims are dropped and the unpaired are shown", async () => {
    const { transport, links, of } = mesh({ orphanTimeoutMs: 50, repairWaitMs: 5000 });
    transport.joined({ id: "me1", peers: [peer("a1")], iceServers: [], resumed: false });
    transport.joined({ id: "me2", peers: [peer("y")], iceServers: [], resumed: false });
    await until(() => of("drop").length === 1, "the orphan dropped");
    expect(of("drop")).to.deep.equal(["a1"]);
    expect(links[0].closed).to.be.true;
    expect(of("admit").map((p) => (p as PeerInfo).id)).to.deep.equal(["a1", "y"]);
  });

  it("a newcomer after a restart who never answers is shown after the wait", async () => {
    const { transport, of } = mesh({ orphanTimeoutMs: 5000, repairWaitMs: 30 });
    transport.joined({ id: "me1", peers: [peer("a1")], iceServers: [], resumed: false });
    transport.joined({ id: "me2", peers: [], iceServers: [], resumed: false });
    transport.peerJoined(peer("z"));
    await until(() => of("admit").length === 2, "z shown");
    transport.close();
  });

  it("video shrinks as the mesh grows", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    links[0].fire("state", "connected");
    expect(links[0].quality).to.deep.equal([1_500_000, 1, true]);
    transport.peerJoined(peer("b"));
    transport.signal("b", { description: { type: "offer", sdp: "v=0" } });
    links[1].fire("state", "connected");
    expect(links.map((l) => l.quality)).to.deep.equal([[700_000, 1.5, true], [
      700_000,
      1.5,
      true,
    ]]);
  });

  it("each peer gets the video its view needs: less for a small tile, none when hidden", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [peer("a"), peer("b")], iceServers: [], resumed: false });
    for (const l of links) l.fire("state", "connected");
    transport.signal("a", { view: "small" });
    transport.signal("b", { view: "hidden" });
    expect(links[0].quality).to.deep.equal([250_000, 2.5, true]);
    expect(links[1].quality).to.deep.equal([700_000, 1.5, false]);
    transport.signal("b", { view: "large" });
    expect(links[1].quality).to.deep.equal([700_000, 1.5, true]);
    // Nonsense and strangers change nothing.
    transport.signal("a", { view: "huge" });
    transport.signal("zed", { view: "hidden" });
    expect(links[0].quality).to.deep.equal([250_000, 2.5, true]);
  });

  it("a peer's tile width sets the size we send them, from the start (never scaled up)", async () => {
    const { transport, links, camera } = mesh();
    const canvas = Object.assign(document.createElement("canvas"), { width: 1280, height: 720 });
    canvas.getContext("2d")!.fillRect(0, 0, 1, 1);
    const track = canvas.captureStream(10).getVideoTracks()[0];
    camera.addTrack(track);
    await until(() => track.getSettings().width === 1280, "the camera's width known");
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    links[0].fire("state", "connected");
    transport.signal("a", { view: "large", px: 640 });
    expect(links[0].quality).to.deep.equal([1_500_000, 2, true]); // 640 wide, not 1280
    transport.signal("a", { view: "large", px: 1920 });
    expect(links[0].quality).to.deep.equal([1_500_000, 1, true]); // not upscaled
    transport.signal("a", { view: "small", px: 320 });
    expect(links[0].quality).to.deep.equal([250_000, 4, true]);
    transport.signal("a", { view: "large", px: 3 }); // nonsense: no width
    expect(links[0].quality).to.deep.equal([1_500_000, 1, true]);
    track.stop();
    transport.close();
  });

  it("tells each peer how wide it shows them, in steps, and only when that changes", () => {
    const { transport, sent } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    const views = () => sent.filter((s) => "view" in s.data).map((s) => s.data);
    transport.setView(new Map([["a", "large"]]), new Map([["a", 535]]));
    transport.setView(new Map([["a", "large"]]), new Map([["a", 600]])); // the same step
    transport.setView(new Map([["a", "large"]]), new Map([["a", 700]]));
    transport.setView(new Map([["a", "hidden"]]), new Map([["a", 700]]));
    expect(views()).to.deep.equal([
      { view: "large", px: 640 },
      { view: "large", px: 800 },
      { view: "hidden" },
    ]);
    transport.close();
  });

  it("tells each peer how large it shows them, once per change", () => {
    const { transport, sent } = mesh();
    transport.joined({ id: "me", peers: [peer("a"), peer("b")], iceServers: [], resumed: false });
    const views = () => sent.filter((s) => "view" in s.data).map((s) => [s.to, s.data.view]);
    transport.setView(new Map([["a", "large"], ["b", "small"]]));
    expect(views()).to.deep.equal([["a", "large"], ["b", "small"]]);
    transport.setView(new Map([["a", "large"]])); // b went to another page
    expect(views()).to.deep.equal([["a", "large"], ["b", "small"], ["b", "hidden"]]);
    expect(transport.connections().map((c) => c.peers)).to.deep.equal([["a"], ["b"]]);
  });

  it("a screen share rides every link, those made later too; tracks are swapped on all", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    const screen = new MediaStream();
    transport.setScreen(screen);
    expect(links[0].screen).to.equal(screen);
    transport.peerJoined(peer("b"));
    transport.signal("b", { description: { type: "offer", sdp: "v=0" } });
    expect(links[1].screen).to.equal(screen);
    transport.setScreen(null);
    expect(links.map((l) => l.screen)).to.deep.equal([null, null]);
    transport.replaceTrack("video", null);
    expect(links.map((l) => l.tracks)).to.deep.equal([[["video", null]], [["video", null]]]);
  });

  it("trouble is reported with the peer: a TURN relay refusing us, a failed connection", () => {
    const { transport, links, of } = mesh();
    transport.joined({ id: "me", peers: [peer("a")], iceServers: [], resumed: false });
    links[0].fire("ice-error", { code: 401, url: "turn:relay.example:3478", text: "Unauthorized" });
    links[0].fire("ice-error", { code: 701, url: "stun:x", text: "unreachable" }); // not ours to tell
    links[0].fire("state", "failed");
    expect(of("trouble")).to.deep.equal([
      { peer: "a", why: "the TURN relay refused our credentials (401)" },
      { peer: "a", why: "the connection failed; retrying" },
    ]);
  });

  it("close releases every link and forgets the room", () => {
    const { transport, links } = mesh();
    transport.joined({ id: "me", peers: [peer("a"), peer("b")], iceServers: [], resumed: false });
    transport.close();
    expect(links.every((l) => l.closed)).to.be.true;
    expect(transport.linkTo("a")).to.equal(undefined);
  });
});
