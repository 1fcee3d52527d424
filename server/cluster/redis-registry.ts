/**
 * Rooms shared by every instance through Redis. Composed of: the script
 * runner (Lua by hash, with deadlines), the room feeds (each room's events in
 * one order, delivered to the seats this instance holds), and the cluster
 * presence (heartbeat, judging the dead, resync). What a join, leave or state
 * change does is decided by the room rules, the same as in memory, and stored
 * by `apply` only if the room did not change since it was read.
 */
import {
  type BreakoutMessage,
  CloseCode,
  ErrorCode,
  INITIAL_STATE,
  type MediaMode,
  type MediaState,
  type ModerateAction,
  type Reaction,
  type Role,
  type SignalData,
} from "../../protocol/messages.ts";
import { ClusterPresence } from "./cluster-presence.ts";
import type { Logger } from "../observe/logger.ts";
import { randomId } from "../rooms/random-id.ts";
import { createRedisClient } from "./redis-connection.ts";
import { type FeedSeat, RoomFeeds } from "./redis-room-feed.ts";
import { type Decision, type Guard, type Stored, storeDecision } from "./room-changes.ts";
import { type Reply, ScriptRunner } from "./redis-script-runner.ts";
import { encodeAudience, EventKind, parseRoomView } from "./room-codec.ts";
import {
  type Admission,
  info,
  type Joiner,
  type JoinResult,
  type RegistryOptions,
  type RoomRegistry,
  type Seat,
  type SeatSink,
} from "../rooms/room-registry.ts";
import * as rules from "../rooms/room-rules.ts";
import { SettleClock } from "../rooms/settle-clock.ts";
import { BreakoutClock } from "../rooms/breakout-clock.ts";

/** How fast the cluster notices things; tests shorten them. */
export interface ClusterTimings {
  /** How often an instance proves it is alive and sweeps ended graces. */
  heartbeatMs?: number;
  /** An instance silent this long is dead: its seats start their grace. */
  instanceTtlMs?: number;
  /** A Redis command that takes longer counts as Redis being unreachable. */
  commandTimeoutMs?: number;
}

export interface RedisRegistryOptions extends RegistryOptions, ClusterTimings {
  url: string;
  prefix: string;
  logger: Logger;
}

export class RedisRegistry implements RoomRegistry {
  readonly instanceId = randomId(8);
  readonly #options: RedisRegistryOptions;
  readonly #runner: ScriptRunner;
  readonly #feeds: RoomFeeds;
  readonly #presence: ClusterPresence;
  readonly #inflight = new Set<Promise<unknown>>();
  /** Rooms this instance saw shrink to two in the SFU: it checks again when the mesh may return. */
  readonly #settle = new SettleClock((room) => void this.settleMedia(room));
  /** Every instance with seats in a room keeps its breakout timer: the first to fire acts. */
  readonly #breakouts = new BreakoutClock((room) =>
    this.#track(this.#change(room, (data) => rules.timeUp(data, Date.now(), this.#options)))
  );

  constructor(options: RedisRegistryOptions) {
    this.#options = options;
    const heartbeatMs = options.heartbeatMs ?? 1000;
    const timeoutMs = options.commandTimeoutMs ?? 2000;
    const client = createRedisClient(options.url, timeoutMs);
    const sub = client.duplicate();
    this.#runner = new ScriptRunner(client, options.prefix, timeoutMs);
    this.#feeds = new RoomFeeds(
      sub,
      options.prefix,
      this.instanceId,
      options.logger,
      options.onDeliver,
      // A guest let in just as their connection went: their seat waits out its grace.
      (seat) =>
        this.#track(this.#runner.run("detach", [
          seat.room,
          seat.id,
          this.instanceId,
          String(Math.max(1, options.resumeGraceMs)),
        ])),
      (room, settings) => this.#breakouts.follow(room, settings.breakouts?.endsAt),
    );
    this.#presence = new ClusterPresence({
      instanceId: this.instanceId,
      client,
      sub,
      runner: this.#runner,
      feeds: this.#feeds,
      logger: options.logger,
      heartbeatMs,
      ttlMs: options.instanceTtlMs ?? 3 * heartbeatMs,
      resumeGraceMs: options.resumeGraceMs,
      memberOf: info,
      remove: (room, id, guard) => this.#track(this.#remove(room, id, guard)),
    });
  }

  get roomCount(): number {
    let n = 0;
    for (const room of this.#feeds.rooms) if (room.seats.size > 0) n++;
    return n;
  }

  get peerCount(): number {
    let n = 0;
    for (const room of this.#feeds.rooms) n += room.seats.size;
    return n;
  }

  get unavailable(): string | null {
    return this.#presence.unavailable;
  }

  // ---- RoomRegistry ----

  async join(room: string, joiner: Joiner, sink: SeatSink, claimed?: Role): Promise<JoinResult> {
    if (this.unavailable) return { refused: ErrorCode.Unavailable };
    const local = this.#feeds.enter(room);
    const id = randomId(12);
    const token = randomId(24);
    local.admitting++;
    try {
      await local.subscribed;
      let member: rules.Member | null = null;
      // The lobby entry waits here before the knock is stored, so an admission cannot miss it.
      local.lobby.set(id, sink);
      const result = await this.#change(room, (data) => {
        const decided = rules.join(data, { id, ...joiner }, claimed, this.#options);
        if (decided.ok) member = decided.member;
        return decided;
      }, { token }).catch((err) => {
        // Timed out, yet it may still land: take the seat (or the knock) back behind it.
        this.#track(this.#remove(room, id, "owner"));
        this.cancelWait(room, id);
        throw err;
      });
      if (result === null || result === "guard") throw new Error("the join was not stored");
      if ("code" in result) {
        local.lobby.delete(id);
        return { refused: result.code, message: result.message };
      }
      if (!member) return { waiting: id };
      local.lobby.delete(id);
      const seated = member as rules.Member;
      const seat: FeedSeat = {
        id,
        room,
        name: seated.name,
        state: { ...seated.state },
        role: seated.role,
        resumeToken: token,
        sink,
        fromSeq: Infinity, // set by grant, before the seat is in the room's map
      };
      local.seats.set(id, seat);
      this.#feeds.grant(local, seat, result.seq, result.room);
      return { admitted: this.#admission(seat, result.room) };
    } catch (err) {
      local.lobby.delete(id);
      this.#presence.failed("join", err);
      return { refused: ErrorCode.Unavailable };
    } finally {
      this.#feeds.admitted(local);
    }
  }

  async resume(
    token: string,
    room: string,
    sink: SeatSink,
  ): Promise<Admission | ErrorCode | undefined> {
    if (this.unavailable) return ErrorCode.Unavailable;
    const local = this.#feeds.enter(room);
    local.admitting++;
    try {
      await local.subscribed;
      const fresh = randomId(24);
      const reply = await this.#runner.run("resume", [room, token, fresh, this.instanceId]);
      if (reply === null) return undefined;
      const [seq, id, raw] = reply as [number, string, Reply];
      const view = parseRoomView(raw);
      let seat = local.seats.get(id);
      if (seat) {
        // Resumed here while the old socket still looked open here.
        const old = seat.sink;
        seat.sink = sink;
        if (old && old !== sink) old.close(CloseCode.Replaced, "seat resumed elsewhere");
      } else {
        const mine = view.members.find((p) => p.id === id);
        seat = {
          id,
          room,
          name: mine?.name ?? "",
          state: mine?.state ?? { ...INITIAL_STATE },
          role: mine?.role ?? "guest",
          resumeToken: fresh,
          sink,
          fromSeq: Infinity,
        };
        local.seats.set(id, seat);
      }
      seat.resumeToken = fresh;
      this.#feeds.grant(local, seat, seq, view);
      return this.#admission(seat, view);
    } catch (err) {
      this.#presence.failed("resume", err);
      return ErrorCode.Unavailable;
    } finally {
      this.#feeds.admitted(local);
    }
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    // Someone in another breakout group is not there to connect to (as this instance knows).
    const local = this.#feeds.get(from.room);
    if (local && !rules.hears({ groupOf: from.id }, { id: to }, local.data)) {
      return Promise.resolve(ErrorCode.UnknownPeer);
    }
    return this.#relay(
      from.room,
      EventKind.Signal,
      encodeAudience({ only: to }),
      to,
      JSON.stringify({ type: "signal", from: from.id, data }),
    );
  }

  chat(from: Seat, text: string): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Chat,
      encodeAudience({ groupOf: from.id }),
      "",
      JSON.stringify({ type: "chat", from: from.id, name: from.name, text, ts: Date.now() }),
    );
  }

  async setState(seat: Seat, state: MediaState): Promise<ErrorCode | undefined> {
    seat.state = state;
    try {
      await this.#change(seat.room, (data) => rules.setState(data, seat.id, state));
      return undefined;
    } catch (err) {
      this.#presence.failed("state", err);
      return ErrorCode.Unavailable;
    }
  }

  async setHand(seat: Seat, raised: boolean): Promise<ErrorCode | undefined> {
    try {
      await this.#change(seat.room, (data) => rules.setHand(data, seat.id, raised, Date.now()));
      return undefined;
    } catch (err) {
      this.#presence.failed("hand", err);
      return ErrorCode.Unavailable;
    }
  }

  react(from: Seat, emoji: Reaction): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Reaction,
      encodeAudience({ groupOf: from.id }),
      "",
      JSON.stringify({ type: "reaction", id: from.id, emoji }),
    );
  }

  async moderate(
    seat: Seat,
    action: ModerateAction,
    to?: string,
  ): Promise<rules.Refusal | ErrorCode | undefined> {
    try {
      const result = await this.#change(
        seat.room,
        (data) => rules.moderate(data, seat.id, action, to, this.#options),
      );
      if (result !== null && typeof result === "object" && "code" in result) return result;
      if (result === "guard") {
        return {
          ok: false,
          code: ErrorCode.UnknownPeer,
          message: `Cannot ${action}: that guest is gone`,
        };
      }
      return undefined;
    } catch (err) {
      this.#presence.failed("moderate", err);
      return ErrorCode.Unavailable;
    }
  }

  async breakout(seat: Seat, msg: BreakoutMessage): Promise<rules.Refusal | ErrorCode | undefined> {
    try {
      const result = await this.#change(
        seat.room,
        (data) => rules.breakout(data, seat.id, msg, this.#options, Date.now()),
      );
      if (result !== null && typeof result === "object" && "code" in result) return result;
      return undefined;
    } catch (err) {
      this.#presence.failed("breakout", err);
      return ErrorCode.Unavailable;
    }
  }

  recordingNews(room: string, id: string, news: rules.RecordingNews): Promise<void> {
    return this.#track(this.#change(room, (data) => rules.recordingNews(data, id, news)));
  }

  cancelWait(room: string, id: string): void {
    const local = this.#feeds.get(room);
    if (!local?.lobby.delete(id)) return;
    this.#track(this.#change(room, (data) => rules.cancelKnock(data, id)));
  }

  leave(seat: Seat): Promise<void> {
    const local = this.#feeds.get(seat.room);
    if (!local || local.seats.get(seat.id) !== seat) return Promise.resolve();
    local.seats.delete(seat.id);
    seat.sink = null;
    // If Redis is away, the resync after it returns removes the seat.
    return this.#track(this.#remove(seat.room, seat.id, "owner"));
  }

  detach(seat: Seat, sink: SeatSink): void {
    if (seat.sink !== sink) return; // already resumed elsewhere
    seat.sink = null; // a held seat without a socket is in its grace
    if (this.#options.resumeGraceMs <= 0) {
      this.#track(this.#remove(seat.room, seat.id, "owner"));
      return;
    }
    this.#track(
      this.#runner.run("detach", [
        seat.room,
        seat.id,
        this.instanceId,
        String(this.#options.resumeGraceMs),
      ]),
    );
  }

  settleMedia(room: string, force = false): Promise<void> {
    return this.#track(
      this.#change(room, (data) => rules.settleMedia(data, Date.now(), this.#options, force)),
    );
  }

  mediaMode(room: string, seat?: string): MediaMode {
    const data = this.#feeds.get(room)?.data;
    if (!data) return "mesh";
    return seat ? rules.pathOf(data, seat) : data.media.mode;
  }

  groupOf(room: string, seat: string): string {
    const data = this.#feeds.get(room)?.data;
    return data ? rules.groupOf(data.settings, seat) : "";
  }

  close(): Promise<void> {
    this.#settle.close();
    this.#breakouts.close();
    return this.#presence.close(async () => {
      // Sockets that did not close in time still hold seats: give them their grace too.
      for (const local of this.#feeds.rooms) {
        for (const seat of local.seats.values()) if (seat.sink) this.detach(seat, seat.sink);
      }
      await Promise.allSettled([...this.#inflight]);
    });
  }

  /** Decides with the rules and stores the outcome (room-changes.ts); follows the media clock. */
  async #change(
    room: string,
    decide: (data: rules.RoomData) => Decision,
    extra: { token?: string; guard?: Guard } = {},
  ): Promise<Stored | rules.Refusal | "guard" | null> {
    const result = await storeDecision(this.#runner, this.instanceId, room, decide, extra);
    if (result !== null && typeof result === "object" && "seq" in result && result.media) {
      this.#settle.follow(room, result.media);
    }
    return result;
  }

  /** A granted seat with the room as it was then (the lobby for hosts). */
  #admission(seat: Seat, room: rules.RoomData): Admission {
    const me = room.members.find((m) => m.id === seat.id);
    if (me) seat.role = me.role;
    return {
      seat,
      // Their own breakout group's people (a resumed seat may be in one).
      peers: rules.groupMembers(room, rules.groupOf(room.settings, seat.id))
        .filter((m) => m.id !== seat.id),
      settings: room.settings,
      // Their breakout group's path, when they are in one.
      media: me ? rules.pathOf(room, me.id) : room.media.mode,
      waiting: seat.role === "host" ? room.waiting.map(({ id, name }) => ({ id, name })) : [],
      ...(me?.hand !== undefined ? { hand: me.hand } : {}),
    };
  }

  /**
   * Removes a seat by the room rules, if the guard still holds. A seat the
   * room no longer lists still has its keys cleared (nobody is told).
   */
  async #remove(room: string, id: string, guard: Guard): Promise<void> {
    await this.#change(
      room,
      (data) =>
        data.members.some((m) => m.id === id)
          ? rules.leave(data, id, this.#options)
          : { changes: [{ op: "remove", id }], events: [] },
      { guard },
    );
  }

  async #relay(
    room: string,
    kind: EventKind,
    to: string,
    addressee: string,
    payload: string,
  ): Promise<ErrorCode | undefined> {
    try {
      const seq = await this.#runner.run("relay", [room, kind, to, addressee, payload]);
      return seq === 0 ? ErrorCode.UnknownPeer : undefined;
    } catch (err) {
      this.#presence.failed("relay", err);
      return ErrorCode.Unavailable;
    }
  }

  #track<T>(work: Promise<T>): Promise<void> {
    const settled = work.then(() => {}, (err) => this.#presence.failed("update", err));
    this.#inflight.add(settled);
    settled.finally(() => this.#inflight.delete(settled));
    return settled;
  }
}
