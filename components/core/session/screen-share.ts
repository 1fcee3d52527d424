/**
 * Our shared screen: the capture is a chunk, loaded on the first share.
 * When it starts or stops (also from the browser's own "Stop sharing" bar)
 * the transport sends it or stops, our tile shows it, and the session is
 * told; a refusal or failure is an error.
 */
import type { ScreenCapture } from "../media/screen-capture.ts";
import type { RoomErrorDetail } from "../room-error.ts";
import type { MediaTransport } from "../transport/media-transport.ts";
import { LOCAL_ID, type SessionContext } from "./session-types.ts";

export class ScreenShare {
  #capture: ScreenCapture | null = null;
  #off: (() => void) | null = null;

  constructor(
    readonly context: SessionContext,
    readonly transport: () => MediaTransport | null,
    /** Our state (audio, video, screen) changed: everyone is told. */
    readonly stateChanged: () => void,
    readonly failed: (error: RoomErrorDetail) => void,
  ) {}

  /** The shared screen, while sharing. */
  get stream(): MediaStream | null {
    return this.#capture?.stream ?? null;
  }

  async start(): Promise<void> {
    if (!this.#capture) {
      const { ScreenCapture } = await import("../media/screen-capture.ts");
      if (!this.#capture) {
        this.#capture = new ScreenCapture();
        this.#off = this.#capture.on("change", (s) => this.#changed(s));
      }
    }
    const err = await this.#capture.start();
    if (err) this.failed(err);
  }

  stop(): void {
    this.#capture?.stop();
  }

  #changed(stream: MediaStream | null): void {
    this.transport()?.setScreen(stream);
    this.context.roster.update(LOCAL_ID, { screen: stream });
    this.context.emit("screen-share", stream !== null);
    this.stateChanged();
  }

  /** Stops sharing and stops listening (the session is done). */
  close(): void {
    this.stop();
    this.#off?.();
  }
}
