/**
 * Where a <video-room> connects, and whether its attributes let it: the
 * signaling URL resolved against the page, and the mistakes caught before
 * any connection (a room name the server would refuse; a copy loaded from a
 * CDN with no `server` to say where the rooms are).
 */
import { ROOM_PATTERN } from "../../protocol/messages.ts";
import type { RoomErrorDetail } from "../core/room-error.ts";

/** The signaling URL: the `server` attribute resolved against the page, or `/ws` here. */
export function resolveServerUrl(server: string | null | undefined, base: string): string {
  const url = new URL(server || "/ws", base);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  return url.href;
}

/** Where this script was loaded from (a CDN, or the signaling server that serves it). */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/** Why these attributes cannot join, or null. */
export function setupError(room: string, server: string): RoomErrorDetail | null {
  if (!ROOM_PATTERN.test(room)) {
    return {
      code: "bad-room",
      message: `Cannot join: room "${room}" must be 1–64 characters of A–Z, a–z, 0–9, _ and -`,
    };
  }
  // A copy from a CDN cannot guess where the signaling server is: the page's own /ws is
  // almost never it, and a failed connection would not say why.
  if (!server && SCRIPT_ORIGIN !== location.origin) {
    return {
      code: "no-server",
      message:
        `Cannot join: set the server attribute (video-room.js came from ${SCRIPT_ORIGIN}, which does not host the room)`,
    };
  }
  return null;
}
