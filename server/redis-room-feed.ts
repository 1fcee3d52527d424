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
import {
  CloseCode,
  type MediaMode,
  type PeerInfo,
  type RoomSettings,
  type ServerMessage,
} from "../protocol/messages.ts";
import type { Logger } from "./logger.ts";
import { EventKind } from "./redis-scripts.ts";
import type { Admission, Seat, SeatSink } from "./room-registry.ts";
import { DEFAULT_SETTINGS } from "./room-rules.ts";

/** A room event as it arrives on the channel. */
export interface RoomEvent {
  seq: number;
  kind: EventKind;
  /** `*` everyone, `-id` everyone but id, `=id` id only, `@host` hosts. */
  audience: string;
  /** The server message for clients, or `instance \n id` for a takeover. */
  payload: string;
}

export interface FeedSeat extends Seat {
  /** Events up to this room sequence number came before the seat was granted. */
  fromSeq: number;
}

/** A room in which this instance holds (or is about to hold) seats. */
export interface LocalRoom {
  readonly name: string;
  readonly seats: Map<string, FeedSeat>;
  /** Everyone in the room, kept from the event stream, to tell clients what an outage hid. */
  members: Map<string, PeerInfo>;
  settings: RoomSettings;
  /** How the room's media travels (kept from its news, like the settings). */
  media: MediaMode;
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

/** What a relayed event carries, by its kind (news names its own type), for the metrics. */
const RELAYED: Partial<Record<EventKind, ServerMessage["type"]>> = {
  [EventKind.Chat]: "chat",
  [EventKind.Signal]: "signal",
  [EventKind.Reaction]: "reaction",
};
/** Events a room may skip ahead by (missed ones); a bigger jump is not ours. */
const MAX_SEQ_JUMP = 1_000_000;

/** Whether a seat hears an event with this audience. */
export function addressedTo(audience: string, seat: Pick<Seat, "id" | "role">): boolean {
  if (audience === "*") return true;
  if (audience.startsWith("-")) return audience.slice(1) !== seat.id;
  if (audience === "@host") return seat.role === "host";
  return audience.startsWith("=") && audience.slice(1) === seat.id;
}

/** The audience forms: everyone, everyone but, only, hosts. */
export const audience = {
  all: "*",
  allBut: (id: string) => `-${id}`,
  only: (id: string) => `=${id}`,
  hosts: "@host",
} as const;

/** What an admission event carries to the instance holding the waiting guest. */
export interface AdmitPayload {
  id: string;
  token: string;
  owner: string;
  member: PeerInfo;
  /** Everyone seated before them. */
  peers: PeerInfo[];
}

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
      members: local?.members ?? new Map(),
      settings: local?.settings ?? DEFAULT_SETTINGS,
      media: local?.media ?? "mesh",
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
  grant(local: LocalRoom, seat: FeedSeat, seq: number, peers: PeerInfo[]): void {
    seat.fromSeq = seq;
    for (const event of local.recent) {
      const type = event.kind === EventKind.News
        ? (JSON.parse(event.payload) as ServerMessage).type
        : RELAYED[event.kind];
      if (type && addressedTo(event.audience, seat)) this.#deliver(seat, event, type);
    }
    if (local.pending) this.snapshot(local, seq, peers, local.settings, false, local.media);
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
  snapshot(
    local: LocalRoom,
    seq: number,
    peers: PeerInfo[],
    settings: RoomSettings,
    tell: boolean,
    media: MediaMode,
  ): void {
    const now = new Map(peers.map((p) => [p.id, p]));
    if (tell) {
      const told: ServerMessage[] = [];
      for (const id of local.members.keys()) {
        if (!now.has(id)) told.push({ type: "peer-left", id });
      }
      for (const [id, peer] of now) {
        const was = local.members.get(id);
        if (!was) told.push({ type: "peer-joined", peer });
        else {
          if (JSON.stringify(was.state) !== JSON.stringify(peer.state)) {
            told.push({ type: "peer-state", id, state: peer.state });
          }
          if (was.hand !== peer.hand) {
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
      if (media !== local.media) told.push({ type: "media-mode", mode: media });
      const texts = told.map((msg) => ({
        about: msg.type === "peer-joined" ? msg.peer.id : (msg as { id: string }).id,
        text: JSON.stringify(msg),
      }));
      for (const seat of local.seats.values()) {
        for (const { about, text } of texts) if (about !== seat.id) seat.sink?.send(text);
      }
    }
    for (const seat of local.seats.values()) {
      seat.fromSeq = Math.min(seat.fromSeq, seq);
      const me = now.get(seat.id);
      if (me) seat.role = me.role;
    }
    local.members = now;
    local.settings = settings;
    local.media = media;
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
    const a = message.indexOf("\n");
    const b = message.indexOf("\n", a + 1);
    const c = message.indexOf("\n", b + 1);
    const seq = Number(message.slice(0, a));
    if (a < 0 || b < 0 || c < 0 || !Number.isSafeInteger(seq)) return;
    try {
      this.#apply(local, {
        seq,
        kind: message.slice(a + 1, b) as EventKind,
        audience: message.slice(b + 1, c),
        payload: message.slice(c + 1),
      });
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
    // Read before anything changes: unreadable news is dropped whole.
    const news = event.kind === EventKind.News ? JSON.parse(event.payload) as ServerMessage : null;
    local.lastSeq = event.seq;
    if (local.admitting > 0 && local.recent.length < MAX_BUFFERED_EVENTS) local.recent.push(event);
    switch (event.kind) {
      case EventKind.Takeover: {
        const [owner, id] = event.payload.split("\n");
        const seat = local.seats.get(id);
        if (seat && owner !== this.instanceId) {
          this.drop(local, seat, CloseCode.Replaced, "seat resumed elsewhere");
        }
        return;
      }
      case EventKind.Admit:
        return this.#admit(local, event);
      case EventKind.Deny: {
        const id = event.audience.slice(1);
        const sink = local.lobby.get(id);
        local.lobby.delete(id);
        sink?.denied(event.payload);
        return;
      }
      case EventKind.Kick: {
        const seat = local.seats.get(event.audience.slice(1));
        if (!seat) return;
        seat.sink?.send(event.payload);
        this.drop(local, seat, CloseCode.Removed, "removed by a host");
        return;
      }
      case EventKind.End:
        for (const seat of [...local.seats.values()]) {
          seat.sink?.send(event.payload);
          this.drop(local, seat, CloseCode.RoomEnded, "the meeting ended");
        }
        for (const sink of local.lobby.values()) sink.denied("Cannot join: the meeting ended");
        local.lobby.clear();
        return;
    }
    const type = news?.type ?? RELAYED[event.kind];
    if (!type) return; // a kind no instance of ours publishes
    if (news) this.#track(local, news);
    if (event.audience.startsWith("=")) {
      const seat = local.seats.get(event.audience.slice(1));
      if (seat) this.#deliver(seat, event, type);
      return;
    }
    for (const seat of local.seats.values()) {
      if (addressedTo(event.audience, seat)) this.#deliver(seat, event, type);
    }
  }

  /** A waiting guest was let in: if this instance holds them, they get their seat. */
  #admit(local: LocalRoom, event: RoomEvent): void {
    const { id, token, owner, member, peers } = JSON.parse(event.payload) as AdmitPayload;
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
      fromSeq: event.seq,
    };
    local.seats.set(id, seat);
    if (!sink) return this.orphanSeat?.(seat); // gone meanwhile: the seat waits out its grace
    const admission: Admission = {
      seat,
      peers,
      settings: local.settings,
      waiting: [],
      media: local.media,
    };
    sink.admitted(admission);
  }

  /** Keeps the room's people up to date from its news. */
  #track(local: LocalRoom, news: ServerMessage): void {
    switch (news.type) {
      case "peer-joined":
        local.members.set(news.peer.id, news.peer);
        return;
      case "peer-state": {
        const member = local.members.get(news.id);
        if (member) local.members.set(news.id, { ...member, state: news.state });
        return;
      }
      case "hand": {
        const member = local.members.get(news.id);
        if (!member) return;
        const { hand: _, ...rest } = member;
        local.members.set(news.id, news.raised ? { ...rest, hand: news.at } : rest);
        return;
      }
      case "role": {
        const member = local.members.get(news.id);
        if (member) local.members.set(news.id, { ...member, role: news.role });
        const seat = local.seats.get(news.id);
        if (seat) seat.role = news.role;
        return;
      }
      case "room-settings":
        local.settings = { locked: news.locked, lobby: news.lobby };
        return;
      case "media-mode":
        local.media = news.mode;
        return;
      case "peer-left": {
        local.members.delete(news.id);
        // Our own seat, removed by the cluster (its grace ended, or we were
        // taken for dead): the client must join again to be seen.
        const seat = local.seats.get(news.id);
        if (seat) this.drop(local, seat, CloseCode.ServiceRestart, "the room lost this seat");
        return;
      }
    }
  }

  #deliver(seat: FeedSeat, event: RoomEvent, type: ServerMessage["type"]): void {
    if (event.seq <= seat.fromSeq || !seat.sink) return;
    seat.sink.send(event.payload);
    this.onDeliver?.(type);
  }
}
