/**
 * The SFU as this server uses it: the Janus nodes, one SfuParticipant per
 * person of ours in an SFU room, the Janus room each meeting lives in, and
 * what happens when a node fails (its people publish again on another; with
 * none left, a room small enough goes back to the mesh and a bigger one is
 * told why its video stopped).
 */
import type { RecordingInfo, ServerMessage, SfuClientMessage } from "../../protocol/messages.ts";
import type { SfuConfig } from "../config.ts";
import { JanusError, type JanusMessage } from "./janus-connection.ts";
import { JanusNodes, type NodeState } from "./janus-nodes.ts";
import type { Logger } from "../observe/logger.ts";
import type { RoomRegistry, Seat } from "../rooms/room-registry.ts";
import { SfuParticipant } from "./sfu-participant.ts";
import type { RoomNodeStore } from "./sfu-room-nodes.ts";

/** Janus's "room already exists": another of our instances (or an earlier join) made it. */
const ROOM_EXISTS = 427;
/** An emptied Janus room that still lists someone is looked at this many times, this far apart. */
const LOOKS_BEFORE_KEEPING = 6;
const LOOK_AGAIN_MS = 300;
/** After a room goes back to the mesh, SFU media keeps flowing this long while browsers switch. */
export const MESH_HANDOVER_MS = 15_000;

/** A stable numeric Janus room id for a room name (48 bits, two FNV-1a hashes). */
export function janusRoomId(prefix: string, room: string): number {
  const fnv = (text: string, seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h;
  };
  const key = `${prefix}${room}`;
  return fnv(key, 2166136261) * 65536 + (fnv(key, 0x811c9dc5 ^ 0x5bd1e995) & 0xffff);
}

/**
 * Where the SFU's recordings go (recording-service.ts): a file name for each
 * stretch of a person's publishing, and word when none of ours records into a
 * recording any more (the room stopped it, or they all left).
 */
export interface SfuRecorder {
  /** The path (Janus adds its endings) for `seat`'s next stretch in recording `id`. */
  segment(id: string, seat: Seat): Promise<string>;
  /** Some of ours record into `id` (again), a recording of `room`. */
  busy(id: string, room: string): void;
  /** None of ours records into `id` any more. */
  idle(id: string, room: string): void;
}

/** What a client session gives the service to reach its browser. */
export interface SfuClient {
  send(message: ServerMessage): void;
  fail(message: string): void;
}

interface Place {
  seat: Seat;
  client: SfuClient;
  participant: SfuParticipant | null;
  /**
   * The Janus room the participant is in: the meeting's, or a breakout
   * group's of its own (`room/group`), so a group sees only itself.
   */
  key: string;
  /** Set while waiting for a node to come back. */
  stalled: boolean;
}

export class SfuService {
  readonly nodes: JanusNodes;
  readonly #config: SfuConfig;
  readonly #maxPeers: number;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #registry: RoomRegistry;
  /** seat id → its place. */
  readonly #places = new Map<string, Place>();
  /** Janus room key → how many of our participants are leaving it right now. */
  readonly #closing = new Map<string, number>();
  /**
   * Janus room key → the last create or destroy of that room: they run one
   * after another, so a room destroyed as its last person left is made again
   * for whoever comes right after, never destroyed under them.
   */
  readonly #roomWork = new Map<string, Promise<void>>();
  /** seat id → the server recording it is in, as its room says. */
  readonly #recordings = new Map<string, string>();
  readonly #recorder: SfuRecorder | null;

  constructor(options: {
    config: SfuConfig;
    maxPeers: number;
    prefix: string;
    logger: Logger;
    registry: RoomRegistry;
    /** Where instances share each room's node (Redis in a cluster). */
    store?: RoomNodeStore;
    /** Server recordings (RECORDINGS_DIR): null without. */
    recorder?: SfuRecorder | null;
  }) {
    this.#recorder = options.recorder ?? null;
    this.#config = options.config;
    this.#maxPeers = options.maxPeers;
    this.#prefix = options.prefix;
    this.#logger = options.logger;
    this.#registry = options.registry;
    this.nodes = new JanusNodes(options.config.janusUrls, {
      apiSecret: options.config.apiSecret,
      logger: options.logger,
      store: options.store,
    });
    this.nodes.onLost((url) => this.#lost(url));
    this.nodes.onUp(() => this.#recovered());
  }

  start(): Promise<void> {
    return this.nodes.start();
  }

  get available(): boolean {
    return this.nodes.anyUp;
  }

  health(): NodeState[] {
    return this.nodes.states();
  }

  /** The seat's place, made on its first SFU message. */
  #place(seat: Seat, client: SfuClient): Place {
    let place = this.#places.get(seat.id);
    if (!place || place.seat !== seat) {
      place = { seat, client, participant: null, stalled: false, key: seat.room };
      this.#places.set(seat.id, place);
    }
    place.client = client;
    return place;
  }

  /** The participant for a seat, joining the room's Janus room on the room's node. */
  async #participant(place: Place): Promise<SfuParticipant | null> {
    if (place.participant) return place.participant;
    const room = place.seat.room;
    const node = await this.nodes.nodeFor(room);
    if (place.participant) return place.participant; // made meanwhile
    // Left meanwhile: a participant made now would be nobody's to close (a Janus room left behind).
    if (this.#places.get(place.seat.id) !== place) return null;
    if (!node) {
      place.stalled = true;
      this.#noNode(room);
      return null;
    }
    const group = this.#registry.groupOf(room, place.seat.id);
    place.key = group ? `${room}/${group}` : room;
    const janusRoom = janusRoomId(this.#prefix, place.key);
    const participant = new SfuParticipant({
      node,
      room: janusRoom,
      roomReady: this.#ensureRoom(node, place.key).catch((err) => {
        throw new Error(`Cannot open the SFU room: ${(err as Error).message}`);
      }),
      id: place.seat.id,
      send: (m) => place.client.send(m),
      fail: (m) => place.client.fail(m),
    });
    place.participant = participant;
    place.stalled = false;
    this.nodes.count(room, +1);
    const recording = this.#recordings.get(place.seat.id);
    if (recording) this.#recordInto(place, participant, recording);
    return participant;
  }

  /** The room of `seat` says whether the SFU records it now (a server recording), or not. */
  record(seat: Seat, recording: RecordingInfo | undefined): void {
    const id = recording?.mode === "server" ? recording.id : undefined;
    const was = this.#recordings.get(seat.id);
    if (was === id || !this.#recorder) return;
    if (id) {
      if (!this.#recordsInto(id)) this.#recorder.busy(id, seat.room);
      this.#recordings.set(seat.id, id);
    } else this.#recordings.delete(seat.id);
    const place = this.#places.get(seat.id);
    if (place?.participant) {
      if (id) this.#recordInto(place, place.participant, id);
      else void place.participant.record(null).catch(() => {});
    }
    if (was) this.#idleCheck(was, seat.room);
  }

  #recordInto(place: Place, participant: SfuParticipant, id: string): void {
    void this.#recorder!.segment(id, place.seat)
      .then((filename) => participant.record(filename))
      .catch((err) => this.#logger.warn("sfu record failed", { id, error: String(err) }));
  }

  /** Tells the recorder when none of ours records into `id` any more. */
  #idleCheck(id: string, room: string): void {
    if (!this.#recordsInto(id)) this.#recorder?.idle(id, room);
  }

  /** Whether any seat of ours records into `id`. */
  #recordsInto(id: string): boolean {
    return [...this.#recordings.values()].includes(id);
  }

  /**
   * Runs `work` with a VideoRoom handle of a short-lived session of its own
   * (room management is not any participant's business), ended after.
   */
  async #withHandle<T>(
    node: SfuParticipant["node"],
    work: (ask: (body: Record<string, unknown>) => Promise<JanusMessage>) => Promise<T>,
  ): Promise<T> {
    const session = (await node.request({ janus: "create" })).data!.id!;
    try {
      const handle = (await node.request({
        janus: "attach",
        session_id: session,
        plugin: "janus.plugin.videoroom",
      })).data!.id!;
      return await work((body) =>
        node.request({ janus: "message", session_id: session, handle_id: handle, body })
      );
    } finally {
      await node.request({ janus: "destroy", session_id: session }).catch(() => {});
    }
  }

  /** Runs `work` on the Janus room `key` after whatever was already under way on it. */
  #roomTurn(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#roomWork.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => {});
    this.#roomWork.set(key, settled);
    void settled.then(() => {
      if (this.#roomWork.get(key) === settled) this.#roomWork.delete(key);
    });
    return next;
  }

  /** Creates the Janus room on its node (once; "already exists" is fine). */
  #ensureRoom(node: SfuParticipant["node"], key: string): Promise<void> {
    const room = janusRoomId(this.#prefix, key);
    return this.#roomTurn(key, () =>
      this.#withHandle(node, async (ask) => {
        await ask({
          request: "create",
          room,
          publishers: this.#maxPeers,
          // Listed: the API is private anyway, and a listed room can be audited (and counted in tests).
          is_private: false,
          videocodec: "vp8",
          audiocodec: "opus",
          // Simulcast layers reach Janus whole; a subscriber picks one.
          bitrate: 0,
          notify_joining: false,
          ...(this.#config.adminKey ? { admin_key: this.#config.adminKey } : {}),
        }).catch((err) => {
          if (!(err instanceof JanusError && err.code === ROOM_EXISTS)) throw err;
        });
      }));
  }

  /** A message from the browser of `seat` about its SFU connections. */
  async handle(
    seat: Seat,
    client: SfuClient,
    message: SfuClientMessage,
  ): Promise<void> {
    const place = this.#place(seat, client);
    const participant = message.jsep?.type === "offer"
      ? await this.#participant(place)
      : place.participant;
    if (!participant) return;
    try {
      if (message.jsep?.type === "offer") await participant.publish(message.jsep, message.video);
      else if (message.jsep) await participant.answer(message.jsep);
      else await participant.trickle(message.pc, message.candidate ?? null);
    } catch (err) {
      if (place.participant !== participant) return; // replaced meanwhile (a node failed)
      this.#logger.warn("sfu request failed", { room: seat.room, error: String(err) });
      client.fail(`Cannot connect to the SFU: ${(err as Error).message}`);
    }
  }

  /** The browser's view: whose video, which layer. */
  async view(seat: Seat, client: SfuClient, video: Record<string, "high" | "low">): Promise<void> {
    // A client that only watches (it publishes nothing) takes its place with its first view;
    // a view that trails a move to the mesh makes none.
    const sfu = this.#registry.mediaMode(seat.room, seat.id) === "sfu";
    if (!sfu && !this.#places.has(seat.id)) return;
    const place = this.#place(seat, client);
    const participant = place.participant ?? (sfu ? await this.#participant(place) : null);
    await participant?.view(video).catch((err) => {
      client.fail(`Cannot receive video: ${(err as Error).message}`);
    });
  }

  /** The seat left, was removed, or its connection dropped: its SFU place goes. */
  async leave(seatId: string): Promise<void> {
    const place = this.#places.get(seatId);
    if (!place) return;
    this.#places.delete(seatId);
    await this.#closeParticipant(place);
  }

  /** Closes every participant (server shutdown) and the node connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#places.values()].map((p) => this.#closeParticipant(p)));
    this.#places.clear();
    await this.nodes.close();
  }

  async #closeParticipant(place: Place): Promise<void> {
    const participant = place.participant;
    place.participant = null;
    if (!participant) return;
    const { key } = place;
    const room = place.seat.room;
    this.nodes.count(room, -1);
    // Many leave a Janus room at once when breakout groups open or close: only the last of them
    // looks whether it is empty, once all of them are out (else each sees the others still in).
    this.#closing.set(key, (this.#closing.get(key) ?? 0) + 1);
    try {
      await participant.close();
    } finally {
      const left = this.#closing.get(key)! - 1;
      if (left > 0) this.#closing.set(key, left);
      else this.#closing.delete(key);
    }
    if (this.#closing.has(key)) return;
    await this.#roomTurn(key, () => this.#destroyIfEmpty(participant.node, key, room));
  }

  /**
   * Destroys the Janus room `key` when none of ours is in it (or on the way in:
   * they wait their turn and make it again) and Janus lists nobody else; the
   * meeting's last on the node lets the node go for it.
   */
  async #destroyIfEmpty(
    node: SfuParticipant["node"],
    key: string,
    room: string,
  ): Promise<void> {
    const ours = (p: Place) => p.participant?.node === node;
    const stays = () => [...this.#places.values()].some((p) => p.key === key && ours(p));
    if (!node.open || stays()) return;
    const id = janusRoomId(this.#prefix, key);
    await this.#withHandle(node, async (ask) => {
      // Janus answers a session's destroy before it has let go of its publisher: our last one out
      // may still be listed for a moment, so an occupied room is looked at again a few times.
      // Someone still listed after that is another instance's (a cluster): theirs to end.
      let listed: unknown = null;
      for (let look = 0; look < LOOKS_BEFORE_KEEPING; look++) {
        if (look > 0) await new Promise((r) => setTimeout(r, LOOK_AGAIN_MS));
        if (stays()) return;
        const answer = await ask({ request: "listparticipants", room: id }).catch(() => null);
        listed = answer?.plugindata?.data?.participants;
        if (!Array.isArray(listed) || listed.length === 0) break;
      }
      if (!Array.isArray(listed) || listed.length > 0 || stays()) {
        this.#logger.debug("sfu room kept", {
          key,
          listed: Array.isArray(listed) ? listed.length : null,
        });
        return;
      }
      const last = ![...this.#places.values()].some((p) => p.seat.room === room && ours(p));
      await ask({
        request: "destroy",
        room: id,
        ...(this.#config.adminKey ? { admin_key: this.#config.adminKey } : {}),
      }).catch(() => {});
      this.#logger.debug("sfu room destroyed", { key });
      if (last) this.nodes.release(room);
    }).catch(() => {}); // the node went away meanwhile: its rooms went with it
  }

  /** A node died: its people publish again (the next offer picks a live node). */
  #lost(url: string): void {
    const stranded = new Set<string>();
    for (const place of this.#places.values()) {
      if (place.participant?.node.url !== url) continue;
      // Its session died with the node: only its own timers are left to stop.
      void place.participant.close();
      place.participant = null;
      this.#logger.info("sfu participant moves", { room: place.seat.room, from: url });
      if (this.nodes.anyUp) place.client.send({ type: "sfu", pc: "pub", restart: true });
      else {
        place.stalled = true;
        stranded.add(place.seat.room);
      }
    }
    // Once per room: each tells all of the room's people why.
    for (const room of stranded) this.#noNode(room);
  }

  /** No node is up: a room small enough goes back to the mesh; a bigger one is told why. */
  #noNode(room: string): void {
    void this.#registry.settleMedia(room, true).then(() => {
      if (this.#registry.mediaMode(room) !== "sfu") return;
      for (const place of this.#places.values()) {
        if (place.seat.room === room && place.stalled) {
          place.client.fail(
            "Cannot receive video: the media server is unavailable; it comes back by itself",
          );
        }
      }
    });
  }

  /** A node is back: everyone who waited publishes again. */
  #recovered(): void {
    for (const place of this.#places.values()) {
      if (!place.stalled) continue;
      place.stalled = false;
      place.client.send({ type: "sfu", pc: "pub", restart: true });
    }
  }
}
