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
  type MediaMode,
  type MediaState,
  type ModerateAction,
  type Reaction,
  type Role,
  type SignalData,
} from "../protocol/messages.ts";
import { ClusterPresence, parseRoomView, storedMember } from "./cluster-presence.ts";
import type { Logger } from "./logger.ts";
import { randomId } from "./random-id.ts";
import { createRedisClient } from "./redis-connection.ts";
import { type AdmitPayload, audience, type FeedSeat, RoomFeeds } from "./redis-room-feed.ts";
import { type Reply, ScriptRunner } from "./redis-script-runner.ts";
import { EventKind } from "./redis-scripts.ts";
import {
  type Admission,
  info,
  type JoinResult,
  type Refusal,
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
type Decision = rules.Outcome | rules.Refusal | null;

function audienceOf(to: rules.Audience): string {
  if ("all" in to) return audience.all;
  if ("allBut" in to) return audience.allBut(to.allBut);
  if ("only" in to) return audience.only(to.only);
  return audience.hosts;
}

/** What `apply` stored: the room as it is now, and the sequence number of its last event. */
interface Stored {
  seq: number;
  room: rules.RoomData;
}

export class RedisRegistry implements RoomRegistry {
  readonly instanceId = randomId(8);
  readonly #options: RedisRegistryOptions;
  readonly #runner: ScriptRunner;
  readonly #feeds: RoomFeeds;
  readonly #presence: ClusterPresence;
  readonly #inflight = new Set<Promise<unknown>>();
  /** Checks due when an SFU room has been down to two long enough to return to the mesh. */
  readonly #settleTimers = new Set<ReturnType<typeof setTimeout>>();

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

  async join(room: string, name: string, sink: SeatSink, claimed?: Role): Promise<JoinResult> {
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
        const decided = rules.join(data, { id, name }, claimed, this.#options);
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
      this.#feeds.grant(local, seat, result.seq, [...result.room.members]);
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
      const members = [...view.members];
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
          role: mine?.role ?? "guest",
          resumeToken: fresh,
          sink,
          fromSeq: Infinity,
        };
        local.seats.set(id, seat);
      }
      seat.resumeToken = fresh;
      if (!local.pending) {
        local.settings = view.settings;
        local.media = view.media.mode;
      }
      this.#feeds.grant(local, seat, seq, members);
      return this.#admission(seat, view);
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
      audience.all,
      "",
      JSON.stringify({ type: "reaction", id: from.id, emoji }),
    );
  }

  async moderate(
    seat: Seat,
    action: ModerateAction,
    to?: string,
  ): Promise<Refusal | ErrorCode | undefined> {
    try {
      const result = await this.#change(
        seat.room,
        (data) => rules.moderate(data, seat.id, action, to, this.#options),
      );
      if (result !== null && typeof result === "object" && "code" in result) {
        return { code: result.code, message: result.message };
      }
      if (result === "guard") {
        return { code: ErrorCode.UnknownPeer, message: `Cannot ${action}: that guest is gone` };
      }
      return undefined;
    } catch (err) {
      this.#presence.failed("moderate", err);
      return ErrorCode.Unavailable;
    }
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

  mediaMode(room: string): MediaMode {
    return this.#feeds.get(room)?.media ?? "mesh";
  }

  close(): Promise<void> {
    for (const timer of this.#settleTimers) clearTimeout(timer);
    this.#settleTimers.clear();
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
   * nothing to do; "guard" when a guard no longer held (a removal's seat, or
   * the instance of a guest being let in); a refusal from the rules.
   */
  async #change(
    room: string,
    decide: (data: rules.RoomData) => Decision,
    extra: { token?: string; guard?: Guard } = {},
  ): Promise<Stored | rules.Refusal | "guard" | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [version, raw] = await this.#runner.run("read", [room]) as [number, Reply];
      const order = new Map<string, number>();
      const data = parseRoomView(raw, order);
      const decided = decide(data);
      if (decided === null) return null;
      if ("ok" in decided && decided.ok === false) return decided;
      const outcome = decided as rules.Outcome;
      // Knocks made here are held by this instance.
      const changes = outcome.changes.map((c) =>
        c.op === "knock" && !c.knock.instance
          ? { ...c, knock: { ...c.knock, instance: this.instanceId } }
          : c
      );
      const { events } = outcome;
      if (changes.length === 0 && events.length === 0) return null;
      const ops: string[] = [];
      let count = 0;
      const tokens = new Map<string, string>();
      for (const c of changes) {
        if (c.op === "add") {
          const knock = data.waiting.find((w) => w.id === c.member.id);
          const token = knock ? randomId(24) : extra.token!;
          tokens.set(c.member.id, token);
          // Stored with the room's next version, which orders members by arrival.
          ops.push(
            "add",
            c.member.id,
            storedMember(c.member, version + 1),
            token,
            knock?.instance ?? this.instanceId,
          );
        } else if (c.op === "update") {
          ops.push("update", c.member.id, storedMember(c.member, order.get(c.member.id) ?? 0));
        } else if (c.op === "remove") ops.push("remove", c.id, extra.guard ?? "");
        else continue;
        count++;
      }
      const after = rules.applyChanges(data, changes);
      if (changes.some((c) => ["settings", "knock", "unknock", "media"].includes(c.op))) {
        const defaults = after.waiting.length === 0 &&
          after.settings.locked === rules.DEFAULT_SETTINGS.locked &&
          after.settings.lobby === rules.DEFAULT_SETTINGS.lobby &&
          after.media.mode === "mesh";
        ops.push(
          "doc",
          defaults ? "" : JSON.stringify({
            settings: after.settings,
            waiting: after.waiting,
            ...(after.media.mode !== "mesh" ? { media: after.media } : {}),
          }),
        );
        count++;
      }
      const args = [room, String(version), this.instanceId, String(count), ...ops];
      for (const e of events) {
        if (rules.isNotice(e)) {
          args.push(EventKind.News, audienceOf(e.to), JSON.stringify(e.message));
        } else args.push(...this.#effectEvent(e, data, tokens));
      }
      const reply = await this.#runner.run("apply", args);
      if (reply === null) continue; // the room changed since it was read
      if (reply === "guard") return "guard";
      const [seq, view] = reply as [number, Reply];
      const media = changes.findLast((c) => c.op === "media");
      if (media?.op === "media" && media.media.low !== undefined) {
        // This instance saw the room shrink: it checks again when the mesh may return.
        const timer = setTimeout(() => {
          this.#settleTimers.delete(timer);
          void this.settleMedia(room); // tracked there
        }, rules.BACK_TO_MESH_MS + 10);
        this.#settleTimers.add(timer);
      }
      return { seq, room: parseRoomView(view) };
    }
    throw new Error(`the room kept changing (${MAX_ATTEMPTS} attempts)`);
  }

  /** An effect as an event on the room's channel: kind, audience, payload. */
  #effectEvent(e: rules.Effect, data: rules.RoomData, tokens: Map<string, string>): string[] {
    switch (e.kind) {
      case "admit": {
        const payload: AdmitPayload = {
          id: e.id,
          token: tokens.get(e.id)!,
          owner: data.waiting.find((w) => w.id === e.id)?.instance ?? this.instanceId,
          member: e.member,
          peers: e.peers,
        };
        return [EventKind.Admit, audience.only(e.id), JSON.stringify(payload)];
      }
      case "deny":
        return [
          EventKind.Deny,
          audience.only(e.id),
          e.message,
        ];
      case "kick":
        return [EventKind.Kick, audience.only(e.id), JSON.stringify({ type: "removed", by: e.by })];
      case "end":
        return [EventKind.End, audience.all, JSON.stringify({ type: "room-ended", by: e.by })];
    }
  }

  /** A granted seat with the room as it was then (the lobby for hosts). */
  #admission(seat: Seat, room: rules.RoomData): Admission {
    const me = room.members.find((m) => m.id === seat.id);
    if (me) seat.role = me.role;
    return {
      seat,
      peers: room.members.filter((m) => m.id !== seat.id),
      settings: room.settings,
      media: room.media.mode,
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
