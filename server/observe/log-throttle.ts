/**
 * "At most one line per source per interval": whatever a client can trigger
 * at will (malformed upgrades, refused origins) must not let it flood the
 * log. Remembers a bounded number of sources.
 */
export class LogThrottle {
  readonly #last = new Map<string, number>();

  constructor(readonly intervalMs = 60_000, readonly maxSources = 10_000) {}

  /** True when `source` may log now (and starts its quiet interval). */
  allow(source: string, now = Date.now()): boolean {
    const last = this.#last.get(source);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (this.#last.size >= this.maxSources) {
      // Forget sources whose interval is over; if none is, the oldest.
      for (const [key, t] of this.#last) if (now - t >= this.intervalMs) this.#last.delete(key);
      if (this.#last.size >= this.maxSources) this.#last.delete(this.#last.keys().next().value!);
    }
    this.#last.delete(source); // re-insert: the map stays in time order
    this.#last.set(source, now);
    return true;
  }
}
