import {
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
  type PeerInfo,
  type ServerMessage,
} from "../protocol/messages.ts";
import { randomId } from "./random-id.ts";

/** Where a seat's messages go: the socket currently holding it. */
export interface SeatSink {
  send(text: string): void;
  /** Closes the transport; used when a resume from elsewhere replaces it. */
  close(code: number, reason: string): void;
}

/** One participant's place in a room; it outlives a dropped socket for the grace period. */
export interface Seat {
  readonly id: string;
  readonly room: string;
  readonly name: string;
  state: MediaState;
  resumeToken: string;
  /** `null` while the seat waits in its resume grace. */
  sink: SeatSink | null;
  graceTimer?: ReturnType<typeof setTimeout>;
}

export interface RegistryOptions {
  maxPeers: number;
  resumeGraceMs: number;
  /** Called for each message delivered to a peer, by type (for metrics). */
  onDeliver?: (type: ServerMessage["type"]) => void;
}

/**
 * Rooms and their seats, in this process's memory. Every join, resume, leave
 * and fan-out goes through here, so the rules live in one place.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Map<string, Seat>>();
  readonly #byResume = new Map<string, Seat>();

  constructor(readonly options: RegistryOptions) {}

  get roomCount(): number {
    return this.#rooms.size;
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.size;
    return n;
  }

  /** A new seat, or `room-full`. Tells the others. */
  join(room: string, name: string, sink: SeatSink): Seat | ErrorCode {
    let seats = this.#rooms.get(room);
    if (seats && seats.size >= this.options.maxPeers) return ErrorCode.RoomFull;
    if (!seats) {
      seats = new Map();
      this.#rooms.set(room, seats);
    }
    const seat: Seat = {
      id: randomId(12),
      room,
      name,
      state: { ...INITIAL_STATE },
      resumeToken: randomId(24),
      sink,
    };
    this.#byResume.set(seat.resumeToken, seat);
    this.broadcast(seat, { type: "peer-joined", peer: this.info(seat) });
    seats.set(seat.id, seat);
    return seat;
  }

  /**
   * Gives a seat back to whoever shows its resume token for the same room,
   * replacing any socket still attached. The token is spent; a new one is issued.
   */
  resume(token: string, room: string, sink: SeatSink): Seat | undefined {
    const seat = this.#byResume.get(token);
    if (!seat || seat.room !== room) return undefined;
    this.#byResume.delete(token);
    clearTimeout(seat.graceTimer);
    seat.graceTimer = undefined;
    const old = seat.sink;
    seat.sink = sink;
    old?.close(4001, "seat resumed elsewhere");
    seat.resumeToken = randomId(24);
    this.#byResume.set(seat.resumeToken, seat);
    return seat;
  }

  /** Removes a seat now and tells the others. */
  leave(seat: Seat): void {
    const seats = this.#rooms.get(seat.room);
    if (!seats || seats.get(seat.id) !== seat) return;
    clearTimeout(seat.graceTimer);
    seat.sink = null;
    seats.delete(seat.id);
    this.#byResume.delete(seat.resumeToken);
    if (seats.size === 0) this.#rooms.delete(seat.room);
    this.broadcast(seat, { type: "peer-left", id: seat.id });
  }

  /** The socket dropped without a goodbye: keep the seat for the grace period. */
  detach(seat: Seat, sink: SeatSink): void {
    if (seat.sink !== sink) return; // already resumed elsewhere
    seat.sink = null;
    clearTimeout(seat.graceTimer);
    seat.graceTimer = setTimeout(() => this.leave(seat), this.options.resumeGraceMs);
  }

  /** A peer in the same room as `from`, or undefined (rooms are isolated). */
  find(from: Seat, id: string): Seat | undefined {
    return this.#rooms.get(from.room)?.get(id);
  }

  /** Everyone else in the seat's room, as the joiner sees them. */
  othersOf(seat: Seat): PeerInfo[] {
    const out: PeerInfo[] = [];
    for (const other of this.#rooms.get(seat.room)?.values() ?? []) {
      if (other !== seat) out.push(this.info(other));
    }
    return out;
  }

  info(seat: Seat): PeerInfo {
    return { id: seat.id, name: seat.name, state: { ...seat.state } };
  }

  /** Sends to one seat, if it has a socket right now. */
  deliver(seat: Seat, message: ServerMessage, text = JSON.stringify(message)): boolean {
    if (!seat.sink) return false;
    seat.sink.send(text);
    this.options.onDeliver?.(message.type);
    return true;
  }

  /** Sends to everyone in the seat's room; the seat itself only if `includeSelf`. */
  broadcast(seat: Seat, message: ServerMessage, includeSelf = false): void {
    const seats = this.#rooms.get(seat.room);
    if (!seats) return;
    const text = JSON.stringify(message); // serialise once for the whole room
    for (const other of seats.values()) {
      if (other !== seat || includeSelf) this.deliver(other, message, text);
    }
  }

  /** Cancels every grace timer (server shutdown). */
  dispose(): void {
    for (const seats of this.#rooms.values()) {
      for (const seat of seats.values()) clearTimeout(seat.graceTimer);
    }
    this.#rooms.clear();
    this.#byResume.clear();
  }
}
