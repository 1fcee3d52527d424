import type { HostStringKey } from "./host-strings.ts";
import type { MeetingStringKey } from "./meeting-strings.ts";

/**
 * Every visible string. A host page replaces any of them through the
 * `strings` property to translate the UI. `{name}` and `{n}` are filled in.
 */
export const DEFAULT_STRINGS = {
  join: "Join",
  leave: "Leave",
  rejoin: "Rejoin",
  retry: "Try again",
  yourName: "Your name",
  joinTitle: "Ready to join?",
  roomLabel: "Room {name}",
  microphone: "Microphone",
  camera: "Camera",
  chat: "Chat",
  shareScreen: "Share screen",
  stopSharing: "Stop sharing",
  screenUnsupported: "Screen sharing is not supported in this browser",
  you: "{name} (you)",
  screenOf: "{name}'s screen",
  connecting: "Connecting…",
  reconnecting: "Connection lost. Reconnecting…",
  left: "You left the room.",
  failed: "Could not join the room.",
  micOff: "Microphone off",
  cameraOff: "Camera off",
  speaking: "Speaking",
  peerConnecting: "Connecting…",
  peerNoMedia: "No audio or video in this browser",
  peerLost: "Connection lost",
  playSound: "Play sound from {name}",
  send: "Send",
  messagePlaceholder: "Write a message",
  noMessages: "No messages yet.",
  unread: "{n} unread",
  charactersLeft: "{n} characters left",
  participants: "Participants",
  dismiss: "Dismiss",
  settings: "Settings",
  waitingRoom: "Waiting for the host to let you in…",
  removed: "You were removed from the meeting.",
  ended: "The host ended the meeting.",
  mutedBy: "{name} muted your microphone",
  videoStoppedBy: "{name} turned off your camera",
  aHost: "A host",
  handRaised: "Hand raised",
  qualityGood: "Good connection",
  qualityFair: "Fair connection",
  qualityPoor: "Poor connection",
  unstable: "Your connection is unstable",
  previousPage: "Previous page",
  nextPage: "Next page",
  pageOf: "Page {n} of {total}",
} as const;

export type StringKey = keyof typeof DEFAULT_STRINGS;
/**
 * Every replaceable text: these, the host tools' (host-strings.ts) and the
 * meeting tools' (meeting-strings.ts), each loaded with its chunk.
 */
export type RoomStrings = { [K in StringKey | HostStringKey | MeetingStringKey]: string };

/**
 * A string of `table`, or the host page's override of it, with `{name}` / `{n}`
 * filled: the one lookup behind `t`, and the chunks' `th` and `tm`.
 */
export function lookup<K extends keyof RoomStrings>(
  table: Readonly<Record<K, string>>,
  overrides: Partial<RoomStrings> | undefined,
  key: K,
  values: Record<string, string | number> = {},
): string {
  const text = overrides?.[key] ?? table[key];
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/** Looks up a string with the host's overrides, filling `{name}` / `{n}`. */
export function t(
  overrides: Partial<RoomStrings> | undefined,
  key: StringKey,
  values: Record<string, string | number> = {},
): string {
  return lookup(DEFAULT_STRINGS, overrides, key, values);
}
