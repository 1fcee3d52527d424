import { createClient } from "@redis/client";
import {
  CloseCode,
  ErrorCode,
  INITIAL_STATE,
  type MediaState,
  type PeerInfo,
  type ServerMessage,
  type SignalData,
} from "../protocol/messages.ts";
import type { Logger } from "./logger.ts";
import { randomId } from "./random-id.ts";
import { EventKind, type ScriptName, Scripts } from "./redis-scripts.ts";
import {
  type Admission,
  info,
  type RegistryOptions,
  type RoomRegistry,
  type Seat,
  type SeatSink,
} from "./room-registry.ts";

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

/** A room event as it arrives on the room's channel. */
interface RoomEvent {
  seq: number;
  kind: EventKind;
  /** The peer the event is about (sender, joiner, leaver or addressee). */
  subject: string;
  /** The server message text for clients, or the new owner for a takeover. */
  payload: string;
}

interface ClusterSeat extends Seat {
  /** Events up to this room sequence number came before the seat was granted. */
  fromSeq: number;
}

/** A room in which this instance holds (or is about to hold) seats. */
interface LocalRoom {
  readonly name: string;
  readonly seats: Map<string, ClusterSeat>;
  /** Everyone in the room, kept from the event stream, to tell clients what an outage hid. */
  members: Map<string, PeerInfo>;
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

const TYPE_OF_KIND: Record<EventKind, ServerMessage["type"] | null> = {
  [EventKind.Joined]: "peer-joined",
  [EventKind.Left]: "peer-left",
  [EventKind.State]: "peer-state",
  [EventKind.Chat]: "chat",
  [EventKind.Signal]: "signal",
  [EventKind.Takeover]: null,
};

/** Events kept per room while waiting for a snapshot or an admission reply. */
const MAX_BUFFERED_EVENTS = 5000;
/** Events a room may skip ahead by (missed ones); a bigger jump is not ours. */
const MAX_SEQ_JUMP = 1_000_000;

type Reply = null | number | string | Reply[];

/** A signal goes to its subject; chat to everyone; news about a peer to everyone but that peer. */
function addressedTo(event: RoomEvent, id: string): boolean {
  if (event.kind === EventKind.Signal) return event.subject === id;
  return event.kind === EventKind.Chat || event.subject !== id;
}

function parseInfos(raw: Reply): PeerInfo[] {
  return (raw as string[]).map((text) => JSON.parse(text) as PeerInfo);
}

/**
 * Rooms shared by every instance through Redis. Each event of a room is
 * stamped with the room's sequence number and published on the room's
 * channel; instances deliver what reaches them to the seats they hold, in
 * that one order. Presence is a heartbeat key per instance that expires.
 */
export class RedisRegistry implements RoomRegistry {
  readonly instanceId = randomId(8);
  readonly #options: RedisRegistryOptions;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #client;
  readonly #sub;
  readonly #rooms = new Map<string, LocalRoom>();
  readonly #channelOps = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #shas = new Map<ScriptName, string>();
  readonly #waiting = new Set<{ since: number; reject: (err: Error) => void }>();
  /** Redis's data generation as last seen; a change means it lost everything since. */
  #epoch = "";
  #state: "connecting" | "syncing" | "ready" | "closed" = "connecting";
  #lastError = "not connected yet";
  #warned = false;
  #lastBeat = 0;
  #readySince = 0;
  #syncing: Promise<void> | null = null;
  #ticking = false;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(options: RedisRegistryOptions) {
    this.#options = options;
    this.#heartbeatMs = options.heartbeatMs ?? 1000;
    this.#ttlMs = options.instanceTtlMs ?? 3 * this.#heartbeatMs;
    this.#timeoutMs = options.commandTimeoutMs ?? 2000;
    this.#client = createClient({
      url: options.url,
      // Fail at once while disconnected: a join should hear "unavailable", not hang.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.#timeoutMs,
        reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
      },
    });
    this.#sub = this.#client.duplicate();
    for (const conn of [this.#client, this.#sub]) {
      conn.on("error", (err: Error) => this.#lost(err));
      conn.on("ready", () => void this.#sync());
      conn.connect().catch(() => {}); // it keeps retrying; errors arrive as events
    }
    this.#timer = setInterval(() => {
      this.#expireWaiting();
      void this.#tick();
    }, this.#heartbeatMs);
  }

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

  get unavailable(): string | null {
    if (this.#state === "closed") return "the server is shutting down";
    if (this.#state !== "ready") return `Redis is unreachable: ${this.#lastError}`;
    if (Date.now() - this.#lastBeat > this.#ttlMs) {
      return `Redis is unreachable: no answer to the heartbeat for ${this.#ttlMs} ms`;
    }
    return null;
  }

  // ---- RoomRegistry ----

  async join(room: string, name: string, sink: SeatSink): Promise<Admission | ErrorCode> {
    if (this.unavailable) return ErrorCode.Unavailable;
    const local = this.#enter(room);
    const seat: ClusterSeat = {
      id: randomId(12),
      room,
      name,
      state: { ...INITIAL_STATE },
      resumeToken: randomId(24),
      sink,
      fromSeq: Infinity, // set by #grant, before the seat is in the room's map
    };
    local.admitting++;
    try {
      await local.subscribed;
      const peer = info(seat);
      const reply = await this.#run("join", [
        room,
        seat.id,
        seat.resumeToken,
        this.instanceId,
        String(this.#options.maxPeers),
        JSON.stringify(peer),
        JSON.stringify({ type: "peer-joined", peer }),
      ]).catch((err) => {
        // Timed out, yet it may still land: take the seat back behind it.
        this.#track(this.#run("leave", [room, seat.id, this.instanceId]));
        throw err;
      });
      if (reply === null) return ErrorCode.RoomFull;
      const [seq, infos] = reply as [number, Reply];
      local.seats.set(seat.id, seat);
      const peers = parseInfos(infos);
      this.#grant(local, seat, seq, peers);
      return { seat, peers: peers.filter((p) => p.id !== seat.id) };
    } catch (err) {
      this.#failed("join", err);
      return ErrorCode.Unavailable;
    } finally {
      this.#admitted(local);
    }
  }

  async resume(
    token: string,
    room: string,
    sink: SeatSink,
  ): Promise<Admission | ErrorCode | undefined> {
    if (this.unavailable) return ErrorCode.Unavailable;
    const local = this.#enter(room);
    local.admitting++;
    try {
      await local.subscribed;
      const fresh = randomId(24);
      const reply = await this.#run("resume", [room, token, fresh, this.instanceId]);
      if (reply === null) return undefined;
      const [seq, id, infos] = reply as [number, string, Reply];
      const peers = parseInfos(infos);
      let seat = local.seats.get(id);
      if (seat) {
        // Resumed here while the old socket still looked open here.
        const old = seat.sink;
        seat.sink = sink;
        if (old && old !== sink) old.close(CloseCode.Replaced, "seat resumed elsewhere");
      } else {
        const mine = peers.find((p) => p.id === id);
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
      this.#grant(local, seat, seq, peers);
      return { seat, peers: peers.filter((p) => p.id !== id) };
    } catch (err) {
      this.#failed("resume", err);
      return ErrorCode.Unavailable;
    } finally {
      this.#admitted(local);
    }
  }

  signal(from: Seat, to: string, data: SignalData): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Signal,
      to,
      JSON.stringify({ type: "signal", from: from.id, data }),
    );
  }

  chat(from: Seat, text: string): Promise<ErrorCode | undefined> {
    return this.#relay(
      from.room,
      EventKind.Chat,
      from.id,
      JSON.stringify({ type: "chat", from: from.id, name: from.name, text, ts: Date.now() }),
    );
  }

  async setState(seat: Seat, state: MediaState): Promise<ErrorCode | undefined> {
    seat.state = state;
    try {
      await this.#run("state", [
        seat.room,
        seat.id,
        JSON.stringify(info(seat)),
        JSON.stringify({ type: "peer-state", id: seat.id, state }),
      ]);
      return undefined;
    } catch (err) {
      this.#failed("state", err);
      return ErrorCode.Unavailable;
    }
  }

  leave(seat: Seat): Promise<void> {
    const local = this.#rooms.get(seat.room);
    if (!local || local.seats.get(seat.id) !== seat) return Promise.resolve();
    local.seats.delete(seat.id);
    seat.sink = null;
    // If Redis is away, the resync after it returns removes the seat.
    return this.#track(this.#run("leave", [seat.room, seat.id, this.instanceId]));
  }

  detach(seat: Seat, sink: SeatSink): void {
    if (seat.sink !== sink) return; // already resumed elsewhere
    seat.sink = null; // a held seat without a socket is in its grace
    this.#track(
      this.#run("detach", [
        seat.room,
        seat.id,
        this.instanceId,
        String(this.#options.resumeGraceMs),
      ]),
    );
  }

  async close(): Promise<void> {
    if (this.#state === "closed") return;
    const wasReady = this.#state === "ready";
    this.#state = "closed";
    clearInterval(this.#timer);
    // Sockets that did not close in time still hold seats: give them their grace too.
    for (const local of this.#rooms.values()) {
      for (const seat of local.seats.values()) if (seat.sink) this.detach(seat, seat.sink);
    }
    await Promise.allSettled([...this.#inflight]);
    // The others take over our seats now rather than when the heartbeat expires.
    if (wasReady) await this.#run("retire", [this.instanceId]).catch(() => {});
    for (const conn of [this.#client, this.#sub]) {
      try {
        if (conn.isReady) await conn.close();
        else conn.destroy();
      } catch { /* already gone */ }
    }
  }

  // ---- rooms and events ----

  /** The local view of a room, subscribing to its channel when new. */
  #enter(room: string): LocalRoom {
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
        this.#sub.subscribe(
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

  #channel(room: string): string {
    return `${this.#options.prefix}room:${room}`;
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
        subject: message.slice(b + 1, c),
        payload: message.slice(c + 1),
      });
    } catch (err) {
      // Something else publishing on our channel must not stop the room.
      this.#options.logger.warn("unreadable room event", { room: local.name, error: String(err) });
    }
  }

  #apply(local: LocalRoom, event: RoomEvent): void {
    if (local.pending) {
      if (local.pending.length < MAX_BUFFERED_EVENTS) local.pending.push(event);
      return;
    }
    // Old news, or a number no room reaches by counting (junk from elsewhere).
    if (event.seq <= local.lastSeq || event.seq > local.lastSeq + MAX_SEQ_JUMP) return;
    const news = event.kind === EventKind.Joined || event.kind === EventKind.State
      ? JSON.parse(event.payload) // before anything changes: unreadable news is dropped whole
      : null;
    local.lastSeq = event.seq;
    if (local.admitting > 0 && local.recent.length < MAX_BUFFERED_EVENTS) local.recent.push(event);
    switch (event.kind) {
      case EventKind.Joined:
        local.members.set(event.subject, news.peer);
        break;
      case EventKind.State: {
        const member = local.members.get(event.subject);
        if (member) member.state = news.state;
        break;
      }
      case EventKind.Left: {
        local.members.delete(event.subject);
        // Our own seat, removed by the cluster (its grace ended, or we were
        // taken for dead): the client must join again to be seen.
        const seat = local.seats.get(event.subject);
        if (seat) this.#drop(local, seat, CloseCode.ServiceRestart, "the room lost this seat");
        break;
      }
      case EventKind.Takeover: {
        const seat = local.seats.get(event.subject);
        if (seat && event.payload !== this.instanceId) {
          this.#drop(local, seat, CloseCode.Replaced, "seat resumed elsewhere");
        }
        return;
      }
    }
    if (event.kind === EventKind.Signal) {
      const seat = local.seats.get(event.subject);
      if (seat) this.#deliver(seat, event);
      return;
    }
    for (const seat of local.seats.values()) {
      if (addressedTo(event, seat.id)) this.#deliver(seat, event);
    }
  }

  #deliver(seat: ClusterSeat, event: RoomEvent): void {
    if (event.seq <= seat.fromSeq || !seat.sink) return;
    seat.sink.send(event.payload);
    const type = TYPE_OF_KIND[event.kind];
    if (type) this.#options.onDeliver?.(type);
  }

  #drop(local: LocalRoom, seat: ClusterSeat, code: number, reason: string): void {
    local.seats.delete(seat.id);
    const sink = seat.sink;
    seat.sink = null;
    sink?.close(code, reason);
  }

  /**
   * A seat granted at room sequence `seq`: it hears what comes after. Events
   * that overtook the reply are replayed to it; a room new to this instance
   * starts from the snapshot.
   */
  #grant(local: LocalRoom, seat: ClusterSeat, seq: number, peers: PeerInfo[]): void {
    seat.fromSeq = seq;
    for (const event of local.recent) {
      if (addressedTo(event, seat.id)) this.#deliver(seat, event);
    }
    if (local.pending) this.#snapshot(local, seq, peers, false);
  }

  #admitted(local: LocalRoom): void {
    local.admitting--;
    if (local.admitting === 0) local.recent = [];
  }

  /**
   * Resets a room to the store's view at `seq`, then plays the events that
   * waited. With `tell`, local clients hear what changed meanwhile (after an
   * outage) as ordinary peer-left / peer-joined / peer-state messages.
   */
  #snapshot(local: LocalRoom, seq: number, peers: PeerInfo[], tell: boolean): void {
    const now = new Map(peers.map((p) => [p.id, p]));
    if (tell) {
      const told: ServerMessage[] = [];
      for (const id of local.members.keys()) {
        if (!now.has(id)) told.push({ type: "peer-left", id });
      }
      for (const [id, peer] of now) {
        const was = local.members.get(id);
        if (!was) told.push({ type: "peer-joined", peer });
        else if (JSON.stringify(was.state) !== JSON.stringify(peer.state)) {
          told.push({ type: "peer-state", id, state: peer.state });
        }
      }
      const texts = told.map((msg) => ({
        about: msg.type === "peer-joined" ? msg.peer.id : (msg as { id: string }).id,
        text: JSON.stringify(msg),
      }));
      for (const seat of local.seats.values()) {
        for (const { about, text } of texts) if (about !== seat.id) seat.sink?.send(text);
      }
    }
    for (const seat of local.seats.values()) seat.fromSeq = Math.min(seat.fromSeq, seq);
    local.members = now;
    local.lastSeq = seq;
    const waiting = local.pending ?? [];
    local.pending = null;
    for (const event of waiting) this.#apply(local, event);
  }

  async #relay(
    room: string,
    kind: EventKind,
    subject: string,
    payload: string,
  ): Promise<ErrorCode | undefined> {
    try {
      const seq = await this.#run("relay", [room, kind, subject, payload]);
      return seq === 0 ? ErrorCode.UnknownPeer : undefined;
    } catch (err) {
      this.#failed("relay", err);
      return ErrorCode.Unavailable;
    }
  }

  // ---- connection, heartbeat, recovery ----

  /** Runs a script by hash (loading it on first use or after a Redis restart), with a deadline. */
  async #run(name: ScriptName, args: string[]): Promise<Reply> {
    const argv = [this.#options.prefix, ...args];
    const call = async (): Promise<Reply> => {
      let sha = this.#shas.get(name);
      if (!sha) {
        sha = await this.#client.scriptLoad(Scripts[name]) as string;
        this.#shas.set(name, sha);
      }
      try {
        return await this.#client.evalSha(sha, { keys: [], arguments: argv }) as Reply;
      } catch (err) {
        if (!String(err).includes("NOSCRIPT")) throw err;
        this.#shas.clear(); // Redis restarted and forgot them
        return await this.#client.eval(Scripts[name], { keys: [], arguments: argv }) as Reply;
      }
    };
    // One timer per command costs more than the relay itself: the heartbeat
    // tick fails whatever has waited too long instead.
    let waiting!: { since: number; reject: (err: Error) => void };
    const deadline = new Promise<never>((_, reject) => (waiting = { since: Date.now(), reject }));
    this.#waiting.add(waiting);
    try {
      return await Promise.race([call(), deadline]);
    } finally {
      this.#waiting.delete(waiting);
    }
  }

  /** Fails commands that got no answer within the command timeout. */
  #expireWaiting(): void {
    const cutoff = Date.now() - this.#timeoutMs;
    for (const w of this.#waiting) {
      if (w.since > cutoff) continue;
      this.#waiting.delete(w);
      w.reject(new Error(`no answer within ${this.#timeoutMs} ms`));
    }
  }

  #track<T>(work: Promise<T>): Promise<void> {
    const settled = work.then(() => {}, (err) => this.#failed("update", err));
    this.#inflight.add(settled);
    settled.finally(() => this.#inflight.delete(settled));
    return settled;
  }

  #failed(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.#lastError = message;
    this.#options.logger.debug("redis command failed", { what, error: message });
  }

  /** A connection dropped: rooms wait for a fresh snapshot once it is back. */
  #lost(err: Error): void {
    this.#lastError = err.message || String(err);
    if (this.#state === "ready" || !this.#warned) {
      if (this.#state === "ready") this.#state = "syncing";
      this.#warned = true;
      // Once per outage: the client retries every second and would flood the log.
      this.#options.logger.warn("redis unreachable; joins answer 'unavailable' until it is back", {
        error: this.#lastError,
      });
    }
    for (const local of this.#rooms.values()) local.pending ??= [];
  }

  /**
   * After every (re)connect: re-register, restore or reconcile this instance's
   * seats, then bring each room up to date.
   */
  #sync(): Promise<void> {
    if (this.#state === "closed" || !this.#client.isReady || !this.#sub.isReady) {
      return Promise.resolve();
    }
    this.#syncing ??= (async () => {
      const wasReady = this.#state === "ready";
      this.#state = "syncing";
      for (const local of this.#rooms.values()) local.pending ??= [];
      try {
        // Load every script up front: loading one lazily mid-relay could let a
        // later command of the same client overtake it.
        this.#shas.clear();
        for (const name of Object.keys(Scripts) as ScriptName[]) {
          this.#shas.set(name, await this.#client.scriptLoad(Scripts[name]) as string);
        }
        const args = [
          this.instanceId,
          this.#epoch,
          randomId(12),
          String(this.#ttlMs),
          String(this.#options.resumeGraceMs),
        ];
        for (const local of this.#rooms.values()) {
          for (const seat of local.seats.values()) {
            args.push(
              seat.room,
              seat.id,
              seat.resumeToken,
              JSON.stringify(info(seat)),
              seat.sink ? "0" : "1", // no socket: in its grace
            );
          }
        }
        const [epoch, lost] = await this.#run("resync", args) as [string, string[]];
        this.#epoch = epoch;
        for (const id of lost) {
          for (const local of this.#rooms.values()) {
            const seat = local.seats.get(id);
            if (seat) this.#drop(local, seat, CloseCode.ServiceRestart, "the room lost this seat");
          }
        }
        for (const local of [...this.#rooms.values()]) {
          if (local.subscribeFailed) {
            this.#rooms.delete(local.name);
            this.#enter(local.name);
          }
          const current = this.#rooms.get(local.name)!;
          await current.subscribed;
          const [seq, infos] = await this.#run("snapshot", [current.name]) as [number, Reply];
          this.#snapshot(current, seq, parseInfos(infos), true);
        }
        if (this.#state !== "syncing") return; // closed meanwhile
        this.#state = "ready";
        this.#lastBeat = this.#readySince = Date.now();
        this.#warned = true;
        this.#options.logger.info(wasReady ? "redis resynced" : "redis ready", {
          instance: this.instanceId,
          seats: this.peerCount,
          lost: lost.length,
        });
      } catch (err) {
        this.#failed("resync", err); // the next heartbeat tick tries again
      }
    })().finally(() => (this.#syncing = null));
    return this.#syncing;
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#state === "closed") return;
    this.#ticking = true;
    try {
      for (const local of [...this.#rooms.values()]) {
        if (local.seats.size > 0 || local.admitting > 0) continue;
        if (++local.idleTicks < 2) continue;
        this.#rooms.delete(local.name);
        this.#channelOp(local.name, () => this.#sub.unsubscribe(this.#channel(local.name)))
          .catch(() => {});
      }
      if (this.#state !== "ready") {
        await this.#sync();
        return;
      }
      const member = await this.#run("heartbeat", [this.instanceId, String(this.#ttlMs)]);
      this.#lastBeat = Date.now();
      if (member === 0) {
        // Declared dead while we were stalled: reclaim what is left.
        this.#options.logger.warn("this instance was taken for dead; reclaiming its seats");
        this.#state = "syncing";
        await this.#sync();
        return;
      }
      // Judge others only once they had a full TTL to beat since we came up
      // (after a Redis restart, everyone's heartbeat key is missing at first).
      const judge = Date.now() - this.#readySince >= this.#ttlMs;
      const [dead, removed] = await this.#run("sweep", [
        String(this.#options.resumeGraceMs),
        judge ? "1" : "0",
      ]) as [string[], number];
      for (const instance of dead) {
        this.#options.logger.warn("instance gone; its seats wait for their peers to resume", {
          instance,
        });
      }
      if (removed > 0) this.#options.logger.debug("graces ended", { seats: removed });
    } catch (err) {
      this.#failed("heartbeat", err);
    } finally {
      this.#ticking = false;
    }
  }
}
