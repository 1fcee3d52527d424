/**
 * `npm run bench:sfu`: mesh against SFU for 3 to 6 people on this machine,
 * side by side: each sender's uplink (from bytesSent), whole-machine CPU,
 * the time until everyone shows everyone, and a late joiner's first frame.
 * Runs inside a network namespace of its own (scripts/netns-run.ts: Janus
 * never uses loopback for media), with one real Janus and headless Chromium.
 * Bounded: one run per size and mode, fixed windows.
 */
import type { Page } from "puppeteer-core";
import { startJanus } from "../scripts/janus-process.ts";
import { launchBrowser, openPeer, type Peer, startServerProcess } from "../tests/e2e/harness.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

/** BENCH_SIZES=6 (a comma list) measures only those sizes; BENCH_MODES=sfu only that mode. */
const SIZES = (Deno.env.get("BENCH_SIZES") ?? "3,4,5,6").split(",").map(Number);
const MODES = (Deno.env.get("BENCH_MODES") ?? "mesh,sfu").split(",") as Array<"mesh" | "sfu">;
/** How long uplink and CPU are measured once everyone shows everyone. */
const WINDOW_MS = 10_000;
const log = (s: string) => console.error(`· ${s}`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Remote camera tiles playing on the page. */
function playingCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const room = document.querySelector("video-room");
    let n = 0;
    for (const t of room?.shadowRoot?.querySelectorAll("peer-tile") ?? []) {
      const tile = t as HTMLElement & { local: boolean; screen: boolean };
      const video = tile.shadowRoot?.querySelector("video");
      if (!tile.local && !tile.screen && video && video.videoWidth > 0 && video.currentTime > 0) {
        n++;
      }
    }
    return n;
  });
}

/** Open peer connections on the page. */
function openConnections(page: Page): Promise<number> {
  return page.evaluate(() =>
    ((globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? [])
      .filter((pc) => pc.connectionState !== "closed").length
  );
}

/** Bytes this page has sent on every connection it made. */
function bytesSent(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let total = 0;
    for (const pc of (globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? []) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === "outbound-rtp") total += s.bytesSent ?? 0;
      });
    }
    return total;
  });
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
async function cpuTicks(): Promise<{ busy: number; total: number }> {
  const line = (await Deno.readTextFile("/proc/stat")).split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await check()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

interface Run {
  /** ms from the first page opening until every page shows every other person. */
  allShowing: number | null;
  /** Median uplink per sender over the window, kbps. */
  uplinkKbps: number;
  /** Whole machine, % of one core. */
  cpuPercent: number;
  /** A late joiner: ms from opening the page to its first remote picture. */
  lateFirstFrame: number | null;
}

async function run(n: number, mode: "mesh" | "sfu", janusUrl: string): Promise<Run> {
  // The same server for both: MESH_MAX decides whether n people are a mesh.
  const server = await startServerProcess({
    JANUS_URLS: janusUrl,
    MESH_MAX: mode === "mesh" ? "8" : "2",
    RESUME_GRACE_MS: "1000",
  });
  const browser = await launchBrowser();
  const peers: Peer[] = [];
  try {
    const room = `bench-${mode}-${n}-${crypto.randomUUID().slice(0, 6)}`;
    const url = (name: string) => `${server.origin}/?room=${room}&name=${name}`;
    const t0 = performance.now();
    peers.push(
      ...await Promise.all(Array.from({ length: n }, (_, i) => openPeer(browser, url(`P${i}`)))),
    );
    const showing = await until(
      async () =>
        (await Promise.all(peers.map((p) => playingCount(p.page)))).every((c) => c === n - 1),
      60000,
    );
    const allShowing = showing === null ? null : performance.now() - t0;
    // Uplink and CPU over a steady window: once every page holds only the connections of its
    // mode (the mesh's to the SFU gone), and the senders' bandwidth estimates have settled.
    const settled = (c: number) => c === (mode === "sfu" ? 2 : n - 1);
    await until(
      async () => (await Promise.all(peers.map((p) => openConnections(p.page)))).every(settled),
      30000,
    );
    // Key frames for the last subscriptions and the senders' bandwidth ramp are over by then.
    await new Promise((r) => setTimeout(r, 5000));
    const before = await Promise.all(peers.map((p) => bytesSent(p.page)));
    const cpu0 = await cpuTicks();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu1 = await cpuTicks();
    const after = await Promise.all(peers.map((p) => bytesSent(p.page)));
    const kbps = after.map((b, i) => ((b - before[i]) * 8) / WINDOW_MS).sort((a, b) => a - b);
    const cores = navigator.hardwareConcurrency;
    const cpuPercent = ((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * 100 * cores;
    const tLate = performance.now();
    const late = await openPeer(browser, url("Late"));
    peers.push(late);
    const first = await until(async () => (await playingCount(late.page)) > 0, 60000);
    return {
      allShowing,
      uplinkKbps: kbps[Math.floor(kbps.length / 2)],
      cpuPercent,
      lateFirstFrame: first === null ? null : performance.now() - tLate,
    };
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
}

const janus = await startJanus({ port: 8188 });
const results: Record<string, Run> = {};
try {
  for (const n of SIZES) {
    for (const mode of MODES) {
      log(`${n} people, ${mode}`);
      results[`${mode}-${n}`] = await run(n, mode, janus.url);
      console.error(`  ${JSON.stringify(results[`${mode}-${n}`])}`);
    }
  }
} finally {
  await janus.stop();
}

const ms = (x: number | null) => (x === null ? "> 60 s" : `${fmt(x / 1000, 1)} s`);
const lines = [
  "## Mesh or SFU",
  "",
  `Run on ${new Date().toISOString().slice(0, 10)}, ${navigator.hardwareConcurrency} cores; ` +
  "every person is a headless Chromium context on this one machine (fake 1280×720 camera), " +
  "Janus 1.1.2 and the server beside them, all in one network namespace. One run per cell. " +
  "SFU rooms here start as a mesh of two and move to the SFU as the third joins (MESH_MAX=2), " +
  "as they would in use.",
  "",
  "| people | uplink per sender, mesh | uplink per sender, SFU | CPU, mesh | CPU, SFU | everyone shows everyone, mesh | … SFU | late joiner's first frame, mesh | … SFU |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const n of SIZES) {
  const m = results[`mesh-${n}`];
  const s = results[`sfu-${n}`];
  if (!m || !s) continue;
  lines.push(
    `| ${n} | ${fmt(m.uplinkKbps)} kbps | ${fmt(s.uplinkKbps)} kbps | ${fmt(m.cpuPercent)} % | ${
      fmt(s.cpuPercent)
    } % | ${ms(m.allShowing)} | ${ms(s.allShowing)} | ${ms(m.lateFirstFrame)} | ${
      ms(s.lateFirstFrame)
    } |`,
  );
}
lines.push(
  "",
  "CPU is the whole machine in % of one core (browsers, Janus and server together). Uplink is the " +
    "median sender's bytesSent over 10 s (once only the mode's own connections are open, 5 s later), all of its connections together: in the mesh one encoding " +
    "per other person (each shrinks as the mesh grows), through the SFU one simulcast camera " +
    "(two layers) whatever the size.",
);
console.log(lines.join("\n"));
await writeBenchmarkSection("sfu", lines.join("\n"));
