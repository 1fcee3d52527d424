import {
  type ClientMessage,
  CloseCode,
  ErrorCode,
  type JoinMessage,
  type ServerMessage,
} from "../protocol/messages.ts";
import { parseClientMessage } from "../protocol/parse-client-message.ts";
import type { ServerConfig } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { TokenBucket } from "./rate-limiter.ts";
import type { Admission, RoomRegistry, Seat, SeatSink } from "./room-registry.ts";
import { verifyRoomToken } from "./room-token.ts";
import { type TurnConfig, turnCredentials } from "./turn-credentials.ts";

export interface SessionDeps {
  config: ServerConfig;
  registry: RoomRegistry;
  metrics: Metrics;
  logger: Logger;
  /** The ROOM_TOKEN_SECRET key, when tokens are required. */
  tokenKey: Promise<CryptoKey> | null;
  /** TURN relays and their credential key, when configured. */
  turn: Promise<TurnConfig> | null;
}

/** What clients hear during a store outage; the details (addresses) are for /healthz and logs. */
const UNAVAILABLE = "the meeting service is briefly unavailable; try again in a moment";

/** Frames kept while a join is being verified; more than this is a flood. */
const JOIN_BACKLOG = 200;

const encoder = new TextEncoder();

/** UTF-8 size of a string without allocating when it is clearly small. */
function byteLength(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : encoder.encode(text).length;
}

/** One WebSocket connection: reads frames, applies the rules, talks to the registry. */
export class ClientSession implements SeatSink {
  seat: Seat | null = null;
  readonly #bucket: TokenBucket;
  #droppedSinceNotice = 0;
  /** Set while a join awaits token checks or TURN credentials; later frames wait here. */
  #backlog: unknown[] | null = null;
  #lastRateNotice = -Infinity;
  /** Room messages that arrive between the seat being granted and `joined` being sent. */
  #held: string[] | null = null;

  constructor(readonly socket: WebSocket, readonly deps: SessionDeps) {
    this.#bucket = new TokenBucket(deps.config.rateBurst, deps.config.ratePerSecond);
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
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // A client that stopped reading would make us buffer without bound.
    if (this.socket.bufferedAmount > this.deps.config.maxBufferedBytes) return this.#dropSlow();
    this.socket.send(text);
  }

  close(code: number, reason: string): void {
    // The seat now belongs to another socket: forget it before the close event.
    this.seat = null;
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.close(code, reason);
  }

  /**
   * Lets go of a client that stopped reading. Its close frame would queue
   * behind the unread data, so the close event may never come: release the
   * seat now (as an unexplained drop, so the client may still resume).
   */
  #dropSlow(): void {
    const seat = this.seat;
    this.seat = null;
    this.deps.logger.warn("slow client dropped", { buffered: this.socket.bufferedAmount });
    this.deps.metrics.countError("too-slow");
    this.socket.close(CloseCode.TooSlow, "too slow: unread data passed the limit");
    if (seat) this.deps.registry.detach(seat, this);
  }

  // ---- socket events ----
  onMessage(data: unknown): void {
    if (this.#backlog) {
      // Keep order: nothing overtakes a join that is still being checked.
      if (this.#backlog.length < JOIN_BACKLOG) this.#backlog.push(data);
      else this.#rateLimited();
      return;
    }
    const { config } = this.deps;
    if (typeof data !== "string") {
      const size = data instanceof ArrayBuffer
        ? data.byteLength
        : data instanceof Blob
        ? data.size
        : 0;
      if (size > config.maxMessageBytes) return this.#tooLarge();
      return this.#error(
        ErrorCode.BadMessage,
        "Cannot read message: binary frames are not accepted",
      );
    }
    if (byteLength(data, config.maxMessageBytes) > config.maxMessageBytes) return this.#tooLarge();
    if (!this.#bucket.take()) return this.#rateLimited();

    const parsed = parseClientMessage(data);
    if (!parsed.ok) return this.#error(parsed.code, parsed.message);
    this.#handle(parsed.message);
  }

  onClose(code: number): void {
    const seat = this.seat;
    this.seat = null;
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
      case "leave":
        this.seat = null;
        this.#settle(registry.leave(seat));
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
    if (this.seat) {
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
        const held = this.#held ?? [];
        this.#held = null;
        for (const text of held) this.#write(text);
        const backlog = this.#backlog ?? [];
        this.#backlog = null;
        for (const data of backlog) this.onMessage(data);
      });
  }

  /** Resume, else token check and a new seat; then `joined` with fresh TURN credentials. */
  async #joinChecked({ room, name, resume, token }: JoinMessage): Promise<void> {
    const { registry, config, logger, tokenKey, turn } = this.deps;
    // A resume token proves the seat: no room token needed again.
    let admitted: Admission | ErrorCode | undefined = resume
      ? await registry.resume(resume, room, this)
      : undefined;
    const resumed = admitted !== undefined && typeof admitted !== "string";
    if (!admitted && tokenKey) {
      const check = token
        ? await verifyRoomToken(token, await tokenKey, room)
        : { ok: false as const, reason: "this room needs a token" };
      if (!check.ok) return this.#error(ErrorCode.Unauthorized, `Cannot join: ${check.reason}`);
      if (check.name) name = check.name;
    }
    if (!admitted) {
      if (this.socket.readyState !== WebSocket.OPEN) return; // gone while we checked
      admitted = await registry.join(room, name, this);
    }
    if (typeof admitted === "string") {
      return this.#error(
        admitted,
        admitted === ErrorCode.RoomFull
          ? `Cannot join: room is full (${config.maxPeers} peers)`
          : `Cannot join: ${UNAVAILABLE}`,
      );
    }
    const { seat, peers } = admitted;
    if (this.socket.readyState !== WebSocket.OPEN) {
      // Gone while the store answered: a resumed seat waits out its grace again.
      if (resumed) registry.detach(seat, this);
      else this.#settle(registry.leave(seat));
      return;
    }
    this.seat = seat;
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
    });
    logger.debug(resumed ? "resumed" : "joined", { room, peer: seat.id });
  }

  #reply(message: ServerMessage): void {
    this.#write(JSON.stringify(message));
  }

  #error(code: ErrorCode, message: string): void {
    this.deps.metrics.countError(code);
    this.#reply({ type: "error", code, message });
  }

  #tooLarge(): void {
    this.#error(
      ErrorCode.TooLarge,
      `Cannot read message: larger than ${this.deps.config.maxMessageBytes} bytes`,
    );
    this.socket.close(CloseCode.TooLarge, "message too large");
  }

  /** Tells a flooding client at most once a second, so the replies cannot flood back. */
  #rateLimited(): void {
    this.#droppedSinceNotice++;
    const now = performance.now();
    if (now - this.#lastRateNotice < 1000) {
      this.deps.metrics.countError(ErrorCode.RateLimited);
      return;
    }
    this.#lastRateNotice = now;
    const dropped = this.#droppedSinceNotice;
    this.#droppedSinceNotice = 0;
    this.#error(
      ErrorCode.RateLimited,
      `Cannot relay: over ${this.deps.config.ratePerSecond} messages/s; ${dropped} dropped`,
    );
  }
}
