/**
 * A recording of the meeting, as this browser takes part in it. The room
 * says whether one runs and whose browser records it (everyone is told,
 * late joiners too); when it is ours, the recorder (a chunk) runs until the
 * room says it stopped or we leave, and then the file is offered.
 */
import type { RecordingInfo, RecordingReadyMessage, Role } from "../../../protocol/messages.ts";
import type { LocalMedia } from "../media/local-media.ts";
import type { CallRecorder } from "../media/call-recorder.ts";
import { ClientErrorCode } from "../room-error.ts";
import { type RecordingFile, rosterId, type SessionContext } from "./session-types.ts";

export class CallRecording {
  /** The recording running in the room, if one is. */
  recording: RecordingInfo | null = null;
  /** Our last recording's file, until it is put aside. */
  file: RecordingFile | null = null;
  /**
   * A recording that asks consent was running when we joined as a guest: our
   * microphone and camera stay off until we agree (what we had on, kept here).
   */
  asking: { audio: boolean; video: boolean } | null = null;
  #recorder: Promise<CallRecorder | null> | null = null;

  constructor(readonly context: SessionContext, readonly media: LocalMedia) {}

  /** In the room: a fresh join as a guest into a recording that asks consent is asked. */
  joined(recording: RecordingInfo | undefined, role: Role, resumed: boolean): void {
    if (recording?.consent && role !== "host" && !resumed && !this.asking) {
      this.asking = this.media.wants;
      this.#use({ audio: false, video: false });
    }
    this.update(recording);
  }

  /** We agree to be recorded: our microphone and camera come back as they were. */
  agree(): void {
    const asked = this.asking;
    this.asking = null;
    if (asked) this.#use(asked);
    this.context.changed();
  }

  #use(want: { audio: boolean; video: boolean }): void {
    this.media.setAudioEnabled(want.audio);
    void this.media.setVideoEnabled(want.video);
  }

  /** What the room says now (in `joined`, or `room-settings` with who changed it). */
  update(recording: RecordingInfo | undefined, by?: string): void {
    const was = this.recording;
    this.recording = recording ?? null;
    if (!was === !recording) return;
    const { context } = this;
    const who = by ? context.roster.get(rosterId(context, by)) ?? null : null;
    context.emit("recording", { recording: this.recording, by: who });
    if (recording?.by === context.selfId() && recording.mode === "browser") this.#start();
    else if (!recording) {
      if (this.asking) this.agree(); // nothing left to agree to: as they came in
      void this.finish();
    }
  }

  #start(): void {
    const { roster } = this.context;
    this.#recorder = import("../media/call-recorder.ts")
      .then(({ CallRecorder }) => new CallRecorder(() => roster.participants))
      .catch((e) => {
        // Nobody should see "Recording" for a recording that is not happening.
        this.context.send({ type: "moderate", action: "record-stop" });
        this.context.emit("error", {
          code: ClientErrorCode.RecordingFailed,
          message: `Cannot record: ${(e as Error)?.message ?? e}`,
        });
        return null;
      });
  }

  /** Our recording ends (stopped, or we are leaving): its file is offered. */
  async finish(): Promise<void> {
    const recorder = this.#recorder;
    this.#recorder = null;
    const file = await (await recorder)?.stop();
    if (!file) return;
    this.file = {
      url: URL.createObjectURL(file.blob),
      bytes: file.blob.size,
      durationMs: file.durationMs,
      mode: "browser",
      type: file.blob.type,
    };
    this.context.emit("recording-ready", { ...this.file });
    this.context.changed();
  }

  /** A server recording's files are made (told to hosts): links resolved against the server. */
  ready(msg: RecordingReadyMessage, server: string): void {
    const base = server.replace(/^ws/, "http");
    const link = (url: string) => new URL(url, base).href;
    this.file = {
      url: link(msg.url),
      bytes: msg.bytes,
      durationMs: msg.durationMs,
      mode: "server",
      type: "video/webm",
      people: msg.people.map((p) => ({ name: p.name, url: link(p.url) })),
    };
    this.context.emit("recording-ready", { ...this.file });
    this.context.changed();
  }

  /** The file was saved or declined: its notice goes (its URL stays valid). */
  putAside(): void {
    this.file = null;
    this.context.changed();
  }

  /** Out of the room: ours ends with us (and is offered); for this page, any recording is over. */
  reset(): void {
    this.update(undefined); // a recorder runs only while the room records: this finishes it too
  }
}
