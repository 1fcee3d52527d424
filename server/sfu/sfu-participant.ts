/**
 * One person's place in an SFU room, held by the server for their browser:
 * a Janus session on the room's node with a publisher handle (their camera,
 * microphone and screen go up) and a subscriber handle (everyone else's come
 * down, on one connection). The browser never talks to Janus: its offer,
 * answer and candidates arrive here over the signaling WebSocket, and what
 * Janus says goes back the same way (`{"type":"sfu",…}`). What it receives
 * follows the browser's view (`sfu-view`): audio from everyone, video only
 * from the people on screen, the large layer for the large tiles.
 */
import type {
  Jsep,
  ServerMessage,
  SfuConnection,
  SfuStream,
  SignalData,
  StreamRole,
  VideoLayer,
} from "../../protocol/messages.ts";
import type { JanusConnection, JanusMessage } from "./janus-connection.ts";

/** Keepalives inside Janus's session_timeout (60 s by default). */
const KEEPALIVE_MS = 25_000;

/** Simulcast layers as Janus numbers them (the browser sends `h` and `l`, see sfu-transport.ts). */
const SUBSTREAM: Record<VideoLayer, number> = { high: 1, low: 0 };

/** A published stream of someone else, as Janus described it. */
interface FeedStream {
  type: "audio" | "video" | "data";
  mid: string;
  description?: string;
  disabled?: boolean;
}

interface Feed {
  id: number;
  /** Their seat id: publishers join with it as their display name. */
  peer: string;
  streams: FeedStream[];
}

/** A stream on the subscriber connection: which feed's which m-line it carries. */
interface Subscribed {
  feed: number;
  feedMid: string;
  mid: string;
  kind: "audio" | "video";
  role: StreamRole;
}

export interface SfuParticipantOptions {
  node: JanusConnection;
  /** The Janus room (numeric id), created on the node beforehand. */
  room: number;
  /** Our seat id. */
  id: string;
  /** Resolves once the Janus room exists on the node. */
  roomReady: Promise<void>;
  send(message: ServerMessage): void;
  /** Something failed that the browser should hear about (a "Cannot …" message). */
  fail(message: string): void;
}

export class SfuParticipant {
  readonly node: JanusConnection;
  readonly #o: SfuParticipantOptions;
  #session = 0;
  #pub = 0;
  #sub = 0;
  #privateId = 0;
  #published = false;
  #ready: Promise<void> | null = null;
  #keepalive: ReturnType<typeof setInterval> | undefined;
  readonly #feeds = new Map<number, Feed>();
  /** What the subscriber connection carries now (by its own mid). */
  #subscribed: Subscribed[] = [];
  /** Whose video the browser shows and how large; null until it says (then: everyone's). */
  #view: Record<string, VideoLayer> | null = null;
  /** While an offer to the browser waits for its answer, nothing else is renegotiated. */
  #negotiating = false;
  #dirty = false;
  #closed = false;
  /** Where Janus records what this person publishes (a path it adds its own endings to). */
  #recordTo: string | null = null;
  readonly #unlisten: Array<() => void> = [];
  /** Each connection's requests in the order the browser sent them (a candidate after its offer). */
  readonly #chains: Record<SfuConnection, Promise<unknown>> = {
    pub: Promise.resolve(),
    sub: Promise.resolve(),
  };

  constructor(options: SfuParticipantOptions) {
    this.#o = options;
    this.node = options.node;
  }

  /** The browser's offer for what it publishes: joins the room first if need be. */
  publish(jsep: Jsep, video: Partial<Record<StreamRole, string>> = {}): Promise<void> {
    return this.#serial("pub", () => this.#publish(jsep, video));
  }

  async #publish(jsep: Jsep, video: Partial<Record<StreamRole, string>>): Promise<void> {
    await this.#join();
    const descriptions = Object.entries(video).map(([role, mid]) => ({ mid, description: role }));
    // A renegotiation keeps the recording going (new tracks join it); only the first publish starts it.
    const record = !this.#published && this.#recordTo
      ? { record: true, filename: this.#recordTo }
      : {};
    const reply = await this.#message(this.#pub, {
      request: this.#published ? "configure" : "publish",
      ...(descriptions.length ? { descriptions } : {}),
      ...record,
    }, jsep);
    this.#published = true;
    if (reply.jsep && !this.#closed) {
      this.#o.send({ type: "sfu", pc: "pub", jsep: { type: "answer", sdp: reply.jsep.sdp } });
    }
  }

  /** The browser's answer to our last subscriber offer. */
  answer(jsep: Jsep): Promise<void> {
    return this.#serial("sub", () => this.#answer(jsep));
  }

  async #answer(jsep: Jsep): Promise<void> {
    if (!this.#sub || !this.#negotiating) return;
    await this.#message(this.#sub, { request: "start" }, jsep);
    this.#negotiating = false;
    await this.#applyLayers();
    if (this.#dirty) await this.#reconcile();
  }

  /**
   * Janus records what this person publishes into `filename` (its own endings
   * added per track), or stops (null). Before they publish, it starts with it.
   */
  record(filename: string | null): Promise<void> {
    return this.#serial("pub", async () => {
      if (this.#recordTo === filename) return;
      this.#recordTo = filename;
      if (!this.#published || this.#closed) return;
      await this.#message(this.#pub, {
        request: "configure",
        record: filename !== null,
        ...(filename ? { filename } : {}),
      });
    });
  }

  /** A candidate from the browser for one of its two connections (null: no more). */
  trickle(pc: SfuConnection, candidate: SignalData | null): Promise<void> {
    return this.#serial(pc, () => this.#trickle(pc, candidate));
  }

  #serial(pc: SfuConnection, work: () => Promise<void>): Promise<void> {
    const next = this.#chains[pc].then(work);
    this.#chains[pc] = next.catch(() => {});
    return next;
  }

  async #trickle(pc: SfuConnection, candidate: SignalData | null): Promise<void> {
    if (!this.#ready) return;
    await this.#ready;
    const handle = pc === "pub" ? this.#pub : this.#sub;
    if (!handle || this.#closed) return;
    await this.node.request({
      janus: "trickle",
      session_id: this.#session,
      handle_id: handle,
      candidate: candidate ?? { completed: true },
    });
  }

  /** Whose video to receive, and which layer. */
  async view(video: Record<string, VideoLayer>): Promise<void> {
    const before = this.#view;
    this.#view = video;
    if (!this.#ready) return await this.#join(); // joining subscribes to what the view wants
    const shown = (v: Record<string, VideoLayer> | null) =>
      v ? Object.keys(v).sort().join(",") : "*";
    if (shown(before) !== shown(video)) await this.#reconcile();
    else await this.#applyLayers();
  }

  /** Leaves the room and ends the Janus session (its handles go with it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepalive);
    for (const off of this.#unlisten) off();
    if (!this.#session || !this.node.open) return;
    await this.node.request({ janus: "destroy", session_id: this.#session }).catch(() => {});
  }

  // ---- joining ----

  #join(): Promise<void> {
    return this.#ready ??= this.#joinNow();
  }

  async #joinNow(): Promise<void> {
    await this.#o.roomReady;
    const created = await this.node.request({ janus: "create" });
    this.#session = created.data!.id!;
    if (this.#closed) {
      await this.node.request({ janus: "destroy", session_id: this.#session }).catch(() => {});
      throw new Error("closed");
    }
    this.#keepalive = setInterval(() => {
      this.node.request({ janus: "keepalive", session_id: this.#session }).catch(() => {});
    }, KEEPALIVE_MS);
    this.#pub = await this.#attach();
    this.#unlisten.push(this.node.listen(this.#pub, (m) => this.#onPublisherEvent(m)));
    const joined = await this.#message(this.#pub, {
      request: "join",
      ptype: "publisher",
      room: this.#o.room,
      display: this.#o.id,
    });
    const data = joined.plugindata!.data;
    this.#privateId = Number(data.private_id);
    this.#addFeeds(data.publishers);
    void this.#reconcile();
  }

  async #attach(): Promise<number> {
    const attached = await this.node.request({
      janus: "attach",
      session_id: this.#session,
      plugin: "janus.plugin.videoroom",
    });
    return attached.data!.id!;
  }

  #message(handle: number, body: Record<string, unknown>, jsep?: Jsep): Promise<JanusMessage> {
    return this.node.request({
      janus: "message",
      session_id: this.#session,
      handle_id: handle,
      body,
      ...(jsep ? { jsep } : {}),
    });
  }

  // ---- who publishes ----

  #onPublisherEvent(m: JanusMessage): void {
    const data = m.plugindata?.data;
    if (!data) return;
    if (Array.isArray(data.publishers)) {
      this.#addFeeds(data.publishers);
      void this.#reconcile();
    }
    const gone = data.unpublished ?? data.leaving;
    if (typeof gone === "number" && this.#feeds.delete(gone)) void this.#reconcile();
  }

  #addFeeds(list: unknown): void {
    if (!Array.isArray(list)) return;
    for (const p of list as Array<{ id: number; display?: string; streams?: FeedStream[] }>) {
      if (typeof p.id !== "number" || typeof p.display !== "string") continue;
      if (p.display === this.#o.id) continue;
      this.#feeds.set(p.id, { id: p.id, peer: p.display, streams: p.streams ?? [] });
    }
  }

  // ---- what we receive ----

  /** The streams the browser should receive now: (feed, its mid). */
  #wanted(): Array<{ feed: number; mid: string }> {
    const out: Array<{ feed: number; mid: string }> = [];
    for (const feed of this.#feeds.values()) {
      for (const s of feed.streams) {
        if (s.disabled || s.type === "data") continue;
        const screen = s.description === "screen";
        // Audio from everyone; screens always (they are what a meeting looks at);
        // cameras of the people on screen.
        if (s.type === "audio" || screen || !this.#view || feed.peer in this.#view) {
          out.push({ feed: feed.id, mid: s.mid });
        }
      }
    }
    return out;
  }

  /** Brings the subscription in line with what is wanted: one renegotiation at a time. */
  async #reconcile(): Promise<void> {
    if (this.#closed || !this.#session) return;
    if (this.#negotiating) {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    const key = (feed: number, mid: string) => `${feed}:${mid}`;
    const wanted = this.#wanted();
    const wantedKeys = new Set(wanted.map((w) => key(w.feed, w.mid)));
    const haveKeys = new Set(this.#subscribed.map((s) => key(s.feed, s.feedMid)));
    const add = wanted.filter((w) => !haveKeys.has(key(w.feed, w.mid)));
    const remove = this.#subscribed
      .filter((s) => !wantedKeys.has(key(s.feed, s.feedMid)))
      .map((s) => ({ feed: s.feed, mid: s.feedMid }));
    if (add.length === 0 && remove.length === 0) return;
    this.#negotiating = true;
    try {
      let reply: JanusMessage;
      if (!this.#sub) {
        if (add.length === 0) {
          this.#negotiating = false;
          return;
        }
        this.#sub = await this.#attach();
        this.#unlisten.push(this.node.listen(this.#sub, (m) => this.#onSubscriberEvent(m)));
        reply = await this.#message(this.#sub, {
          request: "join",
          ptype: "subscriber",
          room: this.#o.room,
          streams: add,
          private_id: this.#privateId,
        });
      } else {
        reply = await this.#message(this.#sub, {
          request: "update",
          ...(add.length ? { subscribe: add } : {}),
          ...(remove.length ? { unsubscribe: remove } : {}),
        });
      }
      this.#offerToBrowser(reply);
    } catch (err) {
      this.#negotiating = false;
      // A feed that left meanwhile: the next event brings the list up to date.
      if (!this.#closed) this.#o.fail(`Cannot receive video: ${(err as Error).message}`);
    }
  }

  /** Janus renegotiates by itself too (a publisher left): forward its offer the same way. */
  #onSubscriberEvent(m: JanusMessage): void {
    if (m.jsep?.type !== "offer") return;
    this.#negotiating = true;
    this.#offerToBrowser(m);
  }

  #offerToBrowser(reply: JanusMessage): void {
    const data = reply.plugindata?.data ?? {};
    if (Array.isArray(data.streams)) this.#readStreams(data.streams);
    if (!reply.jsep || reply.jsep.type !== "offer") {
      this.#negotiating = false;
      return;
    }
    const streams: SfuStream[] = this.#subscribed.map((s) => ({
      mid: s.mid,
      peer: this.#feeds.get(s.feed)?.peer ?? "",
      kind: s.kind,
      role: s.role,
    })).filter((s) => s.peer !== "");
    this.#o.send({
      type: "sfu",
      pc: "sub",
      jsep: { type: "offer", sdp: reply.jsep.sdp },
      streams,
    });
  }

  #readStreams(list: unknown[]): void {
    const out: Subscribed[] = [];
    for (const raw of list as Array<Record<string, unknown>>) {
      if (raw.active === false || typeof raw.feed_id !== "number") continue;
      const kind = raw.type;
      if (kind !== "audio" && kind !== "video") continue;
      const feedMid = String(raw.feed_mid);
      const feed = this.#feeds.get(raw.feed_id);
      const description = feed?.streams.find((s) => s.mid === feedMid)?.description;
      out.push({
        feed: raw.feed_id,
        feedMid,
        mid: String(raw.mid),
        kind,
        role: description === "screen" ? "screen" : "camera",
      });
    }
    this.#subscribed = out;
  }

  /** The simulcast layer of every camera received: high for large tiles, low for the rest. */
  async #applyLayers(): Promise<void> {
    if (!this.#sub || this.#closed || this.#negotiating) return;
    const streams = this.#subscribed
      .filter((s) => s.kind === "video")
      .map((s) => {
        const peer = this.#feeds.get(s.feed)?.peer ?? "";
        const layer: VideoLayer = s.role === "screen" || !this.#view
          ? "high"
          : this.#view[peer] ?? "low";
        return { mid: s.mid, substream: SUBSTREAM[layer] };
      });
    if (streams.length === 0) return;
    await this.#message(this.#sub, { request: "configure", streams }).catch(() => {});
  }
}
