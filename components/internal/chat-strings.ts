/**
 * The chat panel's texts, which load as a chunk with it. Replaceable through `strings`
 * like every other text (see strings.ts).
 */
import { lookup, type Texts } from "./strings.ts";

export const CHAT_STRINGS = {
  send: "Send",
  messagePlaceholder: "Write a message",
  noMessages: "No messages yet.",
  charactersLeft: { one: "{n} character left", other: "{n} characters left" },
} as const;

export type ChatStringKey = keyof typeof CHAT_STRINGS;

/** Looks up one of these texts with the page's overrides, filling `{n}`. */
export function tc(
  overrides: Texts | undefined,
  key: ChatStringKey,
  values: Record<string, string | number> = {},
): string {
  return lookup(CHAT_STRINGS, overrides, key, values);
}
