/**
 * One timer per room, for the clocks that ask the room rules again when a
 * room's time comes (an SFU room down to two, a breakout timer): the rules
 * decide from the room as it is then, so a timer that fires late or for a
 * room that changed meanwhile does no harm.
 */
export class RoomClock {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(readonly due: (room: string) => void) {}

  /** `due(room)` in `delayMs` (replacing the room's timer). */
  protected schedule(room: string, delayMs: number): void {
    this.stop(room);
    const timer = setTimeout(() => {
      this.#timers.delete(room);
      this.due(room);
    }, Math.min(Math.max(0, delayMs), 2 ** 31 - 1)); // setTimeout's longest
    this.#timers.set(room, timer);
  }

  stop(room: string): void {
    clearTimeout(this.#timers.get(room));
    this.#timers.delete(room);
  }

  /** Stops every timer (shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
