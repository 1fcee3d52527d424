/**
 * The screen share button's texts, which load as a chunk with it (and with the call's phone menu). Replaceable through `strings`
 * like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const SCREEN_SHARE_STRINGS = {
  shareScreen: "Share screen",
  stopSharing: "Stop sharing",
  screenUnsupported: "Screen sharing is not supported in this browser",
} as const;

export type ScreenShareStringKey = keyof typeof SCREEN_SHARE_STRINGS;

/** Looks up one of these texts with the page's overrides, filling its placeholders. */
export const tsc = translator(SCREEN_SHARE_STRINGS);
