/**
 * Connection quality while in a call: the quality monitor (a chunk, loaded
 * on join) rates each person's media every 2 s and ours on the uplink; the
 * ratings go on the roster, and once our uplink has been poor for
 * UNSTABLE_AFTER_MS the session says so (`unstable`), until it recovers.
 */
import type { QualityMonitor } from "../quality/connection-quality.ts";
import type { MediaTransport, TileSize } from "../transport/media-transport.ts";
import { LOCAL_ID, type SessionContext } from "./session-types.ts";

/** How long the own uplink must stay poor before we say the connection is unstable. */
const UNSTABLE_AFTER_MS = 5000;

export class UplinkWatch {
  /** Whether our uplink has been poor for a while. */
  unstable = false;
  #monitor: Promise<QualityMonitor | null> | null = null;
  #poorSince = 0;

  constructor(
    readonly context: SessionContext,
    /** How large each peer shows here (hidden ones are not rated on video). */
    readonly sizes: () => ReadonlyMap<string, TileSize>,
    /** Whether we send video now. */
    readonly videoOut: () => boolean,
  ) {}

  /** Starts rating (once per call); `transport` is the call's. */
  start(transport: MediaTransport | null): void {
    if (this.#monitor) return;
    const started = import("../quality/connection-quality.ts").then(({ QualityMonitor }) => {
      if (this.#monitor !== started || !transport) return null; // stopped while loading
      const { roster } = this.context;
      return new QualityMonitor({
        transport,
        videoFrom: (peer) =>
          (roster.get(peer)?.state.video ?? false) && this.sizes().get(peer) !== "hidden",
        videoOut: this.videoOut,
        onRate: (peer, quality) => {
          if (peer !== null) return roster.update(peer, { quality });
          roster.update(LOCAL_ID, { quality });
          this.#rateUplink(quality === "poor");
        },
      });
    }, () => null);
    this.#monitor = started;
  }

  stop(): void {
    void this.#monitor?.then((m) => m?.stop());
    this.#monitor = null;
    this.#poorSince = 0;
    this.unstable = false;
  }

  #rateUplink(poor: boolean): void {
    const now = performance.now();
    if (!poor) this.#poorSince = 0;
    else this.#poorSince ||= now;
    const unstable = this.#poorSince > 0 && now - this.#poorSince >= UNSTABLE_AFTER_MS;
    if (unstable === this.unstable) return;
    this.unstable = unstable;
    this.context.emit("unstable", unstable);
    this.context.changed();
  }
}
