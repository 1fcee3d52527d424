import type { ErrorCode } from "../../protocol/messages.ts";

/** Client-side failure codes, beside the server's protocol codes. */
export const ClientErrorCode = {
  PermissionDenied: "permission-denied",
  NoDevice: "no-device",
  DeviceInUse: "device-in-use",
  ServerUnreachable: "server-unreachable",
  ServerBusy: "server-busy",
  ConnectionFailed: "connection-failed",
  ScreenShareFailed: "screen-share-failed",
  /** This browser could not record the meeting (the room was told it stopped). */
  RecordingFailed: "recording-failed",
  Unsupported: "unsupported",
  /** A background or noise suppression could not be loaded or had to stop; the media goes on as captured. */
  EffectFailed: "effect-failed",
  /** This device could not keep the background effect up: it was turned off. */
  EffectStopped: "effect-stopped",
  /** The bundle came from another origin (a CDN) and no `server` attribute says where to go. */
  NoServer: "no-server",
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export type RoomErrorCode = ClientErrorCode | ErrorCode;

/** The `detail` of a `room-error` event: a stable code and a "Cannot X: Y" message. */
export interface RoomErrorDetail {
  code: RoomErrorCode;
  message: string;
}

/** Maps a getUserMedia / getDisplayMedia failure to an explained error. */
export function mediaError(err: unknown, what: string): RoomErrorDetail {
  const name = (err as { name?: string })?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return {
        code: ClientErrorCode.PermissionDenied,
        message: `Cannot use ${what}: permission was denied`,
      };
    case "NotFoundError":
    case "OverconstrainedError":
      return { code: ClientErrorCode.NoDevice, message: `Cannot use ${what}: no device found` };
    case "NotReadableError":
    case "AbortError":
      return {
        code: ClientErrorCode.DeviceInUse,
        message: `Cannot use ${what}: the device is in use or unavailable`,
      };
    case "TypeError":
      return {
        code: ClientErrorCode.Unsupported,
        message: `Cannot use ${what}: this page is not secure (HTTPS is required)`,
      };
    default:
      return {
        code: ClientErrorCode.NoDevice,
        message: `Cannot use ${what}: ${(err as Error)?.message ?? String(err)}`,
      };
  }
}
