/**
 * One WebSocket to one Janus node's API (subprotocol `janus-protocol`): the
 * requests this server makes, matched to their replies by transaction, and
 * the events Janus sends on its own, handed to whoever holds the handle. It
 * knows nothing of rooms or browsers (sfu-participant.ts does).
 */

/** A reply or event from Janus, as much of it as we read. */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: "offer" | "answer"; sdp: string };
}

/** A failed request: Janus's own error, or the plugin's (`error_code` in its data). */
export class JanusError extends Error {
  constructor(readonly code: number, reason: string) {
    super(`Janus: ${reason} (${code})`);
    this.name = "JanusError";
  }
}

/** JANUS_TRACE=1 writes every message to and from Janus to stderr (for diagnosing the SFU). */
const TRACE = (() => {
  try {
    return Deno.env.get("JANUS_TRACE") === "1";
  } catch {
    return false;
  }
})();

/** Replies to a request that never come: the node is stuck or gone. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface JanusConnectionOptions {
  url: string;
  apiSecret?: string | null;
  /** The connection dropped (every session on it is gone with it). */
  onClose?: () => void;
}

export class JanusConnection {
  readonly url: string;
  readonly #apiSecret: string | null;
  readonly #onClose?: () => void;
  #socket: WebSocket | null = null;
  #counter = 0;
  readonly #pending = new Map<
    string,
    {
      resolve: (m: JanusMessage) => void;
      reject: (e: Error) => void;
      timer: ReturnType<typeof setTimeout>;
      ackOnly: boolean;
    }
  >();
  /** Events for a handle (by its id) or a session (by its id). */
  readonly #listeners = new Map<number, (m: JanusMessage) => void>();

  constructor(options: JanusConnectionOptions) {
    this.url = options.url;
    this.#apiSecret = options.apiSecret ?? null;
    this.#onClose = options.onClose;
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket; rejects when Janus does not answer the upgrade in time. */
  connect(timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, "janus-protocol");
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`Cannot reach Janus at ${this.url}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      socket.onopen = () => {
        clearTimeout(timer);
        this.#socket = socket;
        resolve();
      };
      socket.onerror = () => {
        clearTimeout(timer);
        reject(new Error(`Cannot reach Janus at ${this.url}`));
      };
      socket.onmessage = (e) => this.#receive(String(e.data));
      socket.onclose = () => {
        clearTimeout(timer);
        if (this.#socket !== socket) return;
        this.#socket = null;
        this.#failAll(new Error(`Janus at ${this.url} closed the connection`));
        this.#onClose?.();
      };
    });
  }

  /**
   * Sends a request and resolves with its reply: `success` for synchronous
   * ones, the `event` that follows the `ack` for asynchronous plugin requests.
   * Rejects with a JanusError for an error from Janus or the plugin.
   */
  request(body: Record<string, unknown>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<JanusMessage> {
    // Janus answers these with an ack and nothing more.
    const ackOnly = body.janus === "trickle" || body.janus === "keepalive";
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`Janus at ${this.url} is not connected`));
    }
    const transaction = `t${++this.#counter}`;
    return new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new Error(`Janus at ${this.url} did not answer ${body.janus} in time`));
      }, timeoutMs);
      this.#pending.set(transaction, { resolve, reject, timer, ackOnly });
      if (TRACE) console.error(`→ ${this.url} ${JSON.stringify(body).slice(0, 300)}`);
      socket.send(JSON.stringify({
        ...body,
        transaction,
        ...(this.#apiSecret ? { apisecret: this.#apiSecret } : {}),
      }));
    });
  }

  /** Events Janus sends about a handle or session of its own accord. */
  listen(id: number, listener: (m: JanusMessage) => void): () => void {
    this.#listeners.set(id, listener);
    return () => {
      if (this.#listeners.get(id) === listener) this.#listeners.delete(id);
    };
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#failAll(new Error(`Janus at ${this.url}: connection closed`));
    socket?.close();
  }

  #failAll(err: Error): void {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(err);
    }
    this.#pending.clear();
    this.#listeners.clear();
  }

  #receive(text: string): void {
    if (TRACE) console.error(`← ${this.url} ${text.replace(/\s+/g, " ").slice(0, 600)}`);
    let msg: JanusMessage;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // not from a Janus we can talk to
    }
    const waiting = msg.transaction ? this.#pending.get(msg.transaction) : undefined;
    if (waiting && (msg.janus !== "ack" || waiting.ackOnly)) {
      this.#pending.delete(msg.transaction!);
      clearTimeout(waiting.timer);
      const pluginError = msg.plugindata?.data?.error_code;
      if (msg.janus === "error") {
        waiting.reject(new JanusError(msg.error?.code ?? 0, msg.error?.reason ?? "error"));
      } else if (typeof pluginError === "number") {
        waiting.reject(new JanusError(pluginError, String(msg.plugindata!.data.error)));
      } else waiting.resolve(msg);
      return;
    }
    if (waiting) return; // the ack of an asynchronous request: its event follows
    const to = msg.sender ?? msg.session_id;
    if (to !== undefined) this.#listeners.get(to)?.(msg);
  }
}
