/**
 * The clock of an SFU room down to two: once it may go back to the mesh
 * (BACK_TO_MESH_MS after it shrank), the registry asks the rules again
 * (`settleMedia`), which decide from the room as it is then. A change of the
 * room's media path restarts or stops it.
 */
import { RoomClock } from "./room-clock.ts";
import { BACK_TO_MESH_MS, type MediaPath } from "./room-rules.ts";

export class SettleClock extends RoomClock {
  constructor(
    settle: (room: string) => void,
    /** Just past BACK_TO_MESH_MS, so the rules find the time has come. */
    readonly delayMs = BACK_TO_MESH_MS + 10,
  ) {
    super(settle);
  }

  /** The room's media path changed: its clock runs while it is down to two (`low`). */
  follow(room: string, media: MediaPath): void {
    if (media.low === undefined) this.stop(room);
    else this.schedule(room, this.delayMs);
  }
}
