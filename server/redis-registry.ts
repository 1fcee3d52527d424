/**
 * Rooms shared by every instance through Redis. Composed of: the script
 * runner (Lua by hash, with deadlines), the room feeds (each room's events in
 * one order, delivered to the seats this instance holds), and the cluster
 * presence (heartbeat, judging the dead, resync). What a join, leave or state
 * change does is decided by the room rules, the same as in memory, and stored
 * by `apply` only if the room did not change since it was read.
 */
import {
  CloseCode,
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
  type SignalData,
} from "../protocol/messages.ts";
import { ClusterPresence, parseMembers } from "./cluster-presence.ts";
import type { Logger } from "./logger.ts";
import { randomId } from "./random-id.ts";
import { createRedisClient } from "./redis-connection.ts";
import { audience, type FeedSeat, RoomFeeds } from "./redis-room-feed.ts";
import { type Reply, ScriptRunner } from "./redis-script-runner.ts";
import { EventKind } from "./redis-scripts.ts";
import {
  type Admission,
  info,
  type RegistryOptions,
  type RoomRegistry,
  type Seat,
  type SeatSink,
} from "./room-registry.ts";
import * as rules from "./room-rules.ts";

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

/** How often a decision is tried again when the room changed under it. */
const MAX_ATTEMPTS = 8;

type Guard = "owner" | "grace" | "";
type Decision = rules.Outcome | { ok: false; code: ErrorCode } | null;

function audienceOf(to: rules.Audience): string {
  return "all" in to
    ? audience.all
    : "allBut" in to
    ? audience.allBut(to.allBut)
    : audience.only(to.only);
}

export class RedisRegistry implements RoomRegistry {
  readonly instanceId = randomId(8);
  readonly #options: RedisRegistryOptions;
  readonly #runner: ScriptRunner;
  readonly #feeds: RoomFeeds;
  readonly #presence: ClusterPresence;
  readonly #inflight = new Set<Promise<unknown>>();

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

  async join(room: string, name: string, sink: SeatSink): Promise<Admission | ErrorCode> {
    if (this.unavailable) return ErrorCode.Unavailable;
    const local = this.#feeds.enter(room);
    const seat: FeedSeat = {
      id: randomId(12),
      room,
      name,
      state: { ...INITIAL_STATE },
      resumeToken: randomId(24),
      sink,
      fromSeq: Infinity, // set by grant, before the seat is in the room's map
    };
    local.admitting++;
    try {
      await local.subscribed;
      const result = await this.#change(
        room,
        (data) => rules.join(data, info(seat), this.#options),
        { token: seat.resumeToken },
      ).catch((err) => {
        // Timed out, yet it may still land: take the seat back behind it.
        this.#track(this.#remove(room, seat.id, "owner"));
        throw err;
      });
      if (result === null || result === "guard") throw new Error("the join was not stored");
      if (typeof result === "string") return result;
      local.seats.set(seat.id, seat);
      this.#feeds.grant(local, seat, result.seq, result.members);
      return { seat, peers: result.members.filter((p) => p.id !== seat.id) };
    } catch (err) {
      this.#presence.failed("join", err);
      return ErrorCode.Unavailable;
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
      const members = parseMembers(raw);
      let seat = local.seats.get(id);
      if (seat) {
        // Resumed here while the old socket still looked open here.
        const old = seat.sink;
        seat.sink = sink;
        if (old && old !== sink) old.close(CloseCode.Replaced, "seat resumed elsewhere");
      } else {
        const mine = members.find((p) => p.id === id);
        seat = {
          id,
          room,
          name: mine?.name ?? "",
          state: mine?.state ?? { ...INITIAL_STATE },
          resumeToken: fresh,
          sink,
          fromSeq: Infinity,
        };
        local.seats.set(id, seat);
      }
      seat.resumeToken = fresh;
      this.#feeds.grant(local, seat, seq, members);
      return { seat, peers: members.filter((p) => p.id !== id) };
    } catch (err) {
      this.#presence.failed("resume", err);
      return ErrorCode.Unavailable;
    } finally {
      this.#feeds.admitted(local);
    }
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Signal,
      audience.only(to),
      to,
      JSON.stringify({ type: "signal", from: from.id, data }),
    );
  }

  chat(from: Seat, text: string): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Chat,
      audience.all,
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

  close(): Promise<void> {
    return this.#presence.close(async () => {
      // Sockets that did not close in time still hold seats: give them their grace too.
      for (const local of this.#feeds.rooms) {
        for (const seat of local.seats.values()) if (seat.sink) this.detach(seat, seat.sink);
      }
      await Promise.allSettled([...this.#inflight]);
    });
  }

  // ---- deciding and storing ----

  /**
   * Reads the room, lets the rules decide, and stores the outcome if the room
   * did not change meanwhile (else decides again). Null when there was
   * nothing to do; "guard" when a removal's guard no longer held.
   */
  async #change(
    room: string,
    decide: (data: rules.RoomData) => Decision,
    extra: { token?: string; guard?: Guard } = {},
  ): Promise<{ seq: number; members: rules.Member[] } | ErrorCode | "guard" | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [version, raw] = await this.#runner.run("read", [room]) as [number, Reply];
      const decided = decide({ members: parseMembers(raw) });
      if (decided === null) return null;
      if ("ok" in decided && decided.ok === false) return decided.code;
      const { changes, notices } = decided as rules.Outcome;
      if (changes.length === 0 && notices.length === 0) return null;
      const args = [room, String(version), this.instanceId, String(changes.length)];
      for (const c of changes) {
        if (c.op === "add") args.push("add", c.member.id, JSON.stringify(c.member), extra.token!);
        else if (c.op === "update") args.push("update", c.member.id, JSON.stringify(c.member));
        else args.push("remove", c.id, extra.guard ?? "");
      }
      for (const n of notices) {
        args.push(EventKind.News, audienceOf(n.to), JSON.stringify(n.message));
      }
      const reply = await this.#runner.run("apply", args);
      if (reply === null) continue; // the room changed since it was read
      if (reply === "guard") return "guard";
      const [seq, members] = reply as [number, Reply];
      return { seq, members: parseMembers(members) };
    }
    throw new Error(`the room kept changing (${MAX_ATTEMPTS} attempts)`);
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
          ? rules.leave(data, id)
          : { changes: [{ op: "remove", id }], notices: [] },
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
