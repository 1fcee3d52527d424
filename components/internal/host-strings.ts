/**
 * The texts of the host tools, which load as a chunk with them. Replaceable
 * through `strings` like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const HOST_STRINGS = {
  mute: "Mute",
  breakoutMenu: "Breakout rooms",
  stopVideo: "Stop video",
  remove: "Remove",
  makeHost: "Make host",
  lowerHand: "Lower hand",
  hostMenu: "Host controls",
  lock: "Lock the room",
  unlock: "Unlock the room",
  lobbyOn: "Turn the lobby on",
  lobbyOff: "Turn the lobby off",
  muteAll: "Mute everyone",
  endForAll: "End for all",
  record: "Record the meeting",
  stopRecording: "Stop recording",
  waitingToJoin: "Waiting to join",
  wantsToJoin: "{name} wants to join",
  admit: "Admit",
  admitName: "Admit {name}",
  deny: "Deny",
  denyName: "Deny {name}",
  admitAll: "Admit all",
  confirmRemove: "Remove {name} from the meeting?",
  confirmEnd: "End the meeting for everyone?",
  cancel: "Cancel",
} as const;

export type HostStringKey = keyof typeof HOST_STRINGS;

/** Looks up a host-tools string with the page's overrides, filling its placeholders. */
export const th = translator(HOST_STRINGS);
