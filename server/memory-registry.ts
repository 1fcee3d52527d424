import {
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
  type PeerInfo,
  type ServerMessage,
  type SignalData,
} from "../protocol/messages.ts";
import { randomId } from "./random-id.ts";
import {
  type Admission,
  info,
  type RegistryOptions,
  type RoomRegistry,
  type Seat,
  type SeatSink,
} from "./room-registry.ts";

interface MemorySeat extends Seat {
  graceTimer?: ReturnType<typeof setTimeout>;
}

/** Rooms and their seats in this process's memory: the default, for one instance. */
export class MemoryRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, Map<string, MemorySeat>>();
  readonly #byResume = new Map<string, MemorySeat>();
  readonly unavailable = null;

  constructor(readonly options: RegistryOptions) {}

  get roomCount(): number {
    return this.#rooms.size;
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.size;
    return n;
  }

  join(room: string, name: string, sink: SeatSink): Promise<Admission | ErrorCode> {
    let seats = this.#rooms.get(room);
    if (seats && seats.size >= this.options.maxPeers) return Promise.resolve(ErrorCode.RoomFull);
    if (!seats) {
      seats = new Map();
      this.#rooms.set(room, seats);
    }
    const seat: MemorySeat = {
      id: randomId(12),
      room,
      name,
      state: { ...INITIAL_STATE },
      resumeToken: randomId(24),
      sink,
    };
    this.#byResume.set(seat.resumeToken, seat);
    this.#broadcast(seat, { type: "peer-joined", peer: info(seat) });
    seats.set(seat.id, seat);
    return Promise.resolve({ seat, peers: this.#othersOf(seat) });
  }

  resume(token: string, room: string, sink: SeatSink): Promise<Admission | undefined> {
    const seat = this.#byResume.get(token);
    if (!seat || seat.room !== room) return Promise.resolve(undefined);
    this.#byResume.delete(token);
    clearTimeout(seat.graceTimer);
    seat.graceTimer = undefined;
    const old = seat.sink;
    seat.sink = sink;
    old?.close(4001, "seat resumed elsewhere");
    seat.resumeToken = randomId(24);
    this.#byResume.set(seat.resumeToken, seat);
    return Promise.resolve({ seat, peers: this.#othersOf(seat) });
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    const target = this.#rooms.get(from.room)?.get(to);
    if (!target) return Promise.resolve(ErrorCode.UnknownPeer);
    this.#deliver(target, { type: "signal", from: from.id, data });
    return Promise.resolve(undefined);
  }

  chat(from: Seat, text: string): Promise<undefined> {
    this.#broadcast(
      from,
      { type: "chat", from: from.id, name: from.name, text, ts: Date.now() },
      true,
    );
    return Promise.resolve(undefined);
  }

  setState(seat: Seat, state: MediaState): Promise<undefined> {
    seat.state = state;
    this.#broadcast(seat, { type: "peer-state", id: seat.id, state });
    return Promise.resolve(undefined);
  }

  leave(seat: MemorySeat): Promise<void> {
    const seats = this.#rooms.get(seat.room);
    if (!seats || seats.get(seat.id) !== seat) return Promise.resolve();
    clearTimeout(seat.graceTimer);
    seat.sink = null;
    seats.delete(seat.id);
    this.#byResume.delete(seat.resumeToken);
    if (seats.size === 0) this.#rooms.delete(seat.room);
    this.#broadcast(seat, { type: "peer-left", id: seat.id });
    return Promise.resolve();
  }

  detach(seat: MemorySeat, sink: SeatSink): void {
    if (seat.sink !== sink) return; // already resumed elsewhere
    seat.sink = null;
    clearTimeout(seat.graceTimer);
    seat.graceTimer = setTimeout(() => this.leave(seat), this.options.resumeGraceMs);
  }

  /** Cancels every grace timer (server shutdown). */
  close(): Promise<void> {
    for (const seats of this.#rooms.values()) {
      for (const seat of seats.values()) clearTimeout(seat.graceTimer);
    }
    this.#rooms.clear();
    this.#byResume.clear();
    return Promise.resolve();
  }

  /** Everyone else in the seat's room, as the joiner sees them. */
  #othersOf(seat: Seat): PeerInfo[] {
    const out: PeerInfo[] = [];
    for (const other of this.#rooms.get(seat.room)?.values() ?? []) {
      if (other !== seat) out.push(info(other));
    }
    return out;
  }

  /** Sends to one seat, if it has a socket right now. */
  #deliver(seat: Seat, message: ServerMessage, text = JSON.stringify(message)): void {
    if (!seat.sink) return;
    seat.sink.send(text);
    this.options.onDeliver?.(message.type);
  }

  /** Sends to everyone in the seat's room; the seat itself only if `includeSelf`. */
  #broadcast(seat: Seat, message: ServerMessage, includeSelf = false): void {
    const seats = this.#rooms.get(seat.room);
    if (!seats) return;
    const text = JSON.stringify(message); // serialise once for the whole room
    for (const other of seats.values()) {
      if (other !== seat || includeSelf) this.#deliver(other, message, text);
    }
  }
}
