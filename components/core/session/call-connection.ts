/**
 * The two connections of a call: signaling (made on each join) and the
 * media transport (a chunk, loaded ahead of the join and kept). What
 * signaling says before the transport is ready waits, in order, so a join
 * never waits for the chunk and nothing is handled out of turn.
 */
import type { ClientMessage, ServerMessage } from "../../../protocol/messages.ts";
import { ClientErrorCode, type RoomErrorDetail } from "../room-error.ts";
import {
  SignalingClient,
  type SignalingOptions,
  type SignalingState,
} from "../signaling/signaling-client.ts";
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

  /** Whether a join is under way or in progress (signaling exists). */
  get open(): boolean {
    return this.#signaling !== null;
  }

  send(message: ClientMessage): boolean {
    return this.#signaling?.send(message) ?? false;
  }

  /** Loads the transport (once; again after a failure). */
  prepare(): Promise<MediaTransport | null> {
    return this.#load ??= this.#loadTransport();
  }

  /** Connects signaling for a join as `name`. */
  connect(name: string): void {
    void this.prepare();
    const { options } = this;
    const signalingOptions: SignalingOptions = {
      url: options.server,
      room: options.room,
      name,
      token: options.token,
      reconnect: options.reconnect,
      ...(this.calls ? {} : { media: "none" as const }),
    };
    const signaling = options.createSignaling?.(signalingOptions) ??
      new SignalingClient(signalingOptions);
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
