/**
 * The clock of a room's breakout timer: when it runs out, the registry asks
 * the rules (`timeUp`), which bring everyone back if the groups are still
 * open with that end. Every settings change restarts or stops it. In a
 * cluster every instance with seats in the room keeps one: the first to
 * fire brings everyone back, the others find nothing to do.
 */
import { RoomClock } from "./room-clock.ts";

export class BreakoutClock extends RoomClock {
  /** The room's breakouts now end at `endsAt` (the server's clock, ms), or never. */
  follow(room: string, endsAt: number | undefined): void {
    if (endsAt === undefined) this.stop(room);
    // Just past the end, so the rules find the time has come.
    else this.schedule(room, endsAt - Date.now() + 10);
  }
}
