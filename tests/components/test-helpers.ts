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

let screenCapture: Promise<boolean> | undefined;

/**
 * Whether this browser can capture a (fake) screen in a test: Chromium's fake
 * display does; Firefox headless has no screen to offer (NotFoundError, even
 * after a real click). Asked once, after a real click (the user gesture
 * Firefox requires), and the capture is stopped at once. Screen-share tests
 * skip, saying why, where it cannot: the mixed-browser e2e tests show
 * Firefox receiving a screen instead.
 */
export function canCaptureScreen(): Promise<boolean> {
  return screenCapture ??= (async () => {
    const { sendMouse } = await import("@web/test-runner-commands");
    const button = document.createElement("button");
    button.textContent = "probe";
    button.style.cssText = "position:fixed;left:0;top:0;width:40px;height:20px;z-index:9999";
    document.body.append(button);
    const tried = new Promise<boolean>((resolve) => {
      button.onclick = () =>
        navigator.mediaDevices.getDisplayMedia({ video: true }).then((s) => {
          for (const t of s.getTracks()) t.stop();
          resolve(true);
        }, () => resolve(false));
    });
    await sendMouse({ type: "click", position: [20, 10] });
    const ok = await tried;
    button.remove();
    return ok;
  })();
}
