/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import {
  type LinkSignal,
  PeerLink,
  type StreamRole,
} from "../../../../components/core/transport/peer-link.ts";
import { canCaptureScreen, framesDecoded, until } from "../../test-helpers.ts";

type Filter = (signal: LinkSignal) => LinkSignal | null;

/** Two links in one page, their signals carried through an in-memory channel. */
function pair(
  options: { aInitiator?: boolean; bInitiator?: boolean; filter?: Filter } = {},
) {
  const streams: MediaStream[] = [];
  const camera = async () => {
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    streams.push(s);
    return s;
  };
  const make = (camera: MediaStream, polite: boolean, initiator: boolean) =>
    new PeerLink({ polite, initiator, camera, disconnectedRestartMs: 500, connectTimeoutMs: 1500 });
  const remote = new Map<PeerLink, Map<StreamRole, MediaStream>>();
  const watch = (link: PeerLink) => {
    const got = new Map<StreamRole, MediaStream>();
    remote.set(link, got);
    link.on("stream", ({ role, stream }) => got.set(role, stream));
    link.on("stream-removed", ({ role, stream }) => {
      if (got.get(role) === stream) got.delete(role);
    });
  };
  return {
    async connect() {
      const [ca, cb] = [await camera(), await camera()];
      const a = make(ca, false, options.aInitiator ?? true);
      const b = make(cb, true, options.bInitiator ?? false);
      const wire = (from: PeerLink, to: PeerLink) =>
        from.on("signal", (s) => {
          // Structured clone, as JSON over a socket would.
          const copy = JSON.parse(JSON.stringify(s)) as LinkSignal;
          const out = options.filter ? options.filter(copy) : copy;
          if (out) setTimeout(() => void to.signal(out), 0);
        });
      wire(a, b);
      wire(b, a);
      watch(a);
      watch(b);
      return { a, b, ca, cb };
    },
    remote: (link: PeerLink) => remote.get(link)!,
    close() {
      for (const s of streams) for (const t of s.getTracks()) t.stop();
    },
  };
}

async function decodingBoth(a: PeerLink, b: PeerLink, what: string) {
  const [fa, fb] = [await framesDecoded(a.pc), await framesDecoded(b.pc)];
  await until(
    async () => (await framesDecoded(a.pc)) > fa + 5 && (await framesDecoded(b.pc)) > fb + 5,
    what,
  );
}

describe("PeerLink", () => {
  it("connects two links and decodes video both ways", async () => {
    const p = pair();
    const { a, b } = await p.connect();
    try {
      await until(
        () => a.connectionState === "connected" && b.connectionState === "connected",
        "connected",
      );
      await decodingBoth(a, b, "video decoding on both sides");
      expect(p.remote(a).get("camera")?.getVideoTracks()).to.have.length(1);
      expect(p.remote(b).get("camera")?.getAudioTracks()).to.have.length(1);
      // One round trip: the answerer attached its media to the offered transceivers.
      expect(a.pc.getTransceivers()).to.have.length(2);
      expect(b.pc.getTransceivers()).to.have.length(2);
    } finally {
      a.close();
      b.close();
      p.close();
    }
  });

  it("connects when both sides make an offer at the same moment (glare), three times over", async () => {
    for (let round = 0; round < 3; round++) {
      const p = pair({ aInitiator: true, bInitiator: true });
      const { a, b } = await p.connect();
      try {
        await until(
          () => a.connectionState === "connected" && b.connectionState === "connected",
          `glare round ${round} connected`,
        );
        await decodingBoth(a, b, `glare round ${round} decoding`);
      } finally {
        a.close();
        b.close();
        p.close();
      }
    }
  });

  it("renegotiation glare: both share a screen at once; each gets the other's", async function () {
    if (!(await canCaptureScreen())) return this.skip(); // no screen to capture (Firefox headless)
    const p = pair();
    const { a, b } = await p.connect();
    const screens: MediaStream[] = [];
    try {
      await until(() => a.connectionState === "connected", "connected");
      for (let i = 0; i < 2; i++) {
        const s = await navigator.mediaDevices.getDisplayMedia({ video: true });
        screens.push(s);
      }
      a.addScreen(screens[0].getVideoTracks()[0], screens[0]);
      b.addScreen(screens[1].getVideoTracks()[0], screens[1]);
      await until(() => p.remote(a).get("screen") && p.remote(b).get("screen"), "both screens");
      expect(p.remote(b).get("screen")!.id).to.equal(screens[0].id);
      expect(p.remote(a).get("screen")!.id).to.equal(screens[1].id);
    } finally {
      for (const s of screens) for (const t of s.getTracks()) t.stop();
      a.close();
      b.close();
      p.close();
    }
  });

  it("a screen share arrives as a second video and goes away on stop", async function () {
    if (!(await canCaptureScreen())) return this.skip(); // no screen to capture (Firefox headless)
    const p = pair();
    const { a, b } = await p.connect();
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
    try {
      await until(() => a.connectionState === "connected", "connected");
      a.addScreen(screen.getVideoTracks()[0], screen);
      const remoteScreen = await until(() => p.remote(b).get("screen"), "screen on the far side");
      expect(remoteScreen.id).to.equal(screen.id);
      expect(p.remote(b).get("camera")).to.exist;
      const video = document.createElement("video");
      video.muted = true;
      video.srcObject = remoteScreen;
      await video.play();
      await until(() => video.videoWidth > 0, "screen video decoded");
      a.removeScreen();
      await until(() => !p.remote(b).has("screen"), "screen removed on the far side");
      expect(p.remote(b).get("camera")).to.exist;
    } finally {
      for (const t of screen.getTracks()) t.stop();
      a.close();
      b.close();
      p.close();
    }
  });

  it("replaceTrack swaps the camera without renegotiation; null sends nothing", async () => {
    const p = pair();
    const { a, b, ca } = await p.connect();
    try {
      await decodingBoth(a, b, "decoding");
      let offers = 0;
      a.on("signal", (s) => {
        if (s.description) offers++;
      });
      await a.replaceTrack("video", null);
      const before = await framesDecoded(b.pc);
      await new Promise((r) => setTimeout(r, 700));
      const during = await framesDecoded(b.pc);
      expect(during - before).to.be.lessThan(5);
      await a.replaceTrack("video", ca.getVideoTracks()[0]);
      await until(async () => (await framesDecoded(b.pc)) > during + 5, "video again");
      expect(offers).to.equal(0);
    } finally {
      a.close();
      b.close();
      p.close();
    }
  });

  it("recovers from a forced ICE failure by restarting ICE", async () => {
    // Candidates of the first ICE generation are dropped and the descriptions
    // carry none, so the first attempt cannot succeed (Chromium then waits in
    // `connecting` forever); the link restarts ICE and the new generation's go through.
    const firstGeneration = new Set<string>();
    const filter: Filter = (s) => {
      if (s.description?.sdp) {
        const ufrag = /a=ice-ufrag:(\S+)/.exec(s.description.sdp)?.[1];
        // The first offer and the first answer define generation one.
        if (ufrag && firstGeneration.size < 2) firstGeneration.add(ufrag);
        s.description.sdp = s.description.sdp.replace(/^a=candidate:.*\r\n/gm, "");
      }
      const ufrag = s.candidate?.usernameFragment;
      if (ufrag && firstGeneration.has(ufrag)) return null;
      return s;
    };
    const p = pair({ filter });
    const { a, b } = await p.connect();
    try {
      await until(() => a.connectionState === "connected", "recovered connection", 20000);
      const ufrag = /a=ice-ufrag:(\S+)/.exec(a.pc.localDescription!.sdp)![1];
      expect(firstGeneration.size).to.equal(2);
      expect(firstGeneration.has(ufrag), "connected on a restarted ICE generation").to.be.false;
      await decodingBoth(a, b, "decoding after restart");
    } finally {
      a.close();
      b.close();
      p.close();
    }
  });

  it("close() releases the connection and reports removed streams", async () => {
    const p = pair();
    const { a, b } = await p.connect();
    await until(() => p.remote(a).get("camera"), "remote stream");
    const removed: StreamRole[] = [];
    a.on("stream-removed", ({ role }) => removed.push(role));
    a.close();
    b.close();
    expect(a.pc.signalingState).to.equal("closed");
    expect(removed).to.deep.equal(["camera"]);
    a.close(); // idempotent
    p.close();
  });
});
