import {
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
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
import * as rules from "./room-rules.ts";

interface MemorySeat extends Seat {
  graceTimer?: ReturnType<typeof setTimeout>;
}

/** A room in this process: what its rules read, and the seats that hold sockets. */
interface MemoryRoom {
  data: rules.RoomData;
  readonly seats: Map<string, MemorySeat>;
}

/** Rooms and their seats in this process's memory: the default, for one instance. */
export class MemoryRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, MemoryRoom>();
  readonly #byResume = new Map<string, MemorySeat>();
  readonly unavailable = null;

  constructor(readonly options: RegistryOptions) {}

  get roomCount(): number {
    return this.#rooms.size;
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.seats.size;
    return n;
  }

  join(room: string, name: string, sink: SeatSink): Promise<Admission | ErrorCode> {
    const here = this.#rooms.get(room) ?? { data: rules.EMPTY_ROOM, seats: new Map() };
    const seat: MemorySeat = {
      id: randomId(12),
      room,
      name,
      state: { ...INITIAL_STATE },
      resumeToken: randomId(24),
      sink,
    };
    const decided = rules.join(here.data, info(seat), this.options);
    if (!decided.ok) return Promise.resolve(decided.code);
    this.#rooms.set(room, here);
    here.seats.set(seat.id, seat);
    this.#byResume.set(seat.resumeToken, seat);
    this.#apply(here, decided);
    return Promise.resolve({ seat, peers: this.#othersOf(here, seat.id) });
  }

  resume(token: string, room: string, sink: SeatSink): Promise<Admission | undefined> {
    const seat = this.#byResume.get(token);
    const here = this.#rooms.get(room);
    if (!seat || seat.room !== room || !here) return Promise.resolve(undefined);
    this.#byResume.delete(token);
    clearTimeout(seat.graceTimer);
    seat.graceTimer = undefined;
    const old = seat.sink;
    seat.sink = sink;
    old?.close(4001, "seat resumed elsewhere");
    seat.resumeToken = randomId(24);
    this.#byResume.set(seat.resumeToken, seat);
    return Promise.resolve({ seat, peers: this.#othersOf(here, seat.id) });
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    const target = this.#rooms.get(from.room)?.seats.get(to);
    if (!target) return Promise.resolve(ErrorCode.UnknownPeer);
    this.#deliver(target, { type: "signal", from: from.id, data });
    return Promise.resolve(undefined);
  }

  chat(from: Seat, text: string): Promise<undefined> {
    const here = this.#rooms.get(from.room);
    const message: ServerMessage = {
      type: "chat",
      from: from.id,
      name: from.name,
      text,
      ts: Date.now(),
    };
    if (here) this.#notify(here, { to: { all: true }, message });
    return Promise.resolve(undefined);
  }

  setState(seat: Seat, state: MediaState): Promise<undefined> {
    seat.state = state;
    const here = this.#rooms.get(seat.room);
    if (here) this.#apply(here, rules.setState(here.data, seat.id, state));
    return Promise.resolve(undefined);
  }

  leave(seat: MemorySeat): Promise<void> {
    const here = this.#rooms.get(seat.room);
    if (!here || here.seats.get(seat.id) !== seat) return Promise.resolve();
    clearTimeout(seat.graceTimer);
    seat.sink = null;
    here.seats.delete(seat.id);
    this.#byResume.delete(seat.resumeToken);
    this.#apply(here, rules.leave(here.data, seat.id));
    if (here.seats.size === 0) this.#rooms.delete(seat.room);
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
    for (const here of this.#rooms.values()) {
      for (const seat of here.seats.values()) clearTimeout(seat.graceTimer);
    }
    this.#rooms.clear();
    this.#byResume.clear();
    return Promise.resolve();
  }

  /** Stores what the rules decided and tells whom they said. */
  #apply(here: MemoryRoom, outcome: rules.Outcome): void {
    here.data = rules.applyChanges(here.data, outcome.changes);
    for (const notice of outcome.notices) this.#notify(here, notice);
  }

  /** Everyone else in the room, as the joiner sees them. */
  #othersOf(here: MemoryRoom, id: string) {
    return here.data.members.filter((m) => m.id !== id);
  }

  #notify(here: MemoryRoom, notice: rules.Notice): void {
    const text = JSON.stringify(notice.message); // serialised once for the whole room
    for (const seat of here.seats.values()) {
      if (rules.hears(notice.to, seat.id)) this.#deliver(seat, notice.message, text);
    }
  }

  /** Sends to one seat, if it has a socket right now. */
  #deliver(seat: Seat, message: ServerMessage, text = JSON.stringify(message)): void {
    if (!seat.sink) return;
    seat.sink.send(text);
    this.options.onDeliver?.(message.type);
  }
}
