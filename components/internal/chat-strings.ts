/**
 * The chat panel's texts, which load as a chunk with it. Replaceable through `strings`
 * like every other text (see strings.ts).
 */
import { translator } from "./strings.ts";

export const CHAT_STRINGS = {
  send: "Send",
  messagePlaceholder: "Write a message",
  noMessages: "No messages yet.",
  charactersLeft: { one: "{n} character left", other: "{n} characters left" },
} as const;

export type ChatStringKey = keyof typeof CHAT_STRINGS;

/** Looks up one of these texts with the page's overrides, filling its placeholders. */
export const tc = translator(CHAT_STRINGS);
