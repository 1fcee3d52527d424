/**
 * A room's events as this instance sees them, in one order. Every event is
 * stamped with the room's sequence number in Redis and published on the
 * room's channel; this instance subscribes to the rooms where it holds seats
 * and delivers each event to the seats that should hear it. The sequence
 * numbers line up the two ways a seat learns about its room: the snapshot of
 * its join or resume (taken at sequence S) and the channel (whose events may
 * arrive before or after that reply): a seat hears only events after S;
 * events that overtook the reply are kept briefly and replayed to it.
 */
import type { RedisClient } from "./redis-connection.ts";
import { CloseCode, type ServerMessage } from "../../protocol/messages.ts";
import type { Logger } from "../observe/logger.ts";
import {
  type AdmitPayload,
  decodeAudience,
  deliveredType,
  EventKind,
  parseEvent,
  readChanges,
  readEffect,
  readNews,
  type RoomEvent,
} from "./room-codec.ts";
import type { Admission, Seat, SeatSink } from "../rooms/room-registry.ts";
import { applyChanges, EMPTY_ROOM, hears, type RoomData } from "../rooms/room-rules.ts";
import { deliver, denyWaiting, endMeeting, kickSeat } from "../rooms/seat-effects.ts";

export interface FeedSeat extends Seat {
  /** Events up to this room sequence number came before the seat was granted. */
  fromSeq: number;
}

/** A room in which this instance holds (or is about to hold) seats. */
export interface LocalRoom {
  readonly name: string;
  readonly seats: Map<string, FeedSeat>;
  /**
   * The room as the rules left it after the last event read (its `changes`
   * applied with the rules' own reducer): who is in, the settings, the lobby,
   * the media path. An outage's snapshot is compared with it.
   */
  data: RoomData;
  /** Guests waiting in the lobby whose connections this instance holds. */
  readonly lobby: Map<string, SeatSink>;
  lastSeq: number;
  /** Set while the room waits for a snapshot; events wait here meanwhile. */
  pending: RoomEvent[] | null;
  /** Joins and resumes in flight, and the events seen meanwhile (their replies may trail them). */
  admitting: number;
  recent: RoomEvent[];
  subscribed: Promise<void>;
  subscribeFailed: boolean;
  idleTicks: number;
}

/** Events kept per room while waiting for a snapshot or an admission reply. */
const MAX_BUFFERED_EVENTS = 5000;

/** Events a room may skip ahead by (missed ones); a bigger jump is not ours. */
const MAX_SEQ_JUMP = 1_000_000;

export class RoomFeeds {
  readonly #rooms = new Map<string, LocalRoom>();
  readonly #channelOps = new Map<string, Promise<void>>();

  constructor(
    readonly sub: RedisClient,
    readonly prefix: string,
    readonly instanceId: string,
    readonly logger: Logger,
    readonly onDeliver?: (type: ServerMessage["type"]) => void,
    /** An admitted guest whose connection is gone: their seat must start its grace. */
    readonly orphanSeat?: (seat: FeedSeat) => void,
    /** A room's settings changed (its breakout timer follows them). */
    readonly settingsChanged?: (room: string, settings: RoomData["settings"]) => void,
  ) {}

  get rooms(): Iterable<LocalRoom> {
    return this.#rooms.values();
  }

  get(room: string): LocalRoom | undefined {
    return this.#rooms.get(room);
  }

  /** The local view of a room, subscribing to its channel when new. */
  enter(room: string): LocalRoom {
    const local = this.#rooms.get(room);
    if (local && !local.subscribeFailed) {
      local.idleTicks = 0;
      return local;
    }
    if (local) this.#rooms.delete(room);
    const created: LocalRoom = {
      name: room,
      seats: local?.seats ?? new Map(),
      data: local?.data ?? EMPTY_ROOM,
      lobby: local?.lobby ?? new Map(),
      lastSeq: 0,
      pending: [],
      admitting: local?.admitting ?? 0,
      recent: [],
      subscribed: Promise.resolve(),
      subscribeFailed: false,
      idleTicks: 0,
    };
    created.subscribed = this.#channelOp(
      room,
      () =>
        this.sub.subscribe(
          this.#channel(room),
          (message: string) => this.#onEvent(created, message),
        ),
    ).catch((err) => {
      created.subscribeFailed = true;
      throw err;
    });
    created.subscribed.catch(() => {});
    this.#rooms.set(room, created);
    return created;
  }

  /** After a reconnect: rooms whose subscription failed are entered afresh. */
  renew(local: LocalRoom): LocalRoom {
    if (!local.subscribeFailed) return local;
    this.#rooms.delete(local.name);
    return this.enter(local.name);
  }

  /** Redis was lost: every room waits for a fresh snapshot. */
  holdAll(): void {
    for (const local of this.#rooms.values()) local.pending ??= [];
  }

  /** Lets go of rooms without seats for two ticks in a row. */
  forgetIdle(): void {
    for (const local of [...this.#rooms.values()]) {
      if (local.seats.size > 0 || local.lobby.size > 0 || local.admitting > 0) continue;
      if (++local.idleTicks < 2) continue;
      this.#rooms.delete(local.name);
      this.#channelOp(local.name, () => this.sub.unsubscribe(this.#channel(local.name)))
        .catch(() => {});
    }
  }

  /**
   * A seat granted at room sequence `seq`: it hears what comes after. Events
   * that overtook the reply are replayed to it; a room new to this instance
   * starts from the snapshot.
   */
  grant(local: LocalRoom, seat: FeedSeat, seq: number, room: RoomData): void {
    seat.fromSeq = seq;
    for (const event of local.recent) {
      const news = readNews(event);
      const type = deliveredType(event, news);
      if (type && this.#hears(event, seat, local)) this.#deliver(seat, event, type, news);
    }
    if (local.pending) this.snapshot(local, seq, room, false);
  }

  admitted(local: LocalRoom): void {
    local.admitting--;
    if (local.admitting === 0) local.recent = [];
  }

  /**
   * Resets a room to the store's view at `seq`, then plays the events that
   * waited. With `tell`, local clients hear what changed meanwhile (after an
   * outage) as ordinary peer-left / peer-joined / peer-state messages.
   */
  snapshot(local: LocalRoom, seq: number, room: RoomData, tell: boolean): void {
    if (tell) {
      const told: ServerMessage[] = [];
      const now = new Map(room.members.map((p) => [p.id, p]));
      const was = new Map(local.data.members.map((p) => [p.id, p]));
      for (const id of was.keys()) if (!now.has(id)) told.push({ type: "peer-left", id });
      for (const [id, peer] of now) {
        const before = was.get(id);
        if (!before) told.push({ type: "peer-joined", peer });
        else {
          if (JSON.stringify(before.state) !== JSON.stringify(peer.state)) {
            told.push({ type: "peer-state", id, state: peer.state });
          }
          if (before.hand !== peer.hand) {
            told.push({
              type: "hand",
              id,
              raised: peer.hand !== undefined,
              ...(peer.hand !== undefined ? { at: peer.hand } : {}),
            });
          }
        }
      }
      // An outage hid a move to or from the SFU: everyone here follows it now.
      if (room.media.mode !== local.data.media.mode) {
        told.push({ type: "media-mode", mode: room.media.mode });
      }
      const texts = told.map((message) => ({
        message,
        about: message.type === "peer-joined" ? message.peer.id : (message as { id?: string }).id,
        text: JSON.stringify(message),
      }));
      for (const seat of local.seats.values()) {
        for (const { message, about, text } of texts) {
          if (about !== seat.id) deliver(seat, text, message);
        }
      }
    }
    for (const seat of local.seats.values()) {
      seat.fromSeq = Math.min(seat.fromSeq, seq);
      const me = room.members.find((m) => m.id === seat.id);
      if (me) seat.role = me.role;
    }
    local.data = room;
    local.lastSeq = seq;
    const waiting = local.pending ?? [];
    local.pending = null;
    for (const event of waiting) this.#apply(local, event);
  }

  /** Takes a seat away from this instance and closes its socket. */
  drop(local: LocalRoom, seat: FeedSeat, code: number, reason: string): void {
    local.seats.delete(seat.id);
    const sink = seat.sink;
    seat.sink = null;
    sink?.close(code, reason);
  }

  #channel(room: string): string {
    return `${this.prefix}room:${room}`;
  }

  /** Subscribes and unsubscribes of one channel run one after another, never crossed. */
  #channelOp(room: string, op: () => Promise<unknown>): Promise<void> {
    const previous = this.#channelOps.get(room) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(op).then(() => {});
    this.#channelOps.set(room, next);
    next.catch(() => {}).finally(() => {
      if (this.#channelOps.get(room) === next) this.#channelOps.delete(room);
    });
    return next;
  }

  #onEvent(local: LocalRoom, message: string): void {
    if (this.#rooms.get(local.name) !== local) return; // a room we already let go of
    const event = parseEvent(message);
    if (!event) return;
    try {
      this.#apply(local, event);
    } catch (err) {
      // Something else publishing on our channel must not stop the room.
      this.logger.warn("unreadable room event", { room: local.name, error: String(err) });
    }
  }

  #apply(local: LocalRoom, event: RoomEvent): void {
    if (local.pending) {
      if (local.pending.length < MAX_BUFFERED_EVENTS) local.pending.push(event);
      return;
    }
    // Old news, or a number no room reaches by counting (junk from elsewhere).
    if (event.seq <= local.lastSeq || event.seq > local.lastSeq + MAX_SEQ_JUMP) return;
    // Read before anything changes: an unreadable event is dropped whole.
    const news = readNews(event);
    const type = deliveredType(event, news);
    const changes = event.kind === EventKind.Changes ? readChanges(event) : null;
    const effect = readEffect(event);
    local.lastSeq = event.seq;
    if (local.admitting > 0 && local.recent.length < MAX_BUFFERED_EVENTS) local.recent.push(event);
    if (changes) return this.#changed(local, changes);
    if (event.kind === EventKind.Takeover) {
      const [owner, id] = event.payload.split("\n");
      const seat = local.seats.get(id);
      if (seat && owner !== this.instanceId) {
        this.drop(local, seat, CloseCode.Replaced, "seat resumed elsewhere");
      }
      return;
    }
    if (effect) {
      // A seat's keys in Redis went with the room's change; here it only leaves the map.
      const forget = () => {};
      switch (effect.kind) {
        case "admit":
          return this.#admit(local, effect.payload, event.seq);
        case "deny":
          return denyWaiting(local, effect.id, effect.message);
        case "kick":
          return kickSeat(local, effect.id, effect.by, forget);
        case "end":
          return endMeeting(local, effect.by, forget);
      }
    }
    if (!type) return; // a kind no instance of ours delivers
    const only = event.audience.startsWith("=") ? event.audience.slice(1) : null;
    if (only !== null) {
      const seat = local.seats.get(only);
      if (seat) this.#deliver(seat, event, type, news);
      return;
    }
    for (const seat of local.seats.values()) {
      if (this.#hears(event, seat, local)) this.#deliver(seat, event, type, news);
    }
  }

  /**
   * What the rules changed, applied as the rules apply it. Roles of the seats
   * held here follow; a seat held here that the room no longer lists (its
   * grace ended elsewhere, or this instance was taken for dead) is closed:
   * its client must join again to be seen.
   */
  #changed(local: LocalRoom, changes: ReturnType<typeof readChanges>): void {
    local.data = applyChanges(local.data, changes);
    for (const change of changes) {
      if (change.op === "settings") this.settingsChanged?.(local.name, change.settings);
      const seat = change.op === "update"
        ? local.seats.get(change.member.id)
        : change.op === "remove"
        ? local.seats.get(change.id)
        : undefined;
      if (!seat) continue;
      if (change.op === "update") seat.role = change.member.role;
      else this.drop(local, seat, CloseCode.ServiceRestart, "the room lost this seat");
    }
  }

  /** A waiting guest was let in: if this instance holds them, they get their seat. */
  #admit(
    local: LocalRoom,
    { id, token, owner, member, peers }: AdmitPayload,
    seq: number,
  ): void {
    if (owner !== this.instanceId) return;
    const sink = local.lobby.get(id) ?? null;
    local.lobby.delete(id);
    const seat: FeedSeat = {
      id,
      room: local.name,
      name: member.name,
      state: member.state,
      role: member.role,
      resumeToken: token,
      sink,
      fromSeq: seq,
    };
    local.seats.set(id, seat);
    if (!sink) return this.orphanSeat?.(seat); // gone meanwhile: the seat waits out its grace
    const admission: Admission = {
      seat,
      peers,
      settings: local.data.settings,
      waiting: [],
      media: local.data.media.mode,
    };
    sink.admitted(admission);
  }

  #hears(event: RoomEvent, seat: FeedSeat, local: LocalRoom): boolean {
    const to = decodeAudience(event.audience);
    return to !== null && hears(to, seat, local.data);
  }

  #deliver(
    seat: FeedSeat,
    event: RoomEvent,
    type: ServerMessage["type"],
    news: ServerMessage | null,
  ): void {
    if (event.seq <= seat.fromSeq) return;
    if (deliver(seat, event.payload, news ?? undefined)) this.onDeliver?.(type);
  }
}
