import type { BreakoutStringKey } from "./breakout-strings.ts";
import type { ChatStringKey } from "./chat-strings.ts";
import type { EffectStringKey } from "./effect-strings.ts";
import type { ErrorStringKey } from "./error-strings.ts";
import type { HostStringKey } from "./host-strings.ts";
import type { MeetingStringKey } from "./meeting-strings.ts";
import type { ScreenShareStringKey } from "./screen-share-strings.ts";

/**
 * A text whose words follow a number: one form per plural category of the
 * language (`Intl.PluralRules`: zero, one, two, few, many, other), `{n}`
 * filled with the number as the language writes it.
 */
export interface Plural {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Text = string | Plural;

/**
 * Every visible string, in English. Other languages are chunks of their own
 * (i18n/locales/); a host page replaces any text through the `strings`
 * property. `{name}` and `{n}` are filled in.
 */
export const DEFAULT_STRINGS = {
  join: "Join",
  leave: "Leave",
  yourName: "Your name",
  joinTitle: "Ready to join?",
  roomLabel: "Room {name}",
  microphone: "Microphone",
  camera: "Camera",
  chat: "Chat",
  you: "{name} (you)",
  screenOf: "{name}'s screen",
  connecting: "Connecting…",
  reconnecting: "Connection lost. Reconnecting…",
  micOff: "Microphone off",
  cameraOff: "Camera off",
  speaking: "Speaking",
  peerConnecting: "Connecting…",
  peerNoMedia: "No audio or video in this browser",
  peerLost: "Connection lost",
  playSound: "Play sound from {name}",
  dismiss: "Dismiss",
  settings: "Settings",
  mutedBy: "{name} muted your microphone",
  videoStoppedBy: "{name} turned off your camera",
  aHost: "A host",
  handRaised: "Hand raised",
  qualityGood: "Good connection",
  qualityFair: "Fair connection",
  qualityPoor: "Poor connection",
  unstable: "Your connection is unstable",
} as const;

export type StringKey = keyof typeof DEFAULT_STRINGS;
/**
 * Every replaceable text: these (what the pre-join screen and the tiles
 * need), the call's (meeting-strings.ts), the host tools' (host-strings.ts),
 * the chat panel's (chat-strings.ts) and the screen share button's
 * (screen-share-strings.ts), the media settings' (effect-strings.ts), each loaded with its chunk, and the errors' as
 * other languages say them (error-strings.ts).
 */
export type RoomStrings = {
  [
    K in
      | StringKey
      | MeetingStringKey
      | HostStringKey
      | ChatStringKey
      | ScreenShareStringKey
      | ErrorStringKey
      | BreakoutStringKey
      | EffectStringKey
  ]: Text;
};

/** Where the texts in use say which language they are (for plurals, numbers and times). */
export const LANG: unique symbol = Symbol.for("video-room.lang");

/** The texts a view uses: the chosen language's with the page's own on top, and the language. */
export type Texts = Partial<RoomStrings> & { readonly [LANG]?: string };

const pluralRules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();
/** One formatter per language, made on first use. */
function cached<T>(map: Map<string, T>, lang: string, make: (lang: string) => T): T {
  let value = map.get(lang);
  if (!value) map.set(lang, value = make(lang));
  return value;
}

/** A number as the language in use writes it (badges beside texts that say it). */
export function formatNumber(texts: Texts | undefined, n: number): string {
  return cached(numbers, texts?.[LANG] ?? "en", (l) => new Intl.NumberFormat(l)).format(n);
}

/**
 * A string of `table`, or the host page's override of it, with `{name}` / `{n}`
 * filled (numbers as the language writes them; a plural text picks the form
 * for `n`): the one lookup behind `t`, and the chunks' `th` and `tm`.
 */
export function lookup<K extends keyof RoomStrings>(
  table: Readonly<Record<K, Text>>,
  overrides: Texts | undefined,
  key: K,
  values: Record<string, string | number> = {},
): string {
  const lang = overrides?.[LANG] ?? "en";
  let text = overrides?.[key] ?? table[key];
  if (typeof text !== "string") {
    const form = cached(pluralRules, lang, (l) => new Intl.PluralRules(l)).select(Number(values.n));
    text = text[form] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (m, k) => {
    const v = values[k];
    if (v === undefined) return m;
    return typeof v === "number" ? formatNumber(overrides, v) : v;
  });
}

/** A table's own lookup (`t`, and the chunks' `tm`, `th`, `tc`, `tsc`): keys checked against it. */
export function translator<K extends keyof RoomStrings>(table: Readonly<Record<K, Text>>) {
  return (overrides: Texts | undefined, key: K, values: Record<string, string | number> = {}) =>
    lookup(table, overrides, key, values);
}

/** Looks up a string with the host's overrides, filling `{name}` / `{n}`. */
export const t = translator(DEFAULT_STRINGS);
