/**
 * `npm run bench:receivers`: how Janus's and our server's cost grows with the
 * number of people receiving, beyond what browsers on two cores can show.
 * Two headless Chromium pages publish their cameras; 10, 20 and 40 synthetic
 * receivers (werift, a WebRTC stack in TypeScript) join the same room through
 * our protocol, say whose video they want (`sfu-view`), answer the SFU's
 * offer and count the RTP that reaches them. Inside a network namespace
 * (scripts/netns-run.ts), like the SFU tests.
 */
import { RTCPeerConnection } from "werift";
import { startJanus } from "../scripts/janus-process.ts";
import { launchBrowser, openPeer, type Peer, startServerProcess } from "../tests/e2e/harness.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

const COUNTS = (Deno.env.get("BENCH_RECEIVERS") ?? "10,20,40").split(",").map(Number);
const WINDOW_MS = 10_000;
const log = (s: string) => console.error(`· ${s}`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** CPU time of a process so far, in ms (utime + stime from /proc). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

/** One synthetic receiver: a WebSocket to our server and a werift connection to Janus. */
class Receiver {
  readonly ws: WebSocket;
  pc: RTCPeerConnection | null = null;
  packets = 0;
  videoPackets = 0;
  #id = "";

  constructor(url: string, room: string, name: string, private want: () => string[]) {
    this.ws = new WebSocket(url);
    this.ws.onopen = () => this.ws.send(JSON.stringify({ type: "join", room, name }));
    this.ws.onmessage = (e) => void this.#on(JSON.parse(String(e.data)));
  }

  async #on(msg: Record<string, unknown>): Promise<void> {
    if (msg.type === "joined") {
      this.#id = String(msg.id);
      if (msg.media === "sfu") this.#view();
    } else if (msg.type === "media-mode" && msg.mode === "sfu") this.#view();
    else if (msg.type === "peer-joined") this.#view();
    else if (msg.type === "sfu" && msg.pc === "sub" && msg.jsep) {
      const jsep = msg.jsep as { type: "offer"; sdp: string };
      const pc = this.pc ??= this.#connection();
      await pc.setRemoteDescription(jsep);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.ws.send(JSON.stringify({
        type: "sfu",
        pc: "sub",
        jsep: { type: "answer", sdp: pc.localDescription!.sdp },
      }));
    }
  }

  #view(): void {
    if (!this.#id) return;
    const video = Object.fromEntries(this.want().map((id) => [id, "low"]));
    this.ws.send(JSON.stringify({ type: "sfu-view", video }));
  }

  #connection(): RTCPeerConnection {
    const pc = new RTCPeerConnection({});
    pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe(() => {
        this.packets++;
        if (track.kind === "video") this.videoPackets++;
      });
    });
    return pc;
  }

  async close(): Promise<void> {
    this.ws.close();
    await this.pc?.close();
  }
}

const janus = await startJanus({ port: 8188 });
const server = await startServerProcess({
  JANUS_URLS: janus.url,
  MESH_MAX: "2",
  MAX_PEERS: "60",
  // One process holds every synthetic receiver: the per-address cap would refuse them.
  MAX_CONNECTIONS_PER_IP: "1000",
});
const browser = await launchBrowser();
const rows: string[] = [];
const peers: Peer[] = [];
try {
  for (const count of COUNTS) {
    const room = `recv-${count}-${crypto.randomUUID().slice(0, 6)}`;
    log(`2 publishers, ${count} receivers`);
    const publishers = await Promise.all(
      ["Pub0", "Pub1"].map((n) => openPeer(browser, `${server.origin}/?room=${room}&name=${n}`)),
    );
    peers.push(...publishers);
    for (const p of publishers) {
      await p.page.waitForFunction(
        () =>
          (document.querySelector("video-room") as { state?: string } | null)?.state === "joined",
        { timeout: 30_000 },
      );
    }
    // Who publishes: every receiver asks for both publishers' cameras (their ids from the room).
    let publisherIds: string[] = [];
    const receivers: Receiver[] = [];
    const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    for (let i = 0; i < count; i++) {
      receivers.push(new Receiver(wsUrl, room, `R${i}`, () => publisherIds));
    }
    // The publishers' ids, as the first receiver's room sees them.
    publisherIds = await new Promise<string[]>((resolve) => {
      const probe = new WebSocket(wsUrl);
      probe.onopen = () => probe.send(JSON.stringify({ type: "join", room, name: "Probe" }));
      probe.onmessage = (e) => {
        const msg = JSON.parse(String(e.data));
        if (msg.type !== "joined") return;
        resolve(
          (msg.peers as Array<{ id: string; name: string }>)
            .filter((p) => p.name.startsWith("Pub")).map((p) => p.id),
        );
        probe.close(1000); // a goodbye: its seat goes at once
      };
    });
    // Everyone asks again now that the ids are known.
    for (const r of receivers) {
      r.ws.send(JSON.stringify({
        type: "sfu-view",
        video: Object.fromEntries(publisherIds.map((id) => [id, "low"])),
      }));
    }
    const t0 = performance.now();
    while (performance.now() - t0 < 60_000 && receivers.some((r) => r.videoPackets === 0)) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const allReceiving = performance.now() - t0;
    const receiving = receivers.filter((r) => r.videoPackets > 0).length;
    const [j0, s0] = [await cpuMs(janus.pid), await cpuMs(server.pid)];
    const p0 = receivers.reduce((a, r) => a + r.packets, 0);
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const [j1, s1] = [await cpuMs(janus.pid), await cpuMs(server.pid)];
    const p1 = receivers.reduce((a, r) => a + r.packets, 0);
    const pct = (a: number, b: number) => ((b - a) / WINDOW_MS) * 100;
    rows.push(
      `| ${count} | ${receiving} of ${count} | ${fmt(allReceiving / 1000, 1)} s | ${
        fmt((p1 - p0) / (WINDOW_MS / 1000))
      } | ${fmt(pct(j0, j1))} % | ${fmt(pct(s0, s1), 1)} % |`,
    );
    console.error(`  ${rows.at(-1)}`);
    for (const r of receivers) await r.close();
    for (const p of publishers) await p.close();
    peers.length = 0;
  }
} finally {
  for (const p of peers) await p.close().catch(() => {});
  await browser.close();
  await server.stop();
  await janus.stop();
}

const lines = [
  "## Many receivers (synthetic)",
  "",
  `Run on ${new Date().toISOString().slice(0, 10)}, ${navigator.hardwareConcurrency} cores: two ` +
  "headless Chromium pages publish their cameras (simulcast), N synthetic receivers (werift, all " +
  "in one process beside them) take both cameras' small layer and the audio through our protocol. " +
  "CPU in % of one core, over 10 s once every receiver gets video.",
  "",
  "| receivers | getting video | until all do | packets/s received (all) | Janus CPU | our server CPU |",
  "| ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows,
  "",
  "Our server's share stays small: it relays only the negotiation; the media goes from Janus to " +
  "each receiver. Janus's cost grows with the packets it forwards (one copy per receiver).",
];
console.log(lines.join("\n"));
await writeBenchmarkSection("receivers", lines.join("\n"));
