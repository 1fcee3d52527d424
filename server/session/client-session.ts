import {
  type ClientMessage,
  CloseCode,
  ErrorCode,
  type JoinMessage,
  LIMITS,
  type MediaMode,
  type RecordingInfo,
  type Role,
  type ServerMessage,
} from "../../protocol/messages.ts";
import { parseClientMessage } from "../../protocol/parse-client-message.ts";
import type { ServerConfig } from "../config.ts";
import type { Logger } from "../observe/logger.ts";
import type { Metrics } from "../observe/metrics.ts";
import { TokenBucket } from "./rate-limiter.ts";
import type { Admission, RoomRegistry, Seat, SeatSink } from "../rooms/room-registry.ts";
import { verifyRoomToken } from "./room-token.ts";
import { type TurnConfig, turnCredentials } from "./turn-credentials.ts";
import { MESH_HANDOVER_MS, type SfuClient, type SfuService } from "../sfu/sfu-service.ts";

/** What a session needs of its WebSocket (a WebSocketConnection, or a test double). */
export interface ClientSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Drops the TCP connection now, without a closing handshake. */
  terminate(): void;
}

/** `WebSocket.OPEN`, the same in every implementation. */
const OPEN = 1;

export interface SessionDeps {
  config: ServerConfig;
  registry: RoomRegistry;
  metrics: Metrics;
  logger: Logger;
  /** The ROOM_TOKEN_SECRET key, when tokens are required. */
  tokenKey: Promise<CryptoKey> | null;
  /** TURN relays and their credential key, when configured. */
  turn: Promise<TurnConfig> | null;
  /** The SFU (Janus), when JANUS_URLS is set. */
  sfu?: SfuService | null;
}

/** What clients hear during a store outage; the details (addresses) are for /healthz and logs. */
const UNAVAILABLE = "the meeting service is briefly unavailable; try again in a moment";

/** Frames kept while a join is being verified; more than this is a flood. */
const JOIN_BACKLOG = 200;

/** A flooding client hears about it at most this often (each notice says how many were dropped). */
const RATE_NOTICE_MS = 1000;

/** One WebSocket connection: reads frames, applies the rules, talks to the registry. */
export class ClientSession implements SeatSink {
  seat: Seat | null = null;
  readonly #bucket: TokenBucket;
  readonly #reactions: TokenBucket;
  #droppedSinceNotice = 0;
  /** Set while a join awaits token checks or TURN credentials; later frames wait here. */
  #backlog: Array<string | Uint8Array> | null = null;
  #lastRateNotice = -Infinity;
  /** A notice due at the end of the quiet second, for frames dropped since the last one. */
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Room messages that arrive between the seat being granted and `joined` being sent. */
  #held: string[] | null = null;
  /** While this connection's join waits in the lobby: where, and under which id. */
  #waiting: { room: string; id: string } | null = null;
  /** After the room went back to the mesh: when this seat's SFU media stops. */
  #handover: ReturnType<typeof setTimeout> | undefined;
  /** How the SFU reaches this browser. */
  readonly #sfuClient: SfuClient = {
    send: (message) => this.#reply(message),
    fail: (message) => this.#error(ErrorCode.Unavailable, message),
  };

  constructor(readonly socket: ClientSocket, readonly deps: SessionDeps) {
    this.#bucket = new TokenBucket(deps.config.rateBurst, deps.config.ratePerSecond);
    this.#reactions = new TokenBucket(LIMITS.reactionBurst, LIMITS.reactionsPerSecond);
  }

  // ---- SeatSink ----
  send(text: string): void {
    if (this.#held) {
      this.#held.push(text); // `joined` comes first, whatever the timing
      return;
    }
    this.#write(text);
  }

  #write(text: string): void {
    if (this.socket.readyState !== OPEN) return;
    // A client that stopped reading would make us buffer without bound.
    if (this.socket.bufferedAmount > this.deps.config.maxBufferedBytes) return this.#dropSlow();
    this.socket.send(text);
  }

  /** The room moved back to the mesh: this seat's SFU media stops once browsers have switched. */
  mediaMoved(mode: MediaMode): void {
    this.#mediaMode(mode);
  }

  /** The room's recording changed: a server recording takes in this seat's media, or stops. */
  recordingChanged(recording: RecordingInfo | undefined): void {
    if (this.seat) this.deps.sfu?.record(this.seat, recording);
  }

  close(code: number, reason: string): void {
    // The seat is gone from here (resumed elsewhere, removed, ended): forget it first.
    this.#letGo();
    if (this.socket.readyState <= OPEN) this.socket.close(code, reason);
  }

  admitted(admission: Admission): void {
    this.#waiting = null;
    this.#held = [];
    this.#seated(admission, false)
      .catch((err) => this.deps.logger.error("admission failed", { error: String(err) }))
      .finally(() => this.#flushHeld());
  }

  denied(message: string): void {
    this.#waiting = null;
    this.#error(ErrorCode.Denied, message);
  }

  /**
   * Lets go of a client that stopped reading. Its close frame would queue
   * behind the unread data and never arrive, so the connection is cut at once
   * (its descriptor and address slot are free now, not when the client gives
   * up) and the seat released as an unexplained drop, so the client may still
   * resume.
   */
  #dropSlow(): void {
    const seat = this.#letGo();
    this.deps.logger.warn("slow client dropped", { buffered: this.socket.bufferedAmount });
    this.deps.metrics.countError("too-slow");
    this.socket.terminate();
    if (seat) this.deps.registry.detach(seat, this);
  }

  // ---- socket events ----
  /**
   * One frame: text, or bytes for a binary frame. Frames over
   * MAX_MESSAGE_BYTES never get here: the WebSocket layer refuses them from
   * their header, before reading them.
   */
  onMessage(data: string | Uint8Array): void {
    if (this.#backlog) {
      // Keep order: nothing overtakes a join that is still being checked.
      if (this.#backlog.length < JOIN_BACKLOG) this.#backlog.push(data);
      else this.#rateLimited();
      return;
    }
    // Every frame counts, whatever it holds: answering costs as much as relaying.
    if (!this.#bucket.take()) return this.#rateLimited();
    if (typeof data !== "string") {
      return this.#error(
        ErrorCode.BadMessage,
        "Cannot read message: binary frames are not accepted",
      );
    }
    const parsed = parseClientMessage(data);
    if (!parsed.ok) return this.#error(parsed.code, parsed.message);
    this.#handle(parsed.message);
  }

  onClose(code: number): void {
    clearTimeout(this.#noticeTimer);
    if (this.#waiting) this.deps.registry.cancelWait(this.#waiting.room, this.#waiting.id);
    this.#waiting = null;
    const seat = this.#letGo();
    if (!seat) return;
    // A tab closed or a page called close(): the peer is gone. Anything else
    // (network loss, idle timeout, client reconnecting) keeps the seat warm.
    if (code === CloseCode.Normal || code === CloseCode.GoingAway) {
      this.#settle(this.deps.registry.leave(seat));
    } else {
      this.deps.registry.detach(seat, this);
    }
  }

  // ---- message handling ----
  #handle(msg: ClientMessage): void {
    const { registry } = this.deps;
    if (msg.type === "join") return this.#join(msg);
    if (msg.type === "leave" && this.#waiting) {
      registry.cancelWait(this.#waiting.room, this.#waiting.id);
      this.#waiting = null;
      return;
    }
    const seat = this.seat;
    if (!seat) {
      return this.#error(ErrorCode.NotInRoom, `Cannot ${msg.type}: join a room first`);
    }
    switch (msg.type) {
      case "signal":
        if (msg.to === seat.id) return this.#relayFailed(ErrorCode.UnknownPeer, "relay signal");
        return this.#outcome(registry.signal(seat, msg.to, msg.data), "relay signal");
      case "chat":
        return this.#outcome(registry.chat(seat, msg.text), "send chat");
      case "state":
        return this.#outcome(registry.setState(seat, msg.state), "share state");
      case "hand":
        return this.#outcome(registry.setHand(seat, msg.raised), "raise or lower a hand");
      case "react":
        // Its own, tighter limit: a burst of reactions must not flood everyone's screen.
        if (!this.#reactions.take()) {
          return this.#error(
            ErrorCode.RateLimited,
            "Cannot react: too many reactions; wait a moment",
          );
        }
        return this.#outcome(registry.react(seat, msg.emoji), "react");
      case "leave":
        this.#letGo();
        this.#settle(registry.leave(seat));
        return;
      case "sfu": {
        const sfu = this.deps.sfu;
        if (!sfu) {
          return this.#error(
            ErrorCode.BadMessage,
            "Cannot negotiate with the SFU: this server has none",
          );
        }
        // Candidates may trail a move back to the mesh; a new offer may not.
        if (msg.jsep?.type === "offer" && registry.mediaMode(seat.room, seat.id) !== "sfu") {
          return this.#error(
            ErrorCode.BadMessage,
            "Cannot publish to the SFU: this room's media goes peer to peer now",
          );
        }
        clearTimeout(this.#handover);
        sfu.handle(seat, this.#sfuClient, msg).catch((err) =>
          this.deps.logger.error("sfu failed", { error: String(err) })
        );
        return;
      }
      case "sfu-view":
        void this.deps.sfu?.view(seat, this.#sfuClient, msg.video);
        return;
      case "breakout":
        registry.breakout(seat, msg).then((refused) => {
          if (typeof refused === "string") {
            this.#relayFailed(refused, `${msg.action} breakout rooms`);
          } else if (refused) this.#error(refused.code, refused.message);
        }, (err) => this.deps.logger.error("breakout failed", { error: String(err) }));
        return;
      case "moderate":
        registry.moderate(seat, msg.action, msg.to).then((refused) => {
          if (typeof refused === "string") this.#relayFailed(refused, msg.action);
          else if (refused) this.#error(refused.code, refused.message);
          else if (msg.action === "record-start" || msg.action === "record-stop") {
            // The file stays in the host's browser; the server's log says that it was made.
            this.deps.logger.info(
              msg.action === "record-start" ? "recording started" : "recording stopped",
              {
                room: seat.room,
                by: seat.id,
              },
            );
          }
        }, (err) => this.deps.logger.error("moderate failed", { error: String(err) }));
        return;
    }
  }

  /** Reports a relay that the registry refused, to this client only. */
  #outcome(result: Promise<ErrorCode | undefined>, action: string): void {
    result.then((code) => code && this.#relayFailed(code, action), (err) => {
      this.deps.logger.error(`${action} failed`, { error: String(err) });
    });
  }

  #relayFailed(code: ErrorCode, action: string): void {
    const why = code === ErrorCode.UnknownPeer
      ? "no such peer in this room"
      : code === ErrorCode.Unavailable
      ? UNAVAILABLE
      : code;
    this.#error(code, `Cannot ${action}: ${why}`);
  }

  #settle(done: Promise<void>): void {
    done.catch((err) => this.deps.logger.error("leave failed", { error: String(err) }));
  }

  #join(msg: JoinMessage): void {
    if (this.seat || this.#waiting) {
      return this.#error(
        ErrorCode.AlreadyJoined,
        "Cannot join: this connection is already in a room",
      );
    }
    this.#backlog = [];
    this.#held = [];
    this.#joinChecked(msg)
      .catch((err) => {
        this.deps.logger.error("join failed", { error: String(err) });
        this.#error(ErrorCode.BadMessage, "Cannot join: the server could not complete the join");
      })
      .finally(() => {
        this.#flushHeld();
        const backlog = this.#backlog ?? [];
        this.#backlog = null;
        for (const data of backlog) this.onMessage(data);
      });
  }

  #flushHeld(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const text of held) this.#write(text);
  }

  /** Resume, else token check and a new seat (or the lobby); then `joined`. */
  async #joinChecked({ room, name, resume, token, media }: JoinMessage): Promise<void> {
    const { registry, tokenKey } = this.deps;
    // A resume token proves the seat: no room token needed again.
    const back = resume ? await registry.resume(resume, room, this) : undefined;
    if (typeof back === "string") return this.#error(back, `Cannot join: ${UNAVAILABLE}`);
    if (back) return await this.#seated(back, true);
    let role: Role | undefined;
    if (tokenKey) {
      const check = token
        ? await verifyRoomToken(token, await tokenKey, room)
        : { ok: false as const, reason: "this room needs a token" };
      if (!check.ok) return this.#error(ErrorCode.Unauthorized, `Cannot join: ${check.reason}`);
      if (check.name) name = check.name;
      role = check.role;
    }
    if (this.socket.readyState !== OPEN) return; // gone while we checked
    const { sfu } = this.deps;
    if (sfu && !sfu.available && registry.mediaMode(room) === "sfu") {
      // Its media has nowhere to go until a node is back; the people in it keep their chat.
      return this.#error(
        ErrorCode.Unavailable,
        "Cannot join: the meeting's media server is unavailable; try again in a moment",
      );
    }
    const result = await registry.join(
      room,
      { name, ...(media ? { media } : {}) },
      this,
      role,
    );
    if ("refused" in result) {
      return this.#error(
        result.refused,
        result.message ??
          (result.refused === ErrorCode.Unavailable
            ? `Cannot join: ${UNAVAILABLE}`
            : "Cannot join"),
      );
    }
    if ("waiting" in result) {
      this.#waiting = { room, id: result.waiting };
      if (this.socket.readyState !== OPEN) {
        this.#waiting = null;
        return registry.cancelWait(room, result.waiting);
      }
      return this.#reply({ type: "waiting" });
    }
    await this.#seated(result.admitted, false);
  }

  /** Takes the seat and sends `joined` with fresh TURN credentials. */
  async #seated(admission: Admission, resumed: boolean): Promise<void> {
    const { registry, config, logger, turn } = this.deps;
    const { seat, peers, settings, waiting, hand } = admission;
    if (this.socket.readyState !== OPEN) {
      // Gone while the store answered: a resumed seat waits out its grace again.
      if (resumed) registry.detach(seat, this);
      else this.#settle(registry.leave(seat));
      return;
    }
    this.seat = seat;
    this.deps.sfu?.record(seat, settings.recording);
    const iceServers = turn
      ? [...config.iceServers, await turnCredentials(await turn, seat.id)]
      : config.iceServers;
    if (this.seat !== seat) return; // left or replaced meanwhile
    this.#reply({
      type: "joined",
      id: seat.id,
      room: seat.room,
      resume: seat.resumeToken,
      peers,
      iceServers,
      resumed,
      role: seat.role,
      settings,
      ...(seat.role === "host" ? { waiting } : {}),
      ...(hand !== undefined ? { hand } : {}),
      ...(admission.media === "sfu" ? { media: "sfu" as const } : {}),
    });
    logger.debug(resumed ? "resumed" : "joined", { room: seat.room, peer: seat.id });
  }

  #mediaMode(mode: MediaMode): void {
    clearTimeout(this.#handover);
    if (!this.seat || !this.deps.sfu) return;
    // Into the SFU from the mesh (breakout groups closing, or a room growing again soon after it
    // shrank): the browser publishes on fresh connections, so whatever of it the SFU still holds
    // from before the mesh goes now, or its new offer would meet a stale publisher.
    if (mode === "sfu") return this.#leaveSfu();
    this.#handover = setTimeout(() => this.#leaveSfu(), MESH_HANDOVER_MS);
  }

  /** This session lets go of its seat: its SFU media goes, and the SFU records it no more. */
  #letGo(): Seat | null {
    this.#leaveSfu();
    const seat = this.seat;
    if (seat) this.deps.sfu?.record(seat, undefined);
    this.seat = null;
    return seat;
  }

  #leaveSfu(): void {
    clearTimeout(this.#handover);
    const seat = this.seat;
    if (seat && this.deps.sfu) {
      this.deps.sfu.leave(seat.id).catch((err) =>
        this.deps.logger.warn("sfu leave failed", { error: String(err) })
      );
    }
  }

  #reply(message: ServerMessage): void {
    this.#write(JSON.stringify(message));
  }

  #error(code: ErrorCode, message: string): void {
    this.deps.metrics.countError(code);
    this.#reply({ type: "error", code, message });
  }

  /**
   * A dropped frame. The first of a flood is reported at once; the rest are
   * counted and reported together when the quiet second is over, so the
   * numbers add up and the replies cannot flood back.
   */
  #rateLimited(): void {
    this.#droppedSinceNotice++;
    this.deps.metrics.framesDropped++;
    const wait = this.#lastRateNotice + RATE_NOTICE_MS - Date.now();
    if (wait <= 0) this.#rateNotice();
    else this.#noticeTimer ??= setTimeout(() => this.#rateNotice(), wait);
  }

  #rateNotice(): void {
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = undefined;
    const dropped = this.#droppedSinceNotice;
    if (dropped === 0) return;
    this.#droppedSinceNotice = 0;
    this.#lastRateNotice = Date.now();
    this.#error(
      ErrorCode.RateLimited,
      `Cannot relay: over ${this.deps.config.ratePerSecond} messages/s; ${dropped} dropped`,
    );
  }
}
