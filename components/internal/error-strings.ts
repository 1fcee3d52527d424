/**
 * What a visitor reads when something goes wrong, by error code, for
 * languages other than English. In English the banner shows the error's own
 * message, which says more (which device, which server); a page may still
 * replace any of these through `strings`. Never bundled: the views look the
 * key up in the texts in use (`error-<code>`), and this table is the
 * reference every translation is checked against.
 */
import type { RoomErrorCode } from "../core/room-error.ts";

export const ERROR_STRINGS = {
  "error-permission-denied":
    "Cannot use the camera or microphone: permission was denied. Allow them for this site in the browser, then try again.",
  "error-no-device": "Cannot use the camera or microphone: none was found.",
  "error-device-in-use": "Cannot use the camera or microphone: another app is using it.",
  "error-server-unreachable": "Cannot reach the meeting server. Check your connection.",
  "error-server-busy": "The meeting server is busy. Try again in a moment.",
  "error-unavailable": "The meeting server is unavailable right now. Try again in a moment.",
  "error-connection-failed": "Cannot connect the call. Trying again…",
  "error-screen-share-failed": "Cannot share the screen.",
  "error-unsupported":
    "Video calls do not work in this browser or on this page. You can still join to chat; for audio and video, open it in a current Chrome, Edge, Firefox or Safari.",
  "error-no-server": "Cannot join: this meeting is not set up (no server).",
  "error-room-full": "Cannot join: the room is full.",
  "error-room-locked": "Cannot join: the room is locked.",
  "error-denied": "The host did not let you in.",
  "error-unauthorized": "Cannot join: this room needs an invitation link.",
  "error-rate-limited": "Too much at once. Wait a moment, then try again.",
  "error-effect-stopped": "Your background effect was turned off: this device could not keep up.",
  "error-effect-failed":
    "Cannot turn the effect on in this browser. Your camera and microphone go on without it.",
} as const satisfies { [K in `error-${RoomErrorCode}`]?: string };

export type ErrorStringKey = keyof typeof ERROR_STRINGS;
