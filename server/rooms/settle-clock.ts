/**
 * The clock of an SFU room down to two: once it may go back to the mesh
 * (BACK_TO_MESH_MS after it shrank), the registry asks the rules again
 * (`settleMedia`), which decide from the room as it is then. One timer per
 * room; a change of the room's media path restarts or stops it.
 */
import { BACK_TO_MESH_MS, type MediaPath } from "./room-rules.ts";

export class SettleClock {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly settle: (room: string) => void,
    /** Just past BACK_TO_MESH_MS, so the rules find the time has come. */
    readonly delayMs = BACK_TO_MESH_MS + 10,
  ) {}

  /** The room's media path changed: its clock runs while it is down to two (`low`). */
  follow(room: string, media: MediaPath): void {
    this.stop(room);
    if (media.low === undefined) return;
    this.#timers.set(
      room,
      setTimeout(() => {
        this.#timers.delete(room);
        this.settle(room);
      }, this.delayMs),
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
