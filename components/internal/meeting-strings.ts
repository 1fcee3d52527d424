/**
 * The texts of the call screen (menus, participants, reactions,
 * picture-in-picture, the screens after a call), which load as a chunk with it. Replaceable through
 * `strings` like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const MEETING_STRINGS = {
  // The screens of a room one is not in, the pages of the grid, the panels.
  rejoin: "Rejoin",
  retry: "Try again",
  left: "You left the room.",
  failed: "Could not join the room.",
  participants: "Participants",
  waitingRoom: "Waiting for the host to let you in…",
  removed: "You were removed from the meeting.",
  ended: "The host ended the meeting.",
  previousPage: "Previous page",
  nextPage: "Next page",
  pageOf: "Page {n} of {total}",
  chatUnread: "Chat, {n} unread",
  pin: "Pin",
  unpin: "Unpin",
  tileMenu: "More actions for {name}",
  raiseHand: "Raise hand",
  lowerHand: "Lower hand",
  reactions: "Reactions",
  react: "React with {emoji}",
  more: "More options",
  moreUnread: "More options, {n} unread",
  chatWithUnread: "Chat ({n} unread)",
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
  openChatFrom: "Open the chat: {name} wrote: {text}",
  inPictureInPicture: "The meeting is showing in a picture-in-picture window.",
  backToPage: "Back to the page",
  pipFailed: "Cannot open picture-in-picture: {reason}",
  recordingNow: "Recording",
  recordingReady: "Your recording is ready.",
  downloadRecording: "Download the recording",
  consentTitle: "This meeting is being recorded",
  consentText: "Your microphone and camera stay off until you agree to be recorded.",
  consentAgree: "Agree and continue",
  // Said to screen readers (a polite live region), never shown.
  personJoined: "{name} joined",
  personLeft: "{name} left",
  peopleJoined: { one: "{n} person joined", other: "{n} people joined" },
  peopleLeft: { one: "{n} person left", other: "{n} people left" },
  handRaisedBy: "{name} raised their hand",
  messageFrom: "{name} wrote: {text}",
  recordingStartedBy: "{name} started recording the meeting",
  recordingStopped: "The recording stopped",
} as const;

export type MeetingStringKey = keyof typeof MEETING_STRINGS;

/** Looks up a meeting-tools string with the page's overrides, filling its placeholders. */
export const tm = translator(MEETING_STRINGS);
