/**
 * Devices changed while they run, for LocalMedia: switching camera or
 * microphone (the settings), and taking back what a phone ended while the
 * page was hidden. A chunk: most calls never need either. Peers get the new
 * track without renegotiation.
 */
import { mediaError } from "../room-error.ts";
import type { LocalMedia } from "./local-media.ts";

/**
 * The old device is let go first, because iOS allows one capture at a time
 * (asking for the second camera while the first runs fails or silences the
 * first); if the new one cannot be had, the old one is taken back.
 */
export async function switchDevice(
  media: LocalMedia,
  kind: "audio" | "video",
  deviceId: string,
): Promise<void> {
  const previous = kind === "audio" ? media.audioDeviceId : media.videoDeviceId;
  if (kind === "audio") media.audioDeviceId = deviceId;
  else media.videoDeviceId = deviceId;
  if (kind === "video" && !media.videoEnabled) return; // used when the camera turns on
  const old = media.track(kind);
  const was = old?.getSettings().deviceId ?? previous;
  // Stopped, not removed: peers keep the sender until the new track replaces it.
  old?.stop();
  try {
    media.adopt(kind, await media.capture({ [kind]: media.constraints(kind) }));
  } catch (err) {
    media.report(mediaError(err, kind === "audio" ? "the microphone" : "the camera"));
    if (kind === "audio") media.audioDeviceId = previous;
    else media.videoDeviceId = previous;
    try {
      const any = media.constraints(kind, false);
      const back = was ? { ...any, deviceId: { exact: was } } : any;
      media.adopt(kind, await media.capture({ [kind]: back }));
    } catch {
      media.lose(kind); // neither: honest "off" rather than a dead track
    }
  }
}

/**
 * Back in view: what the system ended while the page was hidden (and
 * whether it was on) is asked for again and turned back on; the microphone
 * keeps its mute state.
 */
export async function recoverDevices(
  media: LocalMedia,
  lost: Array<["audio" | "video", boolean]>,
): Promise<void> {
  for (const [kind, on] of lost) {
    if (media.stream.getTracks().some((t) => t.kind === kind)) continue; // already back
    try {
      const s = await media.capture({ [kind]: media.constraints(kind) });
      if (kind === "video") media.videoEnabled = true;
      else media.audioEnabled = on;
      media.adopt(kind, s);
    } catch (err) {
      media.report(mediaError(err, kind === "audio" ? "the microphone" : "the camera"));
    }
  }
}
