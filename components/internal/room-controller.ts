import type { ReactiveController, ReactiveControllerHost } from "lit";
import { RoomSession, type RoomSessionOptions } from "../core/room-session.ts";

/**
 * Binds an element to a RoomSession: re-renders the host on every change and
 * releases the session (camera included) when the host leaves the page. A
 * move within the page (disconnect then connect in one task) keeps the call.
 */
export class RoomController implements ReactiveController {
  session: RoomSession | null = null;
  #off: Array<() => void> = [];
  #connected = false;

  constructor(
    readonly host: ReactiveControllerHost & EventTarget,
    /** Called with each new session so the host can forward its events. */
    readonly bind: (session: RoomSession) => Array<() => void>,
  ) {
    host.addController(this);
  }

  /** The current session, or a new one made from `options`. */
  ensure(options: RoomSessionOptions): RoomSession {
    if (this.session) return this.session;
    const session = new RoomSession(options);
    this.session = session;
    this.#off = [session.on("change", () => this.host.requestUpdate()), ...this.bind(session)];
    this.host.requestUpdate(); // a new session is something to show (before any of its changes)
    return session;
  }

  /** Ends the current session (leave, camera off) and forgets it. */
  reset(): void {
    const session = this.session;
    this.session = null;
    for (const off of this.#off.splice(0)) off();
    session?.close();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.#connected = true;
  }

  hostDisconnected(): void {
    this.#connected = false;
    setTimeout(() => {
      if (!this.#connected) this.reset();
    });
  }
}
