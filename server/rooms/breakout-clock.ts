/**
 * The clock of a room's breakout timer: when it runs out, the registry asks
 * the rules (`timeUp`), which bring everyone back if the groups are still
 * open with that end. One timer per room; every settings change restarts or
 * stops it. In a cluster every instance with seats in the room keeps one:
 * the first to fire brings everyone back, the others find nothing to do.
 */
export class BreakoutClock {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(readonly timeUp: (room: string) => void) {}

  /** The room's breakouts now end at `endsAt` (the server's clock, ms), or never. */
  follow(room: string, endsAt: number | undefined): void {
    this.stop(room);
    if (endsAt === undefined) return;
    // Just past the end, so the rules find the time has come.
    const wait = Math.max(0, endsAt - Date.now()) + 10;
    this.#timers.set(
      room,
      setTimeout(() => {
        this.#timers.delete(room);
        this.timeUp(room);
      }, Math.min(wait, 2 ** 31 - 1)),
    );
  }

  stop(room: string): void {
    clearTimeout(this.#timers.get(room));
    this.#timers.delete(room);
  }

  /** Stops every clock (shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
