/** Shared helpers for the browser tests. */
import { until } from "../shared/until.ts";

export { until };

/** The real signaling server started by the test runner. */
export async function signalingUrl(): Promise<string> {
  const r = await fetch("/__signaling");
  return (await r.json()).url;
}

/** A room name no other test uses. */
export function uniqueRoom(prefix = "t"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Frames decoded so far by a connection's inbound video (from getStats). */
export async function framesDecoded(pc: RTCPeerConnection): Promise<number> {
  let total = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === "inbound-rtp" && s.kind === "video") total += s.framesDecoded ?? 0;
  });
  return total;
}

/**
 * Resolves once a video element is playing its stream: it knows the frame size
 * and its clock advances. (requestVideoFrameCallback would not fire in a
 * background page, and test files run side by side.)
 */
export async function frameRendered(video: HTMLVideoElement, timeoutMs = 10000): Promise<void> {
  await until(() => video.videoWidth > 0 && video.currentTime > 0, "video playing", timeoutMs);
}
