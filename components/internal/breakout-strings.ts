/**
 * The texts of breakout groups (the panel, the bar above the stage, what is
 * said of them), which load with the call screen. Replaceable through
 * `strings` like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const BREAKOUT_STRINGS = {
  breakoutRooms: "Breakout rooms",
  groupCount: "Number of groups",
  assignHow: "How people get into groups",
  assignAuto: "Spread people evenly",
  assignHand: "Choose who goes where",
  assignChoose: "Let people pick a group",
  timeLimit: "Time limit in minutes (optional)",
  openBreakouts: "Open breakout rooms",
  closeBreakouts: "Close breakout rooms",
  groupName: "Group {n}",
  mainRoom: "Main room",
  groupFor: "Group for {name}",
  joinGroup: "Join {name}",
  returnToMain: "Return to main room",
  broadcastLabel: "Message to every group",
  sendBroadcast: "Send to all groups",
  youAreIn: "You are in {name}",
  groupsAreOpen: "Breakout rooms are open",
  timeLeft: "{time} left",
  closingSoon: "Breakout rooms close in one minute",
  broadcastFrom: "{name} to everyone: {text}",
  // Said to screen readers (a polite live region), never shown.
  movedInto: "You are now in {name}",
  backInMain: "You are back in the main room",
} as const;

export type BreakoutStringKey = keyof typeof BREAKOUT_STRINGS;

/** Looks up a breakout string with the page's overrides, filling its placeholders. */
export const tb = translator(BREAKOUT_STRINGS);
