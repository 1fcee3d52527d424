/**
 * Server recordings as this instance takes part in them: a folder per
 * recording under RECORDINGS_DIR, a file name (and a note: whose, since when)
 * for each stretch of someone's publishing that the SFU records there, a watch
 * on its size and the disk while ours record, and, once none of ours does,
 * the files made (recording-composer.ts, one at a time, a bounded queue) and
 * signed links sent to the room's hosts.
 *
 * In a cluster every instance records its own people into the same folder
 * (the same disk): each marks the folder while it does, and the last one out
 * makes the files (a lock file says who).
 */
import type { RecordingReadyMessage } from "../../protocol/messages.ts";
import type { RecordingsConfig } from "../config.ts";
import type { Logger } from "../observe/logger.ts";
import type { Metrics } from "../observe/metrics.ts";
import type { RoomRegistry, Seat } from "../rooms/room-registry.ts";
import type { SfuRecorder } from "../sfu/sfu-service.ts";
import { composeRecording, NOTHING_RECORDED, type SegmentNote } from "./recording-composer.ts";
import type { RecordingLinks } from "./recording-links.ts";
import { statfsSync } from "node:fs";

/** Janus writes the last packets after it is told to stop: the files are made this much later. */
const SETTLE_MS = 3000;
/** How often size and free space are looked at while ours record. */
const WATCH_MS = 5000;
/** Another instance's mark counts as live this long after it was last renewed. */
const MARK_FRESH_MS = 30_000;
/** Below this much free space a recording stops (and none starts). */
const MIN_FREE_BYTES = 256 * 1024 * 1024;
/** Recordings waiting to be made into files; past this, the newest waits for the sweep. */
const MAX_QUEUED = 16;
/** What a recording's folder is called (its id: when, and 12 random hex digits). */
const RECORDING_ID = /^\d{14}-[0-9a-f]{12}$/;
const HOUR_MS = 3600_000;

interface Live {
  room: string;
  watch: ReturnType<typeof setInterval>;
}

export class RecordingService implements SfuRecorder {
  readonly #config: RecordingsConfig;
  readonly #links: RecordingLinks;
  readonly #registry: RoomRegistry;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #instance = crypto.randomUUID().slice(0, 8);
  /** Recordings ours take part in now, by id. */
  readonly #live = new Map<string, Live>();
  /** Recordings about to be made into files (once Janus has finished writing). */
  readonly #settling = new Map<string, ReturnType<typeof setTimeout>>();
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  readonly #sweep: ReturnType<typeof setInterval>;
  readonly #settleMs: number;
  readonly #watchMs: number;

  constructor(options: {
    config: RecordingsConfig;
    links: RecordingLinks;
    registry: RoomRegistry;
    logger: Logger;
    metrics: Metrics;
    /** Shorter waits (tests). */
    timings?: { settleMs?: number; watchMs?: number };
  }) {
    this.#settleMs = options.timings?.settleMs ?? SETTLE_MS;
    this.#watchMs = options.timings?.watchMs ?? WATCH_MS;
    this.#config = options.config;
    this.#links = options.links;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    void this.sweep();
    this.#sweep = setInterval(() => void this.sweep(), HOUR_MS);
  }

  /** Whether a recording could start now: room on the disk. */
  get canRecord(): boolean {
    return this.#free() >= MIN_FREE_BYTES;
  }

  async segment(id: string, seat: Seat): Promise<string> {
    if (!RECORDING_ID.test(id)) throw new Error(`Cannot record: bad recording id ${id}`);
    const dir = `${this.#config.dir}/${id}`;
    await Deno.mkdir(dir, { recursive: true });
    const started = Date.now();
    const base = `${dir}/${seat.id}-${started}`;
    const note: SegmentNote = { seat: seat.id, name: seat.name, room: seat.room, started };
    await Deno.writeTextFile(`${base}.json`, JSON.stringify(note));
    return base;
  }

  busy(id: string, room: string): void {
    clearTimeout(this.#settling.get(id));
    this.#settling.delete(id);
    if (this.#live.has(id)) return;
    const live: Live = { room, watch: setInterval(() => void this.#check(id), this.#watchMs) };
    this.#live.set(id, live);
    void this.#mark(id);
    this.#metrics.countRecording("started");
  }

  idle(id: string, room: string): void {
    const live = this.#live.get(id);
    if (live) clearInterval(live.watch);
    this.#live.delete(id);
    clearTimeout(this.#settling.get(id));
    this.#settling.set(
      id,
      setTimeout(() => {
        this.#settling.delete(id);
        void this.#finish(id, room);
      }, this.#settleMs),
    );
  }

  /** Stops the watches and timers (server shutdown); files not yet made are made by the sweep. */
  close(): Promise<void> {
    clearInterval(this.#sweep);
    for (const live of this.#live.values()) clearInterval(live.watch);
    for (const t of this.#settling.values()) clearTimeout(t);
    this.#live.clear();
    this.#settling.clear();
    return this.#queue;
  }

  /**
   * Deletes recordings past RECORDINGS_RETENTION_HOURS and makes the files of
   * any that ended without them (a restart in between).
   */
  async sweep(now = Date.now()): Promise<void> {
    const entries = await Array.fromAsync(Deno.readDir(this.#config.dir)).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory || !RECORDING_ID.test(entry.name)) continue;
      const dir = `${this.#config.dir}/${entry.name}`;
      const changed = (await Deno.stat(dir).catch(() => null))?.mtime?.getTime() ?? now;
      if (now - changed > this.#config.retentionHours * HOUR_MS) {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        this.#logger.info("recording deleted", { id: entry.name, after: "retention" });
      } else if (!this.#live.has(entry.name) && !this.#settling.has(entry.name)) {
        await this.#finish(entry.name, null);
      }
    }
  }

  /** Free bytes on the recordings' disk (Infinity when it cannot be read). */
  #free(): number {
    try {
      const fs = statfsSync(this.#config.dir);
      return fs.bavail * fs.bsize;
    } catch {
      return Infinity;
    }
  }

  /** While ours record: renews our mark, and stops a recording too big or out of disk. */
  async #check(id: string): Promise<void> {
    const live = this.#live.get(id);
    if (!live) return;
    await this.#mark(id);
    const bytes = await folderBytes(`${this.#config.dir}/${id}`).catch(() => 0);
    const why = bytes > this.#config.maxBytes
      ? `Cannot keep recording: it reached its size limit (${mb(this.#config.maxBytes)})`
      : this.#free() < MIN_FREE_BYTES
      ? "Cannot keep recording: the server's disk is full"
      : null;
    if (!why) return;
    clearInterval(live.watch); // once: the room's stop follows
    this.#logger.warn("recording stopped", { id, reason: why });
    this.#metrics.countRecording("stopped-limit");
    await this.#registry.recordingNews(live.room, id, { failed: why });
  }

  async #mark(id: string): Promise<void> {
    await Deno.writeTextFile(`${this.#config.dir}/${id}/.live-${this.#instance}`, "")
      .catch(() => {});
  }

  /** The room a recording is of, from its notes. */
  async #roomOf(id: string): Promise<string | null> {
    for await (const entry of Deno.readDir(`${this.#config.dir}/${id}`)) {
      if (!entry.name.endsWith(".json")) continue;
      const note = await Deno.readTextFile(`${this.#config.dir}/${id}/${entry.name}`)
        .then((t) => JSON.parse(t) as SegmentNote, () => null);
      if (note) return note.room;
    }
    return null;
  }

  /**
   * None of ours records into `id` any more: unless another instance still
   * does, or already made its files, they are made now and the hosts told.
   */
  async #finish(id: string, room: string | null): Promise<void> {
    await this.#finishNow(id, room).catch((err) =>
      this.#logger.error("recording failed", { id, error: String(err) })
    );
  }

  async #finishNow(id: string, room: string | null): Promise<void> {
    const dir = `${this.#config.dir}/${id}`;
    await Deno.remove(`${dir}/.live-${this.#instance}`).catch(() => {});
    const now = Date.now();
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.name.startsWith(".live-")) continue;
      const at = (await Deno.stat(`${dir}/${entry.name}`).catch(() => null))?.mtime?.getTime();
      if (at && now - at < MARK_FRESH_MS) return; // theirs to finish
    }
    try {
      await Deno.writeTextFile(`${dir}/.made`, this.#instance, { createNew: true });
    } catch {
      return; // made (or being made) already
    }
    if (this.#queued >= MAX_QUEUED) {
      await Deno.remove(`${dir}/.made`).catch(() => {});
      this.#logger.warn("recording waits", { id, reason: "queue full; the next sweep makes it" });
      return;
    }
    this.#queued++;
    this.#queue = this.#queue.then(() => this.#make(id, room)).finally(() => {
      this.#queued--;
    });
    await this.#queue;
  }

  async #make(id: string, known: string | null): Promise<void> {
    const dir = `${this.#config.dir}/${id}`;
    const room = known ?? await this.#roomOf(id).catch(() => null);
    const began = Date.now();
    try {
      const made = await composeRecording(dir);
      const link = (file: string) =>
        this.#links.sign(`/recordings/${id}/${file.split("/").map(encodeURIComponent).join("/")}`);
      const ready: RecordingReadyMessage = {
        type: "recording-ready",
        url: await link(made.file),
        bytes: made.bytes,
        durationMs: made.durationMs,
        mode: "server",
        people: await Promise.all(
          made.people.map(async (p) => ({ name: p.name, url: await link(p.file) })),
        ),
      };
      this.#metrics.countRecording("ready");
      this.#logger.info("recording ready", {
        id,
        room,
        bytes: made.bytes,
        durationMs: made.durationMs,
        people: made.people.length,
        tookMs: Date.now() - began,
      });
      if (room) await this.#registry.recordingNews(room, id, { ready });
    } catch (err) {
      const message = (err as Error).message;
      const why = message.includes("No space left")
        ? "Cannot save the recording: the server's disk is full"
        : message === NOTHING_RECORDED
        ? "Cannot save the recording: nothing was recorded (every camera and microphone was off)"
        : "Cannot save the recording: making its file failed (the server keeps what was recorded)";
      this.#metrics.countRecording("failed");
      this.#logger.error("recording failed", { id, room, error: String(err) });
      if (room) await this.#registry.recordingNews(room, id, { failed: why });
    }
  }
}

/** The bytes of the files in a folder (and its folders). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) total += await folderBytes(path);
    else total += (await Deno.stat(path).catch(() => null))?.size ?? 0;
  }
  return total;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
