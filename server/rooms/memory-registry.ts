import {
  type BreakoutMessage,
  CloseCode,
  ErrorCode,
  type MediaMode,
  type MediaState,
  type ModerateAction,
  type Reaction,
  type Role,
  type ServerMessage,
  type SignalData,
} from "../../protocol/messages.ts";
import { randomId } from "./random-id.ts";
import type {
  Admission,
  Joiner,
  JoinResult,
  RegistryOptions,
  RoomRegistry,
  Seat,
  SeatSink,
} from "./room-registry.ts";
import * as rules from "./room-rules.ts";
import { deliver, denyWaiting, endMeeting, kickSeat } from "./seat-effects.ts";
import { SettleClock } from "./settle-clock.ts";
import { BreakoutClock } from "./breakout-clock.ts";

interface MemorySeat extends Seat {
  graceTimer?: ReturnType<typeof setTimeout>;
}

/** A room in this process: what its rules read, the seats, and who waits in the lobby. */
interface MemoryRoom {
  readonly name: string;
  data: rules.RoomData;
  readonly seats: Map<string, MemorySeat>;
  readonly lobby: Map<string, SeatSink>;
}

/** Rooms and their seats in this process's memory: the default, for one instance. */
export class MemoryRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, MemoryRoom>();
  readonly #byResume = new Map<string, MemorySeat>();
  readonly #settle = new SettleClock((room) => void this.settleMedia(room));
  readonly #breakouts = new BreakoutClock((room) => {
    const here = this.#rooms.get(room);
    if (here) this.#apply(here, rules.timeUp(here.data, Date.now(), this.options));
  });
  readonly unavailable = null;

  constructor(readonly options: RegistryOptions) {}

  get roomCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) if (room.seats.size > 0) n++;
    return n;
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.seats.size;
    return n;
  }

  join(room: string, joiner: Joiner, sink: SeatSink, claimed?: Role): Promise<JoinResult> {
    const here = this.#rooms.get(room) ??
      { name: room, data: rules.EMPTY_ROOM, seats: new Map(), lobby: new Map() };
    const id = randomId(12);
    const decided = rules.join(here.data, { id, ...joiner }, claimed, this.options);
    if (!decided.ok) {
      return Promise.resolve({ refused: decided.code, message: decided.message });
    }
    this.#rooms.set(room, here);
    if (!decided.member) {
      here.lobby.set(id, sink);
      this.#apply(here, decided);
      return Promise.resolve({ waiting: id });
    }
    const seat = this.#seat(room, decided.member, sink);
    here.seats.set(seat.id, seat);
    this.#apply(here, decided);
    return Promise.resolve({ admitted: this.#admission(here, seat) });
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
    old?.close(CloseCode.Replaced, "seat resumed elsewhere");
    seat.resumeToken = randomId(24);
    this.#byResume.set(seat.resumeToken, seat);
    return Promise.resolve(this.#admission(here, seat));
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    const here = this.#rooms.get(from.room);
    const target = here?.seats.get(to);
    // Someone in another breakout group is not there to connect to.
    if (!target || !rules.hears({ groupOf: from.id }, target, here!.data)) {
      return Promise.resolve(ErrorCode.UnknownPeer);
    }
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
    if (here) this.#notify(here, { to: { groupOf: from.id }, message });
    return Promise.resolve(undefined);
  }

  setState(seat: Seat, state: MediaState): Promise<undefined> {
    seat.state = state;
    const here = this.#rooms.get(seat.room);
    if (here) this.#apply(here, rules.setState(here.data, seat.id, state));
    return Promise.resolve(undefined);
  }

  setHand(seat: Seat, raised: boolean): Promise<undefined> {
    const here = this.#rooms.get(seat.room);
    if (here) this.#apply(here, rules.setHand(here.data, seat.id, raised, Date.now()));
    return Promise.resolve(undefined);
  }

  react(from: Seat, emoji: Reaction): Promise<undefined> {
    const here = this.#rooms.get(from.room);
    if (here) {
      this.#notify(here, {
        to: { groupOf: from.id },
        message: { type: "reaction", id: from.id, emoji },
      });
    }
    return Promise.resolve(undefined);
  }

  moderate(seat: Seat, action: ModerateAction, to?: string): Promise<rules.Refusal | undefined> {
    const here = this.#rooms.get(seat.room);
    if (!here) return Promise.resolve(undefined);
    const decided = rules.moderate(here.data, seat.id, action, to, this.options);
    if (!decided.ok) return Promise.resolve(decided);
    this.#apply(here, decided);
    return Promise.resolve(undefined);
  }

  breakout(seat: Seat, msg: BreakoutMessage): Promise<rules.Refusal | undefined> {
    const here = this.#rooms.get(seat.room);
    if (!here) return Promise.resolve(undefined);
    const decided = rules.breakout(here.data, seat.id, msg, this.options, Date.now());
    if (!decided.ok) return Promise.resolve(decided);
    this.#apply(here, decided);
    return Promise.resolve(undefined);
  }

  recordingNews(room: string, id: string, news: rules.RecordingNews): Promise<void> {
    const here = this.#rooms.get(room);
    if (here) this.#apply(here, rules.recordingNews(here.data, id, news));
    return Promise.resolve();
  }

  leave(seat: MemorySeat): Promise<void> {
    const here = this.#rooms.get(seat.room);
    if (!here || here.seats.get(seat.id) !== seat) return Promise.resolve();
    clearTimeout(seat.graceTimer);
    seat.sink = null;
    here.seats.delete(seat.id);
    this.#byResume.delete(seat.resumeToken);
    this.#apply(here, rules.leave(here.data, seat.id, this.options));
    this.#forgetIfEmpty(seat.room, here);
    return Promise.resolve();
  }

  cancelWait(room: string, id: string): void {
    const here = this.#rooms.get(room);
    if (!here?.lobby.delete(id)) return;
    this.#apply(here, rules.cancelKnock(here.data, id));
    this.#forgetIfEmpty(room, here);
  }

  detach(seat: MemorySeat, sink: SeatSink): void {
    if (seat.sink !== sink) return; // already resumed elsewhere
    seat.sink = null;
    clearTimeout(seat.graceTimer);
    seat.graceTimer = setTimeout(() => this.leave(seat), this.options.resumeGraceMs);
  }

  /** Cancels every grace timer (server shutdown). */
  close(): Promise<void> {
    this.#settle.close();
    this.#breakouts.close();
    for (const here of this.#rooms.values()) {
      for (const seat of here.seats.values()) clearTimeout(seat.graceTimer);
    }
    this.#rooms.clear();
    this.#byResume.clear();
    return Promise.resolve();
  }

  #seat(room: string, member: rules.Member, sink: SeatSink | null): MemorySeat {
    const seat: MemorySeat = {
      id: member.id,
      room,
      name: member.name,
      state: { ...member.state },
      role: member.role,
      resumeToken: randomId(24),
      sink,
    };
    this.#byResume.set(seat.resumeToken, seat);
    return seat;
  }

  settleMedia(room: string, force = false): Promise<void> {
    const here = this.#rooms.get(room);
    if (here) this.#apply(here, rules.settleMedia(here.data, Date.now(), this.options, force));
    return Promise.resolve();
  }

  mediaMode(room: string, seat?: string): MediaMode {
    const data = this.#rooms.get(room)?.data;
    if (!data) return "mesh";
    return seat ? rules.pathOf(data, seat) : data.media.mode;
  }

  groupOf(room: string, seat: string): string {
    const data = this.#rooms.get(room)?.data;
    return data ? rules.groupOf(data.settings, seat) : "";
  }

  #admission(here: MemoryRoom, seat: Seat): Admission {
    const { settings, waiting, media } = here.data;
    const me = here.data.members.find((m) => m.id === seat.id);
    if (me) seat.role = me.role;
    return {
      seat,
      // Their own breakout group's people (a resumed seat may be in one).
      peers: rules.groupMembers(here.data, rules.groupOf(settings, seat.id))
        .filter((m) => m.id !== seat.id),
      settings,
      waiting: seat.role === "host" ? waiting.map(({ id, name }) => ({ id, name })) : [],
      ...(me?.hand !== undefined ? { hand: me.hand } : {}),
      // Their breakout group's path, when they are in one.
      media: me ? rules.pathOf(here.data, me.id) : media.mode,
    };
  }

  /** Stores what the rules decided, tells whom they said, and acts on connections. */
  #apply(here: MemoryRoom, outcome: rules.Outcome): void {
    here.data = rules.applyChanges(here.data, outcome.changes);
    for (const change of outcome.changes) {
      if (change.op === "update") {
        const seat = here.seats.get(change.member.id);
        if (seat) seat.role = change.member.role;
      }
      if (change.op === "media") this.#settle.follow(here.name, change.media);
      if (change.op === "settings") {
        this.#breakouts.follow(here.name, change.settings.breakouts?.endsAt);
      }
    }
    for (const event of outcome.events) {
      if (rules.isNotice(event)) this.#notify(here, event);
      else this.#effect(here, event);
    }
  }

  #effect(here: MemoryRoom, effect: rules.Effect): void {
    switch (effect.kind) {
      case "admit": {
        const sink = here.lobby.get(effect.id);
        here.lobby.delete(effect.id);
        const seat = this.#seat(here.name, effect.member, sink ?? null);
        here.seats.set(seat.id, seat);
        if (sink) {
          sink.admitted({
            seat,
            peers: effect.peers,
            settings: here.data.settings,
            waiting: [],
            media: here.data.media.mode,
          });
        } else seat.graceTimer = setTimeout(() => this.leave(seat), this.options.resumeGraceMs);
        return;
      }
      case "deny":
        return denyWaiting(here, effect.id, effect.message);
      case "kick":
        return kickSeat(here, effect.id, effect.by, (seat) => this.#forget(seat));
      case "end":
        return endMeeting(here, effect.by, (seat) => this.#forget(seat));
    }
  }

  /** A seat gone for good: its resume token no longer works, its grace stops. */
  #forget(seat: MemorySeat): void {
    this.#byResume.delete(seat.resumeToken);
    clearTimeout(seat.graceTimer);
  }

  #forgetIfEmpty(room: string, here: MemoryRoom): void {
    if (here.seats.size > 0 || here.lobby.size > 0) return;
    this.#settle.stop(room);
    this.#breakouts.stop(room);
    this.#rooms.delete(room);
  }

  #notify(here: MemoryRoom, notice: rules.Notice): void {
    const text = JSON.stringify(notice.message); // serialised once for the whole room
    for (const seat of here.seats.values()) {
      if (rules.hears(notice.to, seat, here.data)) this.#deliver(seat, notice.message, text);
    }
  }

  /** Sends to one seat, if it has a socket right now. */
  #deliver(seat: Seat, message: ServerMessage, text = JSON.stringify(message)): void {
    if (deliver(seat, text, message)) this.options.onDeliver?.(message.type);
  }
}
