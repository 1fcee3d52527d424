/**
 * The two connections of a call: signaling (made on each join) and the
 * media transport. Both are chunks, loaded side by side ahead of the join
 * (while the visitor looks at the preview) and kept: nothing of them weighs
 * on the script that shows the pre-join screen. What signaling says before
 * the transport is ready waits, in order, so nothing is handled out of turn.
 */
import type { ClientMessage, ServerMessage } from "../../../protocol/messages.ts";
import { ClientErrorCode, type RoomErrorDetail } from "../room-error.ts";
import type { SignalingOptions, SignalingState } from "../signaling/signaling-client.ts";
import type { MediaTransport, TransportContext } from "../transport/media-transport.ts";
import type { RoomSessionOptions, Signaling } from "./session-types.ts";

export interface CallEvents {
  message(message: ServerMessage): void;
  state(state: SignalingState): void;
  error(error: RoomErrorDetail): void;
  /** Loads what the session needs in a call, beside the transport (a chunk of its own). */
  load(): Promise<void>;
  /** The transport is loaded: follow it; returns what stops following. */
  transport(transport: MediaTransport): Array<() => void>;
  /** The transport could not be loaded during a join (the session ends the call). */
  failed(error: RoomErrorDetail): void;
}

export class CallConnection {
  /** Null until `prepare()` or a join has loaded it. */
  transport: MediaTransport | null = null;
  #signaling: Signaling | null = null;
  #off: Array<() => void> = [];
  #transportOff: Array<() => void> = [];
  #load: Promise<MediaTransport | null> | null = null;
  /** What signaling said before the transport was ready, in order. */
  #held: Array<() => void> = [];
  #client: Promise<(options: SignalingOptions) => Signaling> | null = null;
  /** Bumped by every connect and close: a signaling chunk that arrives late opens nothing. */
  #attempt = 0;

  constructor(
    readonly options: RoomSessionOptions,
    readonly camera: MediaStream,
    readonly on: CallEvents,
    /** Whether this browser can make calls at all (it has WebRTC). */
    readonly calls = true,
  ) {}

  /** Our id on the server while in a room. */
  get id(): string | null {
    return this.#signaling?.id ?? null;
  }

  send(message: ClientMessage): boolean {
    return this.#signaling?.send(message) ?? false;
  }

  /** Loads the transport and the signaling client (once; again after a failure). */
  prepare(): Promise<MediaTransport | null> {
    void this.#signalingClient().catch(() => {}); // a failure is met again by connect()
    return this.#load ??= this.#loadTransport();
  }

  #signalingClient(): Promise<(options: SignalingOptions) => Signaling> {
    const made = this.options.createSignaling;
    return this.#client ??= made
      ? Promise.resolve(made)
      : import("../signaling/signaling-client.ts").then(
        ({ SignalingClient }) => (o: SignalingOptions) => new SignalingClient(o),
        (e) => {
          this.#client = null; // the next join tries again
          throw e;
        },
      );
  }

  /** Connects signaling for a join as `name`. */
  connect(name: string): void {
    void this.prepare();
    const attempt = ++this.#attempt;
    const made = this.options.createSignaling;
    // Tests' fakes (and an embedder's own) connect at once; ours once its chunk is here.
    if (made) this.#open(made, name);
    else {
      this.#signalingClient().then(
        (create) => attempt === this.#attempt && this.#open(create, name),
        (e) =>
          attempt === this.#attempt && this.on.failed({
            code: ClientErrorCode.ConnectionFailed,
            message: `Cannot start the call: ${(e as Error)?.message ?? e}`,
          }),
      );
    }
  }

  #open(create: (options: SignalingOptions) => Signaling, name: string): void {
    const { options } = this;
    const tokens = options.tokens?.() ?? options;
    const signalingOptions: SignalingOptions = {
      url: options.server,
      room: options.room,
      name,
      // Read by name, not spread: an element's properties live on its prototype.
      token: tokens.token,
      tokenUrl: tokens.tokenUrl,
      tokenProvider: tokens.tokenProvider,
      reconnect: options.reconnect,
      ...(this.calls ? {} : { media: "none" as const }),
    };
    const signaling = create(signalingOptions);
    this.#signaling = signaling;
    this.#off = [
      signaling.on("message", (m) => this.#inOrder(() => this.on.message(m))),
      signaling.on("state", (s) => this.#inOrder(() => this.on.state(s))),
      signaling.on("error", (e) => this.#inOrder(() => this.on.error(e))),
    ];
    signaling.connect();
  }

  /** Tells the server we leave (the others hear it at once). */
  leave(): void {
    this.#signaling?.leave();
  }

  /** The call is over: signaling gone, every media connection closed (the transport stays loaded). */
  close(): void {
    this.#attempt++;
    for (const off of this.#off.splice(0)) off();
    this.#signaling = null;
    this.#held = [];
    this.transport?.close();
  }

  /** Stops following the transport (the session is done). */
  dispose(): void {
    this.close();
    for (const off of this.#transportOff.splice(0)) off();
  }

  /** For tests: drops the signaling socket as a network failure would. */
  dropSignaling(): void {
    this.#signaling?.dropConnection();
  }

  #inOrder(run: () => void): void {
    if (this.transport) run();
    else this.#held.push(run);
  }

  async #loadTransport(): Promise<MediaTransport | null> {
    const context: TransportContext = {
      camera: this.camera,
      send: (to, data) => this.#signaling?.send({ type: "signal", to, data }),
      sendSfu: (message) => this.#signaling?.send(message),
      iceTransportPolicy: this.options.iceTransportPolicy ?? "all",
    };
    let t: MediaTransport;
    try {
      [t] = await Promise.all([
        this.options.createTransport?.(context) ??
          (this.calls
            ? import("../transport/media-router.ts").then((m) => new m.MediaRouter(context))
            : import("../transport/chat-only-transport.ts").then((m) => new m.ChatOnlyTransport())),
        this.on.load(),
      ]);
    } catch (e) {
      this.#load = null; // the next join tries again
      const error = {
        code: ClientErrorCode.ConnectionFailed,
        message: `Cannot start the call: ${(e as Error)?.message ?? e}`,
      };
      if (this.#signaling) this.on.failed(error);
      else this.on.error(error);
      return null;
    }
    this.#transportOff.push(...this.on.transport(t));
    this.transport = t;
    for (const run of this.#held.splice(0)) run();
    return t;
  }
}
