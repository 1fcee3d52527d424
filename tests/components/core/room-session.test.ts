/// <reference path="../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import type { PeerInfo } from "../../../protocol/messages.ts";
import { MeshTransport } from "../../../components/core/transport/mesh-transport.ts";
import { type Participant, RoomSession } from "../../../components/core/room-session.ts";
import { FakeLink, FakeSignaling, noDevices } from "./fakes.ts";
import {
  canCaptureScreen,
  framesDecoded,
  signalingUrl,
  uniqueRoom,
  until,
} from "../test-helpers.ts";

async function session(room: string, name: string, baseMs = 50) {
  return new RoomSession({ room, name, server: await signalingUrl(), reconnect: { baseMs } });
}

const remote = (s: RoomSession): Participant | undefined => s.participants.find((p) => !p.local);

/** Two sessions in a fresh room, joined and connected to each other. */
async function connectedPair(names: [string, string], sessions: RoomSession[], aBaseMs?: number) {
  const room = uniqueRoom();
  const a = await session(room, names[0], aBaseMs);
  const b = await session(room, names[1]);
  sessions.push(a, b);
  await a.join();
  await until(() => a.status === "joined", "a joined");
  await b.join();
  await until(() => remote(a)?.connection === "connected", "a connected to b");
  await until(() => remote(b)?.connection === "connected", "b connected to a");
  return [a, b] as const;
}

describe("RoomSession", () => {
  let sessions: RoomSession[] = [];
  afterEach(() => {
    for (const s of sessions) s.close();
    sessions = [];
  });

  it("two sessions connect; mute and camera-off reach the far side", async () => {
    const [a, b] = await connectedPair(["Ana", "Bo"], sessions);
    expect(remote(a)!.name).to.equal("Bo");
    expect(remote(b)!.name).to.equal("Ana");
    await until(() => remote(b)!.state.audio && remote(b)!.state.video, "a's state at b");

    a.toggleAudio(false);
    await until(() => remote(b)!.state.audio === false, "mute at b");
    expect(a.media.stream.getAudioTracks()[0].enabled).to.be.false;

    await a.toggleVideo(false);
    await until(() => remote(b)!.state.video === false, "camera off at b");
    expect(a.media.stream.getVideoTracks()).to.have.length(0); // track stopped: light off

    await a.toggleVideo(true);
    await until(() => remote(b)!.state.video === true, "camera on at b");
    const link = b.linkTo(a.selfId!)!;
    const before = await framesDecoded(link.pc);
    await until(async () => (await framesDecoded(link.pc)) > before + 5, "video after camera on");
  });

  it("what views read changes by replacement: participants, their state, the chat", async () => {
    const [a, b] = await connectedPair(["Ana", "Bo"], sessions);
    await until(() => remote(b)!.state.audio, "a's state at b");
    const list = b.participants;
    const ana = remote(b)!;
    const self = b.self;
    const chat = b.chat;
    a.toggleAudio(false);
    await until(() => remote(b)!.state.audio === false, "mute at b");
    expect(b.participants).to.not.equal(list);
    expect(remote(b)).to.not.equal(ana);
    expect(ana.state.audio).to.be.true; // the object a view already holds is untouched
    expect(b.self).to.equal(self); // unchanged participants keep their identity
    a.sendChat("hi");
    await until(() => b.chat.length === 1, "chat at b");
    expect(b.chat).to.not.equal(chat);
    expect(chat).to.have.length(0);
  });

  it("screen share shows as its own stream at the far side and ends cleanly", async function () {
    if (!(await canCaptureScreen())) return this.skip(); // no screen to capture (Firefox headless)
    const [a, b] = await connectedPair(["A", "B"], sessions);
    const events: boolean[] = [];
    a.on("screen-share", (on) => events.push(on));
    await a.startScreenShare();
    await until(() => remote(b)?.screen, "screen at b");
    expect(remote(b)!.stream).to.not.equal(remote(b)!.screen);
    await until(() => remote(b)!.state.screen, "screen state at b");
    // As if the user pressed the browser's own "Stop sharing".
    a.screenStream!.getVideoTracks()[0].stop();
    a.screenStream?.getVideoTracks()[0].dispatchEvent(new Event("ended"));
    await until(() => !remote(b)!.screen, "screen gone at b");
    expect(events).to.deep.equal([true, false]);
    expect(a.screenStream).to.equal(null);
  });

  it("chat reaches everyone in one order", async () => {
    const room = uniqueRoom();
    const a = await session(room, "A");
    const b = await session(room, "B");
    sessions.push(a, b);
    await a.join();
    await b.join();
    await until(() => a.status === "joined" && b.status === "joined", "joined");
    expect(a.sendChat("first")).to.be.true;
    expect(b.sendChat("second")).to.be.true;
    expect(a.sendChat("   ")).to.be.false;
    await until(() => a.chat.length === 2 && b.chat.length === 2, "both messages");
    expect(a.chat.map((m) => m.text)).to.deep.equal(b.chat.map((m) => m.text));
    expect(a.chat.find((m) => m.text === "first")!.local).to.be.true;
    expect(b.chat.find((m) => m.text === "first")!.local).to.be.false;
  });

  it("a dropped signaling connection resumes; media never stops", async () => {
    // a's reconnect waits long enough to watch media while it is down
    const [a, b] = await connectedPair(["A", "B"], sessions, 1500);
    const id = a.selfId;
    const left: string[] = [];
    const statuses: string[] = [];
    b.on("peer-left", (p) => left.push(p.id));
    a.on("status", (s) => statuses.push(s));
    const aLink = a.linkTo(b.selfId!);
    a.dropSignaling();
    await until(() => statuses.includes("reconnecting"), "reconnecting");
    const link = b.linkTo(id!)!;
    const before = await framesDecoded(link.pc);
    await until(
      async () => (await framesDecoded(link.pc)) > before + 5,
      "media while reconnecting",
    );
    expect(a.status).to.equal("reconnecting");
    await until(() => a.status === "joined", "resumed");
    expect(statuses).to.deep.equal(["reconnecting", "joined"]);
    expect(a.selfId).to.equal(id);
    expect(left).to.deep.equal([]);
    // The resumed side keeps its connection too (a second one used to open beside it).
    expect(a.linkTo(b.selfId!)).to.equal(aLink);
    expect(aLink!.pc.connectionState).to.equal("connected");
    a.toggleAudio(false);
    await until(() => remote(b)!.state.audio === false, "state flows after resume");
  });

  it("someone who left while we were reconnecting is gone once we resume", async () => {
    const [a, b] = await connectedPair(["A", "B"], sessions, 1500);
    a.dropSignaling();
    await until(() => a.status === "reconnecting", "reconnecting");
    const bId = b.selfId;
    b.leave(); // its peer-left cannot reach a, whose seat has no socket now
    await until(() => a.status === "joined", "resumed");
    await until(() => !a.participants.some((p) => p.id === bId), "b gone at a");
    expect(a.linkTo(bId!)).to.equal(undefined);
  });

  it("leave tells the others and closes the links", async () => {
    const [a, b] = await connectedPair(["A", "B"], sessions);
    const link = a.linkTo(b.selfId!)!;
    b.leave();
    await until(() => !remote(a), "b gone at a");
    expect(link.pc.signalingState).to.equal("closed");
    expect(b.status).to.equal("left");
    expect(b.participants).to.have.length(1);
  });

  it("a refused camera still joins with sound and explains why", async () => {
    const devices = navigator.mediaDevices;
    const denyCamera = new Proxy(devices, {
      get(target, prop) {
        if (prop === "getUserMedia") {
          return (c: MediaStreamConstraints) =>
            c.video
              ? Promise.reject(new DOMException("denied", "NotAllowedError"))
              : target.getUserMedia(c);
        }
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const a = new RoomSession({
      room: uniqueRoom(),
      name: "A",
      server: await signalingUrl(),
      mediaDevices: denyCamera,
    });
    sessions.push(a);
    const errors: string[] = [];
    a.on("error", (e) => errors.push(e.code));
    await a.join();
    await until(() => a.status === "joined", "joined");
    expect(errors).to.include("permission-denied");
    expect(a.error!.message).to.equal("Cannot use the camera: permission was denied");
    expect(a.self.state.audio).to.be.true;
    expect(a.self.state.video).to.be.false;
  });
});

/** A session on fakes: signaling played by the test, a mesh of fake links, no devices. */
function fakeSession() {
  const signaling: FakeSignaling[] = [];
  const links: FakeLink[] = [];
  const session = new RoomSession({
    room: "r",
    name: "Me",
    server: "ws://unused",
    mediaDevices: noDevices,
    createSignaling: () => {
      const s = new FakeSignaling();
      signaling.push(s);
      return s;
    },
    createTransport: (context) =>
      new MeshTransport({
        ...context,
        createLink: (options) => {
          const link = new FakeLink(options);
          links.push(link);
          return link;
        },
      }),
  });
  const joined = (id: string, peers: PeerInfo[], resumed = false) =>
    signaling.at(-1)!.deliver({
      type: "joined",
      id,
      room: "r",
      resume: "tok",
      peers,
      iceServers: [],
      resumed,
      role: "guest",
      settings: { locked: false, lobby: false },
    });
  return { session, signaling, links, joined };
}

const info = (id: string, name: string): PeerInfo => ({
  id,
  name,
  state: { audio: true, video: false, screen: false },
  role: "guest",
});

describe("RoomSession (on fakes)", () => {
  it("joins: signaling and media start together; the room's people are shown", async () => {
    const { session, signaling, links, joined } = fakeSession();
    const events: string[] = [];
    session.on("peer-joined", (p) => events.push(`+${p.name}`));
    session.on("status", (s) => events.push(s));
    const joining = session.join("Ana");
    expect(signaling).to.have.length(1);
    expect(signaling[0].connects).to.equal(1); // before the camera answered
    await joining;
    joined("me", [info("b", "Bo")]);
    expect(events).to.deep.equal(["connecting", "joined", "+Bo"]);
    expect(session.participants.map((p) => p.name)).to.deep.equal(["Ana", "Bo"]);
    expect(links).to.have.length(1);
    expect(signaling[0].sentOf("state")).to.have.length(1); // our state, right after joining
    session.close();
  });

  it("chat, state and leaving come from signaling into the roster", async () => {
    const { session, signaling, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo")]);
    const s = signaling[0];
    s.deliver({ type: "peer-state", id: "b", state: { audio: false, video: true, screen: false } });
    expect(session.participants[1].state.video).to.be.true;
    s.deliver({ type: "chat", from: "b", name: "Bo", text: "hi", ts: 1 });
    s.deliver({ type: "chat", from: "me", name: "Me", text: "hello", ts: 2 });
    expect(session.chat.map((m) => [m.text, m.local])).to.deep.equal([["hi", false], [
      "hello",
      true,
    ]]);
    const left: string[] = [];
    session.on("peer-left", (p) => left.push(p.name));
    s.deliver({ type: "peer-left", id: "b" });
    expect(left).to.deep.equal(["Bo"]);
    expect(session.participants).to.have.length(1);
    session.close();
  });

  it("a server recording: no recorder here; its file comes to hosts at a link on the server", async () => {
    const { session, signaling, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo")]);
    const ready: unknown[] = [];
    session.on("recording-ready", (file) => ready.push(file));
    const recording = {
      by: "me",
      mode: "server" as const,
      id: "20261205040049-cee581918bf9",
      since: 1,
    };
    signaling[0].deliver({
      type: "room-settings",
      locked: false,
      lobby: false,
      recording,
      by: "me",
    });
    expect(session.settings.recording?.mode).to.equal("server");
    signaling[0].deliver({ type: "room-settings", locked: false, lobby: false, by: "me" });
    await new Promise((r) => setTimeout(r, 50));
    expect(ready, "nothing recorded in this browser").to.deep.equal([]);
    const link = `/recordings/${recording.id}/meeting.webm?expires=9&sig=ab`;
    signaling[0].deliver({
      type: "recording-ready",
      url: link,
      bytes: 1000,
      durationMs: 9000,
      mode: "server",
      people: [{
        name: "Bo",
        url: `/recordings/${recording.id}/people/Bo-b-1.webm?expires=9&sig=cd`,
      }],
    });
    expect(ready).to.deep.equal([{
      url: `http://unused${link}`,
      bytes: 1000,
      durationMs: 9000,
      mode: "server",
      type: "video/webm",
      people: [{
        name: "Bo",
        url: `http://unused/recordings/${recording.id}/people/Bo-b-1.webm?expires=9&sig=cd`,
      }],
    }]);
    expect(session.recording?.file?.url).to.equal(`http://unused${link}`);
    session.close();
  });

  it("a page closed or put away mid-call leaves at once", async () => {
    const { session, signaling, links, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo")]);
    globalThis.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
    expect(signaling[0].left).to.be.true; // the others see us go now
    expect(session.status).to.equal("left");
    expect(links[0].closed).to.be.true;
    session.close();
  });

  it("a resumed seat forgets who left meanwhile and keeps the other connections", async () => {
    const { session, links, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo"), info("c", "Cy")]);
    const [toB, toC] = links;
    session.dropSignaling();
    expect(session.status).to.equal("reconnecting");
    joined("me", [info("c", "Cy")], true);
    expect(session.participants.map((p) => p.name)).to.deep.equal(["Me", "Cy"]);
    expect(toB.closed).to.be.true;
    expect(toC.closed).to.be.false;
    expect(session.linkTo("c")).to.equal(toC);
    session.close();
  });

  it("after a server restart, people keep their tiles under their new ids (no churn)", async () => {
    const { session, signaling, links, joined } = fakeSession();
    await session.join();
    joined("me1", [info("b1", "Bo")]);
    const tile = session.participants[1];
    const events: string[] = [];
    session.on("peer-joined", (p) => events.push(`+${p.name}`));
    session.on("peer-left", (p) => events.push(`-${p.name}`));
    // The restarted server gives everyone new ids.
    joined("me2", [info("b2", "Bo")]);
    signaling[0].deliver({ type: "signal", from: "b2", data: { rebound: "b1" } });
    expect(session.participants.map((p) => p.id)).to.deep.equal(["local", "b2"]);
    expect(session.participants[1]).to.not.equal(tile); // replaced, not changed in place
    expect(events).to.deep.equal([]);
    expect(links).to.have.length(1);
    expect(session.linkTo("b2")).to.equal(links[0]);
    session.close();
  });

  it("media trouble names the person; leaving closes every link and removes the others", async () => {
    const { session, links, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo")]);
    const errors: string[] = [];
    session.on("error", (e) => errors.push(e.message));
    links[0].fire("state", "failed");
    expect(errors).to.deep.equal(["Cannot reach Bo: the connection failed; retrying"]);
    session.leave();
    expect(links[0].closed).to.be.true;
    expect(session.participants).to.have.length(1);
    expect(session.status).to.equal("left");
    session.close();
  });

  it("the server's reason why media stopped stays shown when the connections then fail", async () => {
    const { session, signaling, links, joined } = fakeSession();
    await session.join();
    joined("me", [info("b", "Bo")]);
    const errors: string[] = [];
    session.on("error", (e) => errors.push(e.code));
    signaling[0].deliver({
      type: "error",
      code: "unavailable",
      message: "Cannot receive video: the media server is unavailable; it comes back by itself",
    });
    links[0].fire("state", "failed"); // the same fact, seen by the connection later
    expect(errors).to.deep.equal(["unavailable", "connection-failed"]); // the page hears both
    expect(session.error!.message).to.match(/media server is unavailable/); // the screen, the cause
    signaling[0].deliver({ type: "error", code: "bad-message", message: "Cannot x: y" });
    expect(session.error!.code).to.equal("bad-message"); // anything else still replaces it
    session.close();
  });

  it("chat with nothing visible is not sent", async () => {
    const { session, signaling, joined } = fakeSession();
    await session.join();
    joined("me", []);
    expect(session.sendChat("\u200b\u200b")).to.be.false;
    expect(session.sendChat("ok")).to.be.true;
    expect(signaling[0].sentOf("chat").map((m) => m.text)).to.deep.equal(["ok"]);
    session.close();
  });
});
