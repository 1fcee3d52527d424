/**
 * The join, step by step: Ana is in a room; Bo opens the invite link (the
 * demo with ?room&name, so he joins without a click) and the page records
 * when each step happened, from the element's own `video-room:<step>`
 * performance marks, plus the first remote frame actually decoded (getStats,
 * polled inside the page). Headless Chromium, fake devices, two contexts of
 * one browser on this machine; medians over the runs.
 *
 *   npm run bench:join                 # this tree, writes the "join" section
 *   deno run -A bench/join-bench.ts --origin=http://127.0.0.1:8000 --runs=9 --no-write
 *     (any running server: e.g. an older checkout, to compare)
 */
import type { Page } from "puppeteer-core";
import { launchBrowser, openPeer, startServerProcess } from "../tests/e2e/harness.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

/** The steps in the order a join goes through them. */
export const STEPS = [
  "bundle-evaluated",
  "join-start",
  "camera-ready",
  "socket-open",
  "joined",
  "offer-sent",
  "ice-connected",
  "first-frame",
  "first-decoded",
] as const;
export type Step = (typeof STEPS)[number];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Marks the first decoded remote frame on the page's own clock. */
async function watchFirstDecoded(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const timer = setInterval(async () => {
      const pcs = (globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
      for (const pc of pcs) {
        const stats = await pc.getStats().catch(() => null);
        let frames = 0;
        stats?.forEach((s) => {
          if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded ?? 0;
        });
        if (frames > 0) {
          performance.mark("video-room:first-decoded");
          clearInterval(timer);
          return;
        }
      }
    }, 5);
  });
}

async function stepsOf(page: Page, timeoutMs = 30000): Promise<Partial<Record<Step, number>>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const marks = await page.evaluate(() =>
      Object.fromEntries(
        performance.getEntriesByType("mark")
          .filter((m) => m.name.startsWith("video-room:"))
          .map((m) => [m.name.slice("video-room:".length), m.startTime]),
      )
    );
    if (marks["first-decoded"] !== undefined) return marks;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no remote frame decoded within 30 s");
}

export interface JoinTimeline {
  runs: number;
  /** Median ms since navigation, per step (steps the page never marked are absent). */
  median: Partial<Record<Step, number>>;
  /** Navigation → first decoded remote frame, every run. */
  totals: number[];
}

/**
 * Runs the join against each origin in turn, `runs` times each, interleaved
 * so that machine noise hits all alike.
 */
export async function joinTimelines(
  origins: string[],
  runs: number,
): Promise<JoinTimeline[]> {
  const browser = await launchBrowser();
  const all: Partial<Record<Step, number>>[][] = origins.map(() => []);
  try {
    for (let i = 0; i < runs + 1; i++) {
      for (const [k, origin] of origins.entries()) {
        const room = `join-${i}-${crypto.randomUUID().slice(0, 6)}`;
        const ana = await openPeer(browser, `${origin}/?room=${room}&name=Ana`);
        await new Promise((r) => setTimeout(r, 700)); // Ana is in before Bo arrives
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        await page.evaluateOnNewDocument(() => {
          const Native = RTCPeerConnection;
          const pcs: RTCPeerConnection[] = [];
          (globalThis as { __pcs?: RTCPeerConnection[] }).__pcs = pcs;
          // deno-lint-ignore no-explicit-any
          (globalThis as any).RTCPeerConnection = function (config?: RTCConfiguration) {
            const pc = new Native(config);
            pcs.push(pc);
            return pc;
          };
          // deno-lint-ignore no-explicit-any
          (globalThis as any).RTCPeerConnection.prototype = Native.prototype;
        });
        await watchFirstDecoded(page);
        await page.goto(`${origin}/?room=${room}&name=Bo`);
        const steps = await stepsOf(page);
        if (i > 0) all[k].push(steps); // the first round warms the browser and servers up
        await context.close();
        await ana.close();
      }
    }
  } finally {
    await browser.close();
  }
  return all.map((list) => {
    const med: Partial<Record<Step, number>> = {};
    for (const step of STEPS) {
      const xs = list.map((s) => s[step]).filter((x): x is number => x !== undefined);
      if (xs.length) med[step] = median(xs);
    }
    return { runs, median: med, totals: list.map((s) => s["first-decoded"]!) };
  });
}

export function timelineTable(columns: Array<[string, JoinTimeline]>): string {
  const fmt = (n: number | undefined) => (n === undefined ? "–" : String(Math.round(n)));
  return [
    `| step (ms since navigation, median) | ${columns.map(([name]) => name).join(" | ")} |`,
    `| --- |${columns.map(() => " ---: |").join("")}`,
    ...STEPS.map((step) =>
      `| ${step} | ${columns.map(([, t]) => fmt(t.median[step])).join(" | ")} |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const arg = (name: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const runs = Number(arg("runs") ?? 9);
  // --before=<origin>: a server running an older checkout, measured interleaved with this tree.
  const before = arg("before");
  const server = await startServerProcess();
  try {
    const origins = before ? [before, server.origin] : [server.origin];
    const timelines = await joinTimelines(origins, runs);
    const columns: Array<[string, JoinTimeline]> = before
      ? [["before", timelines[0]], ["after", timelines[1]]]
      : [["this tree", timelines[0]]];
    const table = timelineTable(columns);
    console.log(table);
    for (const [name, t] of columns) {
      console.log(
        `${name}: navigation → first decoded frame, every run (ms): ${
          t.totals.map(Math.round).join(", ")
        }`,
      );
    }
    if (!Deno.args.includes("--no-write")) {
      await writeBenchmarkSection(
        "join",
        [
          "## Join, step by step: `npm run bench:join` (bench/join-bench.ts)",
          "",
          `Two headless Chromium contexts on this machine, fake devices: Ana is in the room, Bo opens the invite link and joins without a click. Each step is the page's own \`video-room:<step>\` performance mark, in ms since Bo's navigation started; "first-decoded" is the first remote video frame in getStats. Medians of ${runs} runs after one warm-up, ${
            before ? "interleaved with a server of the older checkout, " : ""
          }${new Date().toISOString().slice(0, 10)}.`,
          "",
          table,
          "",
          ...columns.map(([name, t]) =>
            `Every run, ${name}: navigation → first decoded frame (ms): ${
              t.totals.map(Math.round).join(", ")
            }.`
          ),
          "",
          (await Deno.readTextFile(new URL("./results/join-notes.md", import.meta.url)).catch(() =>
            ""
          )).trim(),
        ].join("\n"),
      );
      console.error("wrote docs/benchmarks.md");
    }
  } finally {
    await server.stop();
  }
}
