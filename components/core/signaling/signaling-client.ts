import {
  type ClientMessage,
  CloseCode,
  ErrorCode,
  type JoinedMessage,
  type ServerMessage,
} from "../../../protocol/messages.ts";
import { Emitter } from "../emitter.ts";
import { mark } from "../perf-mark.ts";
import { ClientErrorCode, type RoomErrorDetail } from "../room-error.ts";
import { type TokenOptions, tokenRefused, TokenSource } from "./token-source.ts";

export const SignalingState = {
  Idle: "idle",
  Connecting: "connecting",
  Joined: "joined",
  Reconnecting: "reconnecting",
  Left: "left",
  Failed: "failed",
} as const;
export type SignalingState = (typeof SignalingState)[keyof typeof SignalingState];

export interface ReconnectPolicy {
  /** First retry delay; doubles each attempt up to `maxMs`, with jitter. */
  baseMs: number;
  maxMs: number;
  /** Attempts in a row before giving up (state `failed`). */
  maxAttempts: number;
}

export interface SignalingOptions extends TokenOptions {
  url: string;
  room: string;
  name: string;
  /** `none`: this browser cannot send or receive media; the others will not try to connect. */
  media?: "none";
  reconnect?: Partial<ReconnectPolicy>;
  /** Injected for tests; defaults to the global WebSocket. */
  WebSocket?: typeof WebSocket;
}

export interface SignalingEvents extends Record<string, unknown> {
  state: SignalingState;
  /** Every server message after `joined`, including `joined` itself. */
  message: ServerMessage;
  error: RoomErrorDetail;
}

const DEFAULT_RECONNECT: ReconnectPolicy = { baseMs: 500, maxMs: 8000, maxAttempts: 12 };

/** Errors after which retrying cannot help. */
const FATAL_JOIN_ERRORS: readonly string[] = [
  ErrorCode.Unauthorized,
  ErrorCode.RoomFull,
  ErrorCode.BadRoom,
  ErrorCode.BadName,
  ErrorCode.RoomLocked,
  ErrorCode.Denied,
];

/**
 * Keeps one joined seat over WebSocket: joins, reconnects with exponential
 * backoff and jitter, and resumes the same id with the server's resume token.
 */
export class SignalingClient extends Emitter<SignalingEvents> {
  state: SignalingState = SignalingState.Idle;
  /** Our peer id, once joined. */
  id: string | null = null;
  readonly #options: SignalingOptions;
  readonly #policy: ReconnectPolicy;
  #ws: WebSocket | null = null;
  #resume: string | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Signals produced while reconnecting; sent only if the seat is resumed. */
  #pending: ClientMessage[] = [];
  /** Why the last join was refused, if it was: the error to show when retries run out. */
  #refusal: RoomErrorDetail | undefined;
  readonly #tokens: TokenSource;
  /** Opens in flight (a token being fetched): a newer one, or leaving, drops the older. */
  #opening = 0;
  /** Whether this join already retried once with a fresh token after a refusal. */
  #freshTried = false;
  readonly #onOnline = () => {
    if (this.state === SignalingState.Reconnecting) this.#retryNow();
  };

  constructor(options: SignalingOptions) {
    super();
    this.#options = options;
    this.#policy = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.#tokens = new TokenSource(options, { room: options.room, name: options.name });
  }

  connect(): void {
    if (
      this.state !== SignalingState.Idle && this.state !== SignalingState.Left &&
      this.state !== SignalingState.Failed
    ) return;
    this.#attempt = 0;
    this.#resume = undefined;
    globalThis.addEventListener?.("online", this.#onOnline);
    this.#setState(SignalingState.Connecting);
    this.#open();
  }

  /** Sends a message if joined; signals made while reconnecting wait for a resume. */
  send(message: ClientMessage): boolean {
    if (this.state === SignalingState.Joined && this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify(message));
      return true;
    }
    if (this.state === SignalingState.Reconnecting && message.type === "signal") {
      if (this.#pending.length < 500) this.#pending.push(message);
    }
    return false;
  }

  /** Leaves the room for good: tells the server, closes, stops retrying. */
  leave(): void {
    if (this.state === SignalingState.Left || this.state === SignalingState.Idle) return;
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send('{"type":"leave"}');
    this.#shutdown(SignalingState.Left);
  }

  /** Drops the socket as a network failure would (a later resume keeps our id). */
  dropConnection(): void {
    this.#ws?.close(CloseCode.Reconnecting, "reconnecting");
  }

  /** Asks for the token (a fresh one from the site if the last runs out), then opens the socket. */
  #open(): void {
    const opening = ++this.#opening;
    if (!this.#tokens.fresh) return this.#openSocket(this.#tokens.options.token);
    this.#tokens.get().then(
      (token) => opening === this.#opening && this.#active() && this.#openSocket(token),
      (e) => {
        if (opening !== this.#opening || !this.#active()) return;
        const error = {
          code: ErrorCode.Unauthorized,
          message: `Cannot get a room token: ${(e as Error)?.message ?? e}`,
        };
        // Refused by the site: final. Unreachable: retried like the server itself.
        if (tokenRefused(e)) return this.#fail(error);
        this.#refusal = error;
        this.#scheduleReconnect();
      },
    );
  }

  #active(): boolean {
    return this.state !== SignalingState.Left && this.state !== SignalingState.Failed;
  }

  #openSocket(token: string | undefined): void {
    const Impl = this.#options.WebSocket ?? WebSocket;
    let ws: WebSocket;
    try {
      ws = new Impl(this.#options.url);
    } catch {
      this.#fail({
        code: ClientErrorCode.ServerUnreachable,
        message: `Cannot connect: ${this.#options.url} is not a valid WebSocket URL`,
      });
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      mark("socket-open");
      ws.send(JSON.stringify({
        type: "join",
        room: this.#options.room,
        name: this.#options.name,
        ...(this.#resume ? { resume: this.#resume } : {}),
        ...(token ? { token } : {}),
        ...(this.#options.media ? { media: this.#options.media } : {}),
      }));
    };
    ws.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      this.#onMessage(msg);
    };
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#onClose(ev.code, ev.reason);
    };
  }

  #onMessage(msg: ServerMessage): void {
    if (msg.type === "joined") return this.#onJoined(msg); // emits it once, in order
    // A refused join: some errors are final, the rest are worth a retry.
    if (msg.type === "error" && this.state !== SignalingState.Joined) {
      if (msg.code === ErrorCode.Unauthorized && this.#tokens.fresh && !this.#freshTried) {
        // Perhaps expired by the server's clock: one more try with a token just made.
        this.#freshTried = true;
        this.#tokens.forget();
        const ws = this.#ws;
        this.#ws = null; // its close is ours: not a drop to reconnect from
        ws?.close(CloseCode.Normal, "retrying");
        return this.#open();
      }
      if (FATAL_JOIN_ERRORS.includes(msg.code)) {
        return this.#fail({ code: msg.code, message: msg.message });
      }
      if (msg.code === ErrorCode.Unavailable) {
        // The server cannot seat anyone just now (its room store is away): retry with backoff.
        this.#refusal = { code: msg.code, message: msg.message };
        return this.#ws?.close(CloseCode.Reconnecting, "retrying");
      }
    }
    this.emit("message", msg);
  }

  #onJoined(msg: JoinedMessage): void {
    this.id = msg.id;
    this.#resume = msg.resume;
    this.#attempt = 0;
    this.#refusal = undefined;
    this.#freshTried = false;
    const pending = msg.resumed ? this.#pending : [];
    this.#pending = [];
    this.#setState(SignalingState.Joined);
    this.emit("message", msg);
    for (const m of pending) this.send(m);
  }

  #onClose(code: number, reason: string): void {
    if (this.state === SignalingState.Left || this.state === SignalingState.Failed) return;
    // Removed, or the meeting ended: a host decided; coming back is not ours to do.
    if (code === CloseCode.Removed || code === CloseCode.RoomEnded) {
      return this.#shutdown(SignalingState.Left);
    }
    if (code === CloseCode.TryAgainLater && !this.id) {
      // Refused at the door (server or address full): say so rather than spin.
      return this.#fail({
        code: ClientErrorCode.ServerBusy,
        message: `Cannot connect: ${reason || "the server is busy"}`,
      });
    }
    if (code === CloseCode.TooLarge) {
      // A bug on our side; reconnecting would repeat it, but the seat is worth keeping.
      console.warn("video-room: the server refused an oversized message");
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    // Never joined yet: a server that is down should be explained within seconds.
    const limit = this.id ? this.#policy.maxAttempts : Math.min(4, this.#policy.maxAttempts);
    if (this.#attempt >= limit) {
      this.#fail(
        this.#refusal ?? {
          code: ClientErrorCode.ServerUnreachable,
          message: `Cannot connect: the server at ${this.#options.url} is unreachable`,
        },
      );
      return;
    }
    if (this.state === SignalingState.Joined) this.#setState(SignalingState.Reconnecting);
    const exp = Math.min(this.#policy.maxMs, this.#policy.baseMs * 2 ** this.#attempt);
    const delay = exp / 2 + Math.random() * (exp / 2); // "equal jitter"
    this.#attempt++;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#open(), delay);
  }

  #retryNow(): void {
    clearTimeout(this.#timer);
    if (!this.#ws) this.#open();
  }

  #fail(error: RoomErrorDetail): void {
    this.#shutdown(SignalingState.Failed);
    this.emit("error", error);
  }

  #shutdown(state: SignalingState): void {
    clearTimeout(this.#timer);
    globalThis.removeEventListener?.("online", this.#onOnline);
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(CloseCode.Normal, "left");
    this.#pending = [];
    this.#setState(state);
  }

  #setState(state: SignalingState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", state);
  }
}
