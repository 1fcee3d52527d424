/**
 * Who holds the stage: the dominant speaker, with hysteresis. Someone must
 * speak for `takeMs` without a break to take the stage, so a cough or a "mm"
 * does not steal it; silence keeps the last speaker there. Fed with the
 * speaking detector's on/off changes; the clock is passed in, so it is
 * tested without waiting.
 */
export class DominantSpeaker {
  /** The one on stage, or null before anyone has spoken long enough. */
  current: string | null = null;
  /** Who is speaking now, since when. */
  readonly #since = new Map<string, number>();

  constructor(readonly takeMs = 1500) {}

  /** Someone started or stopped speaking. True when the stage changed hands. */
  update(id: string, speaking: boolean, now: number): boolean {
    if (speaking) {
      if (!this.#since.has(id)) this.#since.set(id, now);
    } else this.#since.delete(id);
    return this.tick(now);
  }

  /** Someone left: off the stage too (it stays empty until someone speaks). */
  remove(id: string, now: number): boolean {
    this.#since.delete(id);
    if (this.current !== id) return this.tick(now);
    this.current = null;
    this.tick(now);
    return true;
  }

  /**
   * Looks again at who has spoken long enough. The one on stage keeps it
   * while speaking; otherwise whoever has spoken longest takes it.
   */
  tick(now: number): boolean {
    if (this.current !== null && this.#since.has(this.current)) return false;
    let best: string | null = null;
    let bestSince = Infinity;
    for (const [id, since] of this.#since) {
      if (now - since >= this.takeMs && since < bestSince) [best, bestSince] = [id, since];
    }
    if (best === null || best === this.current) return false;
    this.current = best;
    return true;
  }

  /** When the next speaker could take the stage (to tick then), or null if nobody could. */
  nextChange(now: number): number | null {
    if (this.current !== null && this.#since.has(this.current)) return null;
    let next: number | null = null;
    for (const since of this.#since.values()) {
      const at = Math.max(now, since + this.takeMs);
      if (next === null || at < next) next = at;
    }
    return next;
  }
}
