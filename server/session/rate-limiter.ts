/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`.
 * Cheap enough to run on every frame.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    // Date.now() is a V8 builtin; performance.now() is a runtime op call, which
    // showed in the relay profile at one call per message. 1 ms is plenty here.
    readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const t = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#last) / 1000) * this.perSecond);
    this.#last = t;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
