/**
 * A recording of the meeting, as this browser takes part in it. The room
 * says whether one runs and whose browser records it (everyone is told,
 * late joiners too); when it is ours, the recorder (a chunk) runs until the
 * room says it stopped or we leave, and then the file is offered.
 */
import type { RecordingInfo } from "../../../protocol/messages.ts";
import type { CallRecorder } from "../media/call-recorder.ts";
import { ClientErrorCode } from "../room-error.ts";
import { type RecordingFile, rosterId, type SessionContext } from "./session-types.ts";

export class CallRecording {
  /** The recording running in the room, if one is. */
  recording: RecordingInfo | null = null;
  /** Our last recording's file, until it is put aside. */
  file: RecordingFile | null = null;
  #recorder: Promise<CallRecorder | null> | null = null;

  constructor(readonly context: SessionContext) {}

  /** What the room says now (in `joined`, or `room-settings` with who changed it). */
  update(recording: RecordingInfo | undefined, by?: string): void {
    const was = this.recording;
    this.recording = recording ?? null;
    if (!was === !recording) return;
    const { context } = this;
    const who = by ? context.roster.get(rosterId(context, by)) ?? null : null;
    context.emit("recording", { recording: this.recording, by: who });
    if (recording?.by === context.selfId()) this.#start();
    else if (!recording) void this.finish();
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

  /** Out of the room: ours ends with us (and is offered); for this page, any recording is over. */
  reset(): void {
    if (this.recording) this.update(undefined);
    void this.finish();
  }
}
