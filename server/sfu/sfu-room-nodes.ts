/**
 * Which Janus node holds each SFU room, shared by every instance: in a
 * cluster through Redis (so the people of one room, whichever instance holds
 * their WebSocket, all publish to the same node), in memory for one instance.
 * A choice is made once and kept until the room ends or its node dies; when
 * two instances choose at once, the first write wins and the other follows.
 */
import { createRedisClient, type RedisClient } from "../cluster/redis-connection.ts";

export interface RoomNodeStore {
  /** The node recorded for the room, or null. */
  get(room: string): Promise<string | null>;
  /**
   * Records `url` for the room if it still holds `expected` (null: nothing);
   * answers what it holds afterwards (ours, or another instance's choice).
   */
  swap(room: string, expected: string | null, url: string): Promise<string>;
  /** Forgets the room's node (its meeting ended), if it is still `url`. */
  release(room: string, url: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRoomNodes implements RoomNodeStore {
  readonly #nodes = new Map<string, string>();

  get(room: string): Promise<string | null> {
    return Promise.resolve(this.#nodes.get(room) ?? null);
  }

  swap(room: string, expected: string | null, url: string): Promise<string> {
    const now = this.#nodes.get(room) ?? null;
    if (now === expected) this.#nodes.set(room, url);
    return Promise.resolve(this.#nodes.get(room)!);
  }

  release(room: string, url: string): Promise<void> {
    if (this.#nodes.get(room) === url) this.#nodes.delete(room);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#nodes.clear();
    return Promise.resolve();
  }
}

/** A day: a room's record outlives any meeting, and a crashed instance's records go by themselves. */
const TTL_SECONDS = 86_400;

const SWAP = `
local now = redis.call('GET', KEYS[1])
if (now == false and ARGV[1] == '') or now == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return ARGV[2]
end
return now`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

export class RedisRoomNodes implements RoomNodeStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #ready: Promise<unknown>;

  constructor(url: string, prefix: string) {
    this.#client = createRedisClient(url, 2000);
    this.#client.on("error", () => {}); // the registry reports Redis outages
    this.#prefix = prefix;
    this.#ready = this.#client.connect().catch(() => {});
  }

  #key(room: string): string {
    return `${this.#prefix}sfu-node:${room}`;
  }

  async get(room: string): Promise<string | null> {
    await this.#ready;
    return await this.#client.get(this.#key(room));
  }

  async swap(room: string, expected: string | null, url: string): Promise<string> {
    await this.#ready;
    const now = await this.#client.eval(SWAP, {
      keys: [this.#key(room)],
      arguments: [expected ?? "", url, String(TTL_SECONDS)],
    });
    return String(now);
  }

  async release(room: string, url: string): Promise<void> {
    await this.#ready;
    await this.#client.eval(RELEASE, { keys: [this.#key(room)], arguments: [url] });
  }

  async close(): Promise<void> {
    if (this.#client.isReady) await this.#client.close().catch(() => {});
    else this.#client.destroy();
  }
}
