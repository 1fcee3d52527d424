/**
 * Our camera, microphone and screen as the call uses them: started once
 * (for the preview, or on join), their tracks handed to the transport as
 * they change, and our state (audio, video, screen) kept on our tile and told
 * to everyone whenever it changes.
 */
import type { LocalMedia } from "../media/local-media.ts";
import type { RoomErrorDetail } from "../room-error.ts";
import type { SpeakerTracking } from "../speakers/speaker-tracking.ts";
import type { MediaTransport } from "../transport/media-transport.ts";
import { LOCAL_ID, type SessionContext } from "./session-types.ts";

export class OwnMedia {
  #started: Promise<unknown> | null = null;
  readonly #off: Array<() => void>;

  constructor(
    readonly context: SessionContext,
    readonly media: LocalMedia,
    /** The screen we share now, if any. */
    readonly screen: () => MediaStream | null,
    speakers: SpeakerTracking,
    transport: () => MediaTransport | null,
    error: (e: RoomErrorDetail) => void,
  ) {
    this.#off = [
      media.on("track", ({ kind, track }) => {
        // Before the transport exists there is no link to update: links start with the current tracks.
        transport()?.replaceTrack(kind, track);
        // The only moment the analyser needs rebuilding: a new (or no) microphone track.
        if (kind === "audio") speakers.watch(LOCAL_ID, media.stream);
      }),
      media.on("change", () => this.stateChanged()),
      media.on("devices", () => context.changed()),
      media.on("error", error),
    ];
  }

  /** Starts camera and microphone, once. */
  start(): Promise<unknown> {
    return this.#started ??= this.media.start();
  }

  /** Our state changed (a toggle, a device lost, a screen shared): our tile and everyone hear it. */
  stateChanged(): void {
    this.context.roster.update(LOCAL_ID, {
      state: {
        audio: this.media.audioEnabled,
        video: this.media.videoEnabled,
        screen: this.screen() !== null,
      },
    });
    this.sendState();
    this.context.changed(); // the toggles read LocalMedia, which the roster does not hold
  }

  sendState(): void {
    this.context.send({ type: "state", state: { ...this.context.roster.get(LOCAL_ID)!.state } });
  }

  dispose(): void {
    for (const off of this.#off.splice(0)) off();
  }
}
