/**
 * What this browser can do in a call, asked before joining: without WebRTC
 * (some embedded browsers, WebKit builds without it) nobody can be connected
 * to, so the person joins for chat, hands and reactions, and the others are
 * told not to try (`media: "none"`); without camera access (not a secure
 * context) they can still watch and listen.
 */
import { ClientErrorCode, type RoomErrorDetail } from "../room-error.ts";

export interface CallSupport {
  /** Media can be sent and received (RTCPeerConnection exists). */
  calls: boolean;
  /** Camera and microphone can be asked for (a secure context with getUserMedia). */
  devices: boolean;
  /** Why not, and what to do: the `unsupported` error to show, or null when all is well. */
  problem: RoomErrorDetail | null;
}

export function callSupport(g: typeof globalThis = globalThis): CallSupport {
  const calls = typeof g.RTCPeerConnection === "function";
  const secure = g.isSecureContext !== false;
  const devices = secure && typeof g.navigator?.mediaDevices?.getUserMedia === "function";
  const problem = !calls
    ? {
      code: ClientErrorCode.Unsupported,
      message:
        "Cannot make video calls in this browser: it has no WebRTC. You can still join to chat; for audio and video, open this page in a current Chrome, Edge, Firefox or Safari",
    }
    : !devices
    ? {
      code: ClientErrorCode.Unsupported,
      message: secure
        ? "Cannot use the camera or microphone: this browser gives pages no access to them. You can still watch and listen"
        : "Cannot use the camera or microphone: this page is not secure (it needs HTTPS). You can still watch and listen",
    }
    : null;
  return { calls, devices, problem };
}
