import { canShareScreen } from "./can-share-screen.ts";
import { Emitter } from "../emitter.ts";
import { ClientErrorCode, mediaError, type RoomErrorDetail } from "../room-error.ts";

export interface ScreenCaptureEvents extends Record<string, unknown> {
  /** Sharing began (stream) or ended (null), however it ended. */
  change: MediaStream | null;
}

/**
 * The local screen share. Stopping from the browser's own "Stop sharing" bar
 * ends the track; that is caught here so everything else sees one `change`.
 */
export class ScreenCapture extends Emitter<ScreenCaptureEvents> {
  stream: MediaStream | null = null;

  async start(): Promise<RoomErrorDetail | null> {
    if (this.stream) return null;
    if (!canShareScreen()) {
      return {
        code: ClientErrorCode.Unsupported,
        message: "Cannot share the screen: this browser does not support it",
      };
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { ideal: 15, max: 30 } },
        audio: false,
      });
    } catch (err) {
      const e = mediaError(err, "screen sharing");
      return {
        code: e.code === "permission-denied" ? e.code : ClientErrorCode.ScreenShareFailed,
        message: e.message,
      };
    }
    const track = stream.getVideoTracks()[0];
    track.contentHint = "detail";
    track.addEventListener("ended", () => this.stop());
    this.stream = stream;
    this.emit("change", stream);
    return null;
  }

  stop(): void {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    for (const t of stream.getTracks()) t.stop();
    this.emit("change", null);
  }
}
