/**
 * The rules for text that people see (display names, chat), shared by the
 * server, which enforces them, and the client, which checks before sending.
 * Imports only the limits.
 */
import { LIMITS } from "./messages.ts";

// C0 and C1 controls and DEL; names and rooms must not carry them.
// deno-lint-ignore no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// Chat keeps newlines and tabs; other controls are refused.
// deno-lint-ignore no-control-regex
export const CHAT_CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/**
 * Explicit direction controls (LRM, RLM, ALM, embeddings, overrides,
 * isolates). A name needs none of them to show right-to-left text, and with
 * them "Ana\u202Egnp.exe" shows as something it is not.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** What shows nothing: zero-width and format characters, tag characters, fillers, blanks, spaces. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\u2800]/gu;

/** True when the text shows at least one visible character. */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, "") !== "";
}

/** Counts code points, so an emoji is one character, as users expect. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** No lone surrogates: they render as garbage and break other systems' UTF-8. */
export function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

/** Validates a display name: returns it trimmed, or an error text. */
export function checkName(raw: unknown): { name: string } | { error: string } {
  if (typeof raw !== "string") return { error: "name must be a string" };
  const name = raw.trim();
  const n = charCount(name);
  if (n < 1 || n > LIMITS.nameMax) {
    return { error: `name must be 1–${LIMITS.nameMax} characters` };
  }
  if (CONTROL_CHARS.test(name)) {
    return { error: "name must not contain control characters" };
  }
  if (!isWellFormed(name)) return { error: "name must be well-formed Unicode" };
  if (BIDI_CONTROLS.test(name)) {
    return { error: "name must not contain text direction controls" };
  }
  if (!hasVisibleText(name)) return { error: "name must contain a visible character" };
  return { name };
}
