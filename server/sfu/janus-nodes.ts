/**
 * The Janus nodes this server may use (JANUS_URLS): a connection to each, kept
 * open and checked every HEALTH_MS with an `info` request; which are up; and
 * which node holds each room (the up node with the fewest participants when
 * the room first needs one). A node that goes down takes its rooms with it:
 * listeners hear which rooms lost their node, so their people can publish
 * again on another.
 */
import { JanusConnection } from "./janus-connection.ts";
import type { Logger } from "../observe/logger.ts";
import { MemoryRoomNodes, type RoomNodeStore } from "./sfu-room-nodes.ts";

/** Health checks of nodes that are up, and reconnection attempts to those that are down. */
const HEALTH_MS = 1000;
/** A node that takes longer than this to answer `info` is taken for dead (its calls move). */
const HEALTH_TIMEOUT_MS = 3000;

export interface NodeState {
  url: string;
  up: boolean;
  rooms: number;
  participants: number;
  /** Why it is down, while it is. */
  error?: string;
}

/** A node is up while it has a connection (made once it answered `info`, dropped when it fails). */
interface Node {
  url: string;
  connection: JanusConnection | null;
  error: string;
  participants: number;
  connecting: boolean;
}

export class JanusNodes {
  readonly #nodes: Node[];
  readonly #logger: Logger;
  readonly #apiSecret: string | null;
  /** room → the node that holds it. */
  readonly #rooms = new Map<string, Node>();
  readonly #lostListeners = new Set<(url: string) => void>();
  readonly #upListeners = new Set<() => void>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  readonly #store: RoomNodeStore;

  constructor(
    urls: readonly string[],
    options: { apiSecret: string | null; logger: Logger; store?: RoomNodeStore },
  ) {
    this.#store = options.store ?? new MemoryRoomNodes();
    this.#nodes = urls.map((url) => ({
      url,
      connection: null,
      error: "not connected yet",
      participants: 0,
      connecting: false,
    }));
    this.#logger = options.logger;
    this.#apiSecret = options.apiSecret;
  }

  /** Connects to every node and starts the health checks. */
  start(): Promise<void> {
    this.#timer = setInterval(() => this.#check(), HEALTH_MS);
    return Promise.all(this.#nodes.map((n) => this.#connect(n))).then(() => {});
  }

  get anyUp(): boolean {
    return this.#nodes.some((n) => n.connection);
  }

  states(): NodeState[] {
    return this.#nodes.map((n) => ({
      url: n.url,
      up: n.connection !== null,
      rooms: [...this.#rooms.values()].filter((r) => r === n).length,
      participants: n.participants,
      ...(n.connection ? {} : { error: n.error }),
    }));
  }

  /** A node went down, with the rooms it held (their people must publish again elsewhere). */
  onLost(listener: (url: string) => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /** A node came (back) up. */
  onUp(listener: () => void): () => void {
    this.#upListeners.add(listener);
    return () => this.#upListeners.delete(listener);
  }

  /**
   * The node holding `room`: the one every instance agreed on (the store), or,
   * when it has none or its node is down, the least busy node that is up.
   */
  async nodeFor(room: string): Promise<JanusConnection | null> {
    const held = this.#rooms.get(room);
    if (held?.connection) return held.connection;
    const candidates = this.#nodes.filter((n) => n.connection);
    if (candidates.length === 0) return null;
    const recorded = await this.#store.get(room).catch(() => null);
    let node = this.#nodes.find((n) => n.url === recorded && n.connection);
    if (!node) {
      const chosen = candidates.reduce((a, b) => (b.participants < a.participants ? b : a));
      const winner = await this.#store.swap(room, recorded, chosen.url).catch(() => chosen.url);
      node = this.#nodes.find((n) => n.url === winner && n.connection) ?? chosen;
    }
    this.#rooms.set(room, node);
    return node.connection;
  }

  /** A participant took (+1) or left (−1) a place on the node holding `room`. */
  count(room: string, delta: number): void {
    const node = this.#rooms.get(room);
    if (node) node.participants = Math.max(0, node.participants + delta);
  }

  /** The room no longer needs its node (its meeting ended or it went back to the mesh). */
  release(room: string): void {
    const node = this.#rooms.get(room);
    this.#rooms.delete(room);
    if (node) void this.#store.release(room, node.url).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const n of this.#nodes) n.connection?.close();
    await this.#store.close();
  }

  async #connect(node: Node): Promise<void> {
    if (node.connecting || this.#closed) return;
    node.connecting = true;
    const connection = new JanusConnection({
      url: node.url,
      apiSecret: this.#apiSecret,
      onClose: () => this.#down(node, connection, "the connection closed"),
    });
    try {
      await connection.connect();
      await connection.request({ janus: "info" });
      if (this.#closed) return connection.close();
      node.connection = connection;
      node.error = "";
      this.#logger.info("janus node up", { url: node.url });
      for (const listener of this.#upListeners) listener();
    } catch (err) {
      connection.close();
      node.error = err instanceof Error ? err.message : String(err);
    } finally {
      node.connecting = false;
    }
  }

  #down(node: Node, connection: JanusConnection, why: string): void {
    if (node.connection !== connection) return;
    node.connection = null;
    node.error = why;
    node.participants = 0;
    connection.close();
    this.#logger.warn("janus node down", { url: node.url, why });
    for (const [room, n] of this.#rooms) if (n === node) this.#rooms.delete(room);
    for (const listener of this.#lostListeners) listener(node.url);
  }

  #check(): void {
    for (const node of this.#nodes) {
      const connection = node.connection;
      if (connection) {
        connection.request({ janus: "info" }, HEALTH_TIMEOUT_MS).catch((err) =>
          this.#down(node, connection, err instanceof Error ? err.message : String(err))
        );
        continue;
      }
      void this.#connect(node); // it skips a node whose last attempt is still going
    }
  }
}
