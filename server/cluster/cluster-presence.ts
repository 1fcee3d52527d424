/**
 * This instance's place in the cluster: its connections to Redis, whether it
 * can serve (and why not), its heartbeat, judging instances that stopped
 * beating, and putting things right after every (re)connect (resync).
 * Removing a seat is a room rule, so the seats whose grace ended, and those
 * that left while Redis was away, are handed back to the registry to remove.
 */
import { RECONNECT_MAX_MS, type RedisClient } from "./redis-connection.ts";
import { CloseCode, type PeerInfo } from "../../protocol/messages.ts";
import type { Logger } from "../observe/logger.ts";
import { randomId } from "../rooms/random-id.ts";
import type { FeedSeat, RoomFeeds } from "./redis-room-feed.ts";
import type { Reply, ScriptRunner } from "./redis-script-runner.ts";
import { parseRoomView } from "./room-codec.ts";

export interface PresenceOptions {
  instanceId: string;
  client: RedisClient;
  sub: RedisClient;
  runner: ScriptRunner;
  feeds: RoomFeeds;
  logger: Logger;
  heartbeatMs: number;
  /** An instance silent this long is dead: its seats start their grace. */
  ttlMs: number;
  resumeGraceMs: number;
  /** What a seat looks like to the others (stored again if Redis lost it). */
  memberOf(seat: FeedSeat): PeerInfo;
  /** Removes a seat by the room rules (its grace ended, or it left while Redis was away). */
  remove(room: string, id: string, guard: "grace" | "owner"): Promise<void>;
}

export class ClusterPresence {
  readonly #o: PresenceOptions;
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

  constructor(options: PresenceOptions) {
    this.#o = options;
    for (const conn of [options.client, options.sub]) {
      conn.on("error", (err: Error) => this.#lost(err));
      conn.on("ready", () => void this.sync());
      conn.connect().catch(() => {}); // it keeps retrying; errors arrive as events
    }
    this.#timer = setInterval(() => {
      options.runner.expire();
      void this.#tick();
    }, options.heartbeatMs);
  }

  get ready(): boolean {
    return this.#state === "ready";
  }

  /** Why new joins cannot be served right now, or `null` when they can. */
  get unavailable(): string | null {
    if (this.#state === "closed") return "the server is shutting down";
    if (this.#state !== "ready") return `Redis is unreachable: ${this.#lastError}`;
    if (Date.now() - this.#lastBeat > this.#o.ttlMs) {
      return `Redis is unreachable: no answer to the heartbeat for ${this.#o.ttlMs} ms`;
    }
    return null;
  }

  /** Remembers why the last command failed (for /healthz). */
  failed(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.#lastError = message;
    this.#o.logger.debug("redis command failed", { what, error: message });
  }

  /** Stops beating; the others take over this instance's seats at once. */
  async close(beforeRetire: () => Promise<void>): Promise<void> {
    if (this.#state === "closed") return;
    const wasReady = this.#state === "ready";
    this.#state = "closed";
    clearInterval(this.#timer);
    await beforeRetire();
    if (wasReady) await this.#o.runner.run("retire", [this.#o.instanceId]).catch(() => {});
    for (const conn of [this.#o.client, this.#o.sub]) {
      try {
        if (conn.isReady) await conn.close();
        else conn.destroy();
      } catch { /* already gone */ }
    }
  }

  /** A connection dropped: rooms wait for a fresh snapshot once it is back. */
  #lost(err: Error): void {
    this.#lastError = err.message || String(err);
    if (this.#state === "ready" || !this.#warned) {
      if (this.#state === "ready") this.#state = "syncing";
      this.#warned = true;
      // Once per outage: the client retries every second and would flood the log.
      this.#o.logger.warn("redis unreachable; joins answer 'unavailable' until it is back", {
        error: this.#lastError,
      });
    }
    this.#o.feeds.holdAll();
  }

  /**
   * After every (re)connect: re-register, restore or reclaim this instance's
   * seats, remove those that left meanwhile, then bring each room up to date.
   */
  sync(): Promise<void> {
    const { client, sub, runner, feeds, logger } = this.#o;
    if (this.#state === "closed" || !client.isReady || !sub.isReady) return Promise.resolve();
    this.#syncing ??= (async () => {
      const wasReady = this.#state === "ready";
      this.#state = "syncing";
      feeds.holdAll();
      try {
        await runner.loadAll();
        const args = [
          this.#o.instanceId,
          this.#epoch,
          randomId(12),
          String(this.#o.ttlMs),
          String(this.#o.resumeGraceMs),
        ];
        for (const local of feeds.rooms) {
          for (const seat of local.seats.values()) {
            args.push(
              seat.room,
              seat.id,
              seat.resumeToken,
              JSON.stringify(this.#o.memberOf(seat)),
              seat.sink ? "0" : "1", // no socket: in its grace
            );
          }
        }
        const [epoch, lost, stray] = await runner.run("resync", args) as [
          string,
          string[],
          string[],
        ];
        this.#epoch = epoch;
        for (const id of lost) {
          for (const local of feeds.rooms) {
            const seat = local.seats.get(id);
            if (seat) feeds.drop(local, seat, CloseCode.ServiceRestart, "the room lost this seat");
          }
        }
        for (const ref of stray) {
          const [room, id] = ref.split("\n");
          await this.#o.remove(room, id, "owner");
        }
        for (const local of [...feeds.rooms]) {
          const current = feeds.renew(local);
          await current.subscribed;
          const [seq, view] = await runner.run("snapshot", [current.name]) as [number, Reply];
          const room = parseRoomView(view);
          feeds.snapshot(current, seq, room, true);
        }
        if (this.#state !== "syncing") return; // closed meanwhile
        this.#state = "ready";
        this.#lastBeat = this.#readySince = Date.now();
        this.#warned = true;
        logger.info(wasReady ? "redis resynced" : "redis ready", {
          instance: this.#o.instanceId,
          seats: [...feeds.rooms].reduce((n, r) => n + r.seats.size, 0),
          lost: lost.length,
        });
      } catch (err) {
        this.failed("resync", err); // the next heartbeat tick tries again
      }
    })().finally(() => (this.#syncing = null));
    return this.#syncing;
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#state === "closed") return;
    this.#ticking = true;
    const { runner, logger, instanceId } = this.#o;
    try {
      this.#o.feeds.forgetIdle();
      if (this.#state !== "ready") {
        await this.sync();
        return;
      }
      const member = await runner.run("heartbeat", [instanceId, String(this.#o.ttlMs)]);
      this.#lastBeat = Date.now();
      if (member === 0) {
        // Declared dead while we were stalled: reclaim what is left.
        logger.warn("this instance was taken for dead; reclaiming its seats");
        this.#state = "syncing";
        await this.sync();
        return;
      }
      // Judge others only once they had a full TTL to beat since we came up: after a Redis
      // restart everyone's heartbeat key is missing at first, and another instance may find
      // Redis back up to one reconnect delay later than this one did.
      const judge = Date.now() - this.#readySince >= this.#o.ttlMs + RECONNECT_MAX_MS;
      const [dead, ended] = await runner.run("sweep", [
        String(this.#o.resumeGraceMs),
        judge ? "1" : "0",
      ]) as [string[], string[]];
      for (const instance of dead) {
        logger.warn("instance gone; its seats wait for their peers to resume", { instance });
      }
      for (const ref of ended) {
        const [room, id] = ref.split("\n");
        await this.#o.remove(room, id, "grace");
      }
      if (ended.length > 0) logger.debug("graces ended", { seats: ended.length });
    } catch (err) {
      this.failed("heartbeat", err);
    } finally {
      this.#ticking = false;
    }
  }
}
