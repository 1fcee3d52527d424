/**
 * Connection quality from WebRTC statistics: good, fair or poor, for what we
 * receive from each peer and for our own uplink. A chunk, started on join.
 *
 * Each rating reads the last interval (2 s): packet loss, round-trip time,
 * jitter and, when video is expected, its frame rate. The worst measure sets
 * the rating, against QUALITY_THRESHOLDS.
 */
import type { MediaTransport } from "../transport/media-transport.ts";

export type Quality = "good" | "fair" | "poor";

/** One interval's measures of a connection. */
export interface QualitySample {
  /** Packets lost, of those sent (0–1). */
  loss: number;
  /** Round-trip time, seconds. */
  rtt: number;
  /** Jitter, seconds. */
  jitter: number;
  /** Video frames per second, or null when no video is expected. */
  fps: number | null;
}

/**
 * At or beyond a `poor` value the connection is poor; at or beyond a `fair`
 * one, fair (frame rates: at or below). What people notice: a few percent of
 * loss makes speech choppy, 300 ms of round trip makes people talk over each
 * other, video below 15 fps looks jerky and below 5 is a slide show.
 */
export const QUALITY_THRESHOLDS = {
  fair: { loss: 0.03, rtt: 0.3, jitter: 0.03, fps: 15 },
  poor: { loss: 0.1, rtt: 0.6, jitter: 0.1, fps: 5 },
} as const;

export function rateQuality(s: QualitySample): Quality {
  const beyond = (t: { loss: number; rtt: number; jitter: number; fps: number }) =>
    s.loss >= t.loss || s.rtt >= t.rtt || s.jitter >= t.jitter ||
    (s.fps !== null && s.fps <= t.fps);
  if (beyond(QUALITY_THRESHOLDS.poor)) return "poor";
  if (beyond(QUALITY_THRESHOLDS.fair)) return "fair";
  return "good";
}

const RANK: Record<Quality, number> = { good: 0, fair: 1, poor: 2 };

interface Counts {
  received: number;
  lost: number;
}

/** What one connection's report says: what comes in, and what goes out (our uplink). */
export function readStats(
  report: RTCStatsReport,
  before: Counts | undefined,
  expectVideoIn: boolean,
  expectVideoOut: boolean,
): { inbound: QualitySample; outbound: QualitySample | null; counts: Counts } {
  let received = 0, lost = 0, jitter = 0, rtt = 0, fpsIn: number | null = null;
  let outLoss = 0, outRtt = 0, outJitter = 0, sending = false;
  let fpsOut: number | null = null;
  report.forEach((s) => {
    if (s.type === "inbound-rtp") {
      received += s.packetsReceived ?? 0;
      lost += Math.max(0, s.packetsLost ?? 0);
      jitter = Math.max(jitter, s.jitter ?? 0);
      if (s.kind === "video") fpsIn = Math.max(fpsIn ?? 0, s.framesPerSecond ?? 0);
    } else if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
      rtt = s.currentRoundTripTime ?? rtt;
    } else if (s.type === "remote-inbound-rtp") {
      sending = true;
      outLoss = Math.max(outLoss, s.fractionLost ?? 0);
      outRtt = Math.max(outRtt, s.roundTripTime ?? 0);
      outJitter = Math.max(outJitter, s.jitter ?? 0);
    } else if (s.type === "outbound-rtp" && s.kind === "video" && s.active !== false) {
      // (An encoding paused because the peer does not show us is not a slow uplink.)
      fpsOut = Math.max(fpsOut ?? 0, s.framesPerSecond ?? 0);
    }
  });
  const dReceived = received - (before?.received ?? received);
  const dLost = lost - (before?.lost ?? lost);
  const loss = dReceived + dLost > 0 ? dLost / (dReceived + dLost) : 0;
  return {
    inbound: { loss, rtt, jitter, fps: expectVideoIn ? fpsIn ?? 0 : null },
    outbound: sending
      ? {
        loss: outLoss,
        rtt: outRtt || rtt,
        jitter: outJitter,
        fps: expectVideoOut ? fpsOut : null,
      }
      : null,
    counts: { received, lost },
  };
}

export interface QualityMonitorOptions {
  transport: Pick<MediaTransport, "connections">;
  /** Whether a peer's video should be arriving (their camera is on). */
  videoFrom(peer: string): boolean;
  /** Whether our own camera is on. */
  videoOut(): boolean;
  /** A peer's rating, or ours (`peer` null) for the uplink. */
  onRate(peer: string | null, quality: Quality): void;
  intervalMs?: number;
}

/** Polls the transport's connections and rates them, until stopped. */
export class QualityMonitor {
  readonly #o: QualityMonitorOptions;
  readonly #counts = new WeakMap<RTCPeerConnection, Counts>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(options: QualityMonitorOptions) {
    this.#o = options;
    this.#timer = setInterval(() => void this.#poll(), options.intervalMs ?? 2000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#busy) return; // a slow getStats never piles up
    this.#busy = true;
    try {
      let uplink: Quality | null = null;
      for (const { peers, pc } of this.#o.transport.connections()) {
        if (pc.connectionState !== "connected") continue;
        const before = this.#counts.get(pc);
        const stats = readStats(
          await pc.getStats(),
          before,
          peers.some((p) => this.#o.videoFrom(p)),
          this.#o.videoOut(),
        );
        this.#counts.set(pc, stats.counts);
        if (!before || this.#timer === undefined) continue; // rates need two readings
        const q = rateQuality(stats.inbound);
        for (const peer of peers) this.#o.onRate(peer, q);
        // The uplink is as good as its best connection: one bad peer is their downlink's fault.
        if (stats.outbound) {
          const up = rateQuality(stats.outbound);
          if (uplink === null || RANK[up] < RANK[uplink]) uplink = up;
        }
      }
      if (uplink && this.#timer !== undefined) this.#o.onRate(null, uplink);
    } finally {
      this.#busy = false;
    }
  }
}
