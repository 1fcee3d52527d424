/**
 * Browser figures: from navigation to the first decoded remote video frame
 * (two people via the demo URL), and how long 2, 4 and 6 people take to
 * reach a full mesh where every pair decodes video. Headless Chromium, fake
 * camera and microphone, one browser with a context per person.
 */
import type { Page } from "puppeteer-core";
import {
  launchBrowser,
  mediaCounters,
  openPeer,
  startServerProcess,
} from "../tests/e2e/harness.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Polls until every connection on the page decodes video: ms since `t0`, or null on timeout. */
async function decodingAt(page: Page, connections: number, t0: number, timeoutMs = 30000) {
  while (performance.now() - t0 < timeoutMs) {
    const c = await mediaCounters(page);
    if (c.framesDecoded.length >= connections && c.framesDecoded.every((f) => f > 0)) {
      return performance.now() - t0;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}

export async function browserBench(runs = 5) {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const firstFrame: number[] = [];
    for (let i = 0; i < runs; i++) {
      const room = `bench-${i}-${crypto.randomUUID().slice(0, 6)}`;
      const ana = await openPeer(browser, `${server.origin}/?room=${room}&name=Ana`);
      await new Promise((r) => setTimeout(r, 500)); // Ana is in before Bo arrives
      const t0 = performance.now();
      const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`);
      const t = await decodingAt(bo.page, 1, t0);
      if (t === null) throw new Error("two peers did not connect in 30 s");
      firstFrame.push(t);
      await ana.close();
      await bo.close();
    }
    /** ms until every pair decodes, or null if not within a minute. */
    const mesh: Record<number, number | null> = {};
    for (const n of [2, 4, 6]) {
      const room = `mesh-${n}-${crypto.randomUUID().slice(0, 6)}`;
      const t0 = performance.now();
      const peers = await Promise.all(
        Array.from(
          { length: n },
          (_, i) => openPeer(browser, `${server.origin}/?room=${room}&name=P${i}`),
        ),
      );
      const times = await Promise.all(peers.map((p) => decodingAt(p.page, n - 1, t0, 60000)));
      mesh[n] = times.includes(null) ? null : Math.max(...(times as number[]));
      for (const p of peers) await p.close();
    }
    return { firstFrameMedian: median(firstFrame), firstFrame, mesh };
  } finally {
    await browser.close();
    await server.stop();
  }
}
