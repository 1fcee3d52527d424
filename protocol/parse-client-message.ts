import {
  type ClientMessage,
  ErrorCode,
  LIMITS,
  type MediaState,
  MODERATE_TARGETED,
  type ModerateAction,
  ModerateActions,
  type Reaction,
  REACTIONS,
  ROOM_PATTERN,
  type SignalData,
} from "./messages.ts";
import {
  charCount,
  CHAT_CONTROL_CHARS,
  checkName,
  hasVisibleText,
  isWellFormed,
} from "./text-rules.ts";

export { charCount, checkName, hasVisibleText };

/** The result of reading one frame: a typed message or an error to send back. */
export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(code: ErrorCode, message: string): ParseResult {
  return { ok: false, code, message };
}

export function isValidRoom(room: unknown): room is string {
  return typeof room === "string" && ROOM_PATTERN.test(room);
}

function parseState(raw: unknown): MediaState | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { audio, video, screen } = raw;
  if (
    typeof audio !== "boolean" || typeof video !== "boolean" ||
    typeof screen !== "boolean"
  ) return undefined;
  return { audio, video, screen };
}

/**
 * Reads one text frame from a client. Never throws: every malformed input
 * becomes an error result. The returned message holds only known fields,
 * copied into fresh objects, so nothing the client adds (e.g. `__proto__`,
 * a forged `from`) travels further — except `signal.data`, which is opaque by
 * design and relayed as the JSON it arrived as.
 */
export function parseClientMessage(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(ErrorCode.BadMessage, "Cannot read message: not valid JSON");
  }
  if (!isPlainObject(raw)) {
    return fail(ErrorCode.BadMessage, "Cannot read message: not a JSON object");
  }
  switch (raw.type) {
    case "join": {
      if (!isValidRoom(raw.room)) {
        return fail(
          ErrorCode.BadRoom,
          "Cannot join: room must be 1–64 characters of A–Z, a–z, 0–9, _ and -",
        );
      }
      const checked = checkName(raw.name);
      if ("error" in checked) {
        return fail(ErrorCode.BadName, `Cannot join: ${checked.error}`);
      }
      const resume = raw.resume;
      if (
        resume !== undefined &&
        (typeof resume !== "string" || resume.length > LIMITS.tokenMax)
      ) {
        return fail(
          ErrorCode.BadMessage,
          `Cannot join: resume must be a string of at most ${LIMITS.tokenMax} characters`,
        );
      }
      const token = raw.token;
      if (
        token !== undefined && (typeof token !== "string" || token.length > LIMITS.tokenMax)
      ) {
        return fail(
          ErrorCode.BadMessage,
          `Cannot join: token must be a string of at most ${LIMITS.tokenMax} characters`,
        );
      }
      return {
        ok: true,
        message: {
          type: "join",
          room: raw.room,
          name: checked.name,
          ...(resume ? { resume } : {}),
          ...(token ? { token } : {}),
        },
      };
    }
    case "signal": {
      const { to, data } = raw;
      if (typeof to !== "string" || to.length < 1 || to.length > LIMITS.idMax) {
        return fail(ErrorCode.BadMessage, "Cannot relay signal: to must be a peer id");
      }
      if (!isPlainObject(data)) {
        return fail(ErrorCode.BadMessage, "Cannot relay signal: data must be a JSON object");
      }
      return { ok: true, message: { type: "signal", to, data: data as SignalData } };
    }
    case "chat": {
      const text = raw.text;
      if (typeof text !== "string") {
        return fail(ErrorCode.BadMessage, "Cannot send chat: text must be a string");
      }
      const n = charCount(text);
      if (text.trim() === "" || n > LIMITS.chatMax) {
        return fail(
          ErrorCode.BadMessage,
          `Cannot send chat: text must be 1–${LIMITS.chatMax} characters`,
        );
      }
      if (!isWellFormed(text)) {
        return fail(ErrorCode.BadMessage, "Cannot send chat: text must be well-formed Unicode");
      }
      if (CHAT_CONTROL_CHARS.test(text)) {
        return fail(
          ErrorCode.BadMessage,
          "Cannot send chat: text must not contain control characters",
        );
      }
      if (!hasVisibleText(text)) {
        return fail(ErrorCode.BadMessage, "Cannot send chat: text must show something");
      }
      return { ok: true, message: { type: "chat", text } };
    }
    case "state": {
      const state = parseState(raw.state);
      if (!state) {
        return fail(
          ErrorCode.BadMessage,
          "Cannot update state: state must be {audio, video, screen} booleans",
        );
      }
      return { ok: true, message: { type: "state", state } };
    }
    case "leave":
      return { ok: true, message: { type: "leave" } };
    case "moderate": {
      const action = raw.action as ModerateAction;
      if (!(ModerateActions as readonly unknown[]).includes(action)) {
        return fail(
          ErrorCode.BadMessage,
          `Cannot moderate: action must be one of ${ModerateActions.join(", ")}`,
        );
      }
      if (!MODERATE_TARGETED.includes(action)) {
        return { ok: true, message: { type: "moderate", action } };
      }
      const to = raw.to;
      if (typeof to !== "string" || to.length < 1 || to.length > LIMITS.idMax) {
        return fail(ErrorCode.BadMessage, `Cannot moderate: ${action} needs "to", a peer id`);
      }
      return { ok: true, message: { type: "moderate", action, to } };
    }
    case "hand":
      if (typeof raw.raised !== "boolean") {
        return fail(ErrorCode.BadMessage, "Cannot raise or lower a hand: raised must be a boolean");
      }
      return { ok: true, message: { type: "hand", raised: raw.raised } };
    case "react": {
      const emoji = raw.emoji as Reaction;
      if (!(REACTIONS as readonly unknown[]).includes(emoji)) {
        return fail(
          ErrorCode.BadMessage,
          `Cannot react: emoji must be one of ${REACTIONS.join(" ")}`,
        );
      }
      return { ok: true, message: { type: "react", emoji } };
    }
    default:
      return fail(
        ErrorCode.BadMessage,
        typeof raw.type === "string"
          ? `Cannot read message: unknown type "${raw.type.slice(0, 32)}"`
          : "Cannot read message: type must be a string",
      );
  }
}
