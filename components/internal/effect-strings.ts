/**
 * The texts of the media settings (cameras, microphones, noise suppression,
 * background), which load with their panel. Replaceable through `strings`
 * like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const EFFECT_STRINGS = {
  noiseSuppression: "Noise suppression",
  background: "Background",
  backgroundNone: "None",
  backgroundBlur: "Blur",
  backgroundPicture: "Picture {n}",
} as const;

export type EffectStringKey = keyof typeof EFFECT_STRINGS;

/** Looks up a media settings string with the page's overrides, filling its placeholders. */
export const te = translator(EFFECT_STRINGS);
