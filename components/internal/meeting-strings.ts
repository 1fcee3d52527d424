/**
 * The texts of the meeting tools (menus, participants, reactions,
 * picture-in-picture), which load as a chunk with them. Replaceable through
 * `strings` like every other text (see strings.ts).
 */
import { lookup, type RoomStrings } from "./strings.ts";

export const MEETING_STRINGS = {
  pin: "Pin",
  unpin: "Unpin",
  tileMenu: "More actions for {name}",
  raiseHand: "Raise hand",
  lowerHand: "Lower hand",
  reactions: "Reactions",
  react: "React with {emoji}",
  more: "More options",
  gridView: "Grid view",
  speakerView: "Speaker view",
  autoView: "Automatic layout",
  pictureInPicture: "Picture-in-picture",
  participantCount: "Participants, {n}",
  host: "host",
  handUp: "hand raised",
  micOffShort: "muted",
  cameraOffShort: "camera off",
  close: "Close",
  openChat: "Open the chat",
  inPictureInPicture: "The meeting is showing in a picture-in-picture window.",
  backToPage: "Back to the page",
  pipFailed: "Cannot open picture-in-picture: {reason}",
} as const;

export type MeetingStringKey = keyof typeof MEETING_STRINGS;

/** Looks up a meeting-tools string with the host page's overrides, filling `{name}` etc. */
export function tm(
  overrides: Partial<RoomStrings> | undefined,
  key: MeetingStringKey,
  values: Record<string, string | number> = {},
): string {
  return lookup(MEETING_STRINGS, overrides, key, values);
}
