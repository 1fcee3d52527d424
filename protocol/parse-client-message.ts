import {
  BREAKOUT_LIMITS,
  type BreakoutAction,
  BreakoutActions,
  type BreakoutAssignment,
  BreakoutAssignments,
  type BreakoutPlanRoom,
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
  type SfuConnection,
  SfuConnections,
  type SignalData,
  type StreamRole,
  StreamRoles,
  type VideoLayer,
  VideoLayers,
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

/** Most people an `sfu-view` may list: the largest room there is. */
export const SFU_VIEW_MAX = 200;

/** An m-line id as browsers make them ("0", "1", …); short, so it can go into SFU requests. */
const MID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

function parseSfu(raw: Record<string, unknown>): ParseResult {
  const bad = (why: string) => fail(ErrorCode.BadMessage, `Cannot negotiate with the SFU: ${why}`);
  const pc = raw.pc;
  if (!SfuConnections.includes(pc as SfuConnection)) return bad('pc must be "pub" or "sub"');
  const hasJsep = raw.jsep !== undefined;
  if (hasJsep === (raw.candidate !== undefined)) {
    return bad("send either jsep or candidate");
  }
  if (hasJsep) {
    const jsep = raw.jsep;
    const want = pc === "pub" ? "offer" : "answer";
    if (!isPlainObject(jsep) || jsep.type !== want || typeof jsep.sdp !== "string") {
      return bad(`jsep must be {type: "${want}", sdp} on ${pc}`);
    }
    let video: Partial<Record<StreamRole, string>> | undefined;
    if (raw.video !== undefined) {
      if (pc !== "pub" || !isPlainObject(raw.video)) {
        return bad("video must be an object of mids by role, with a pub offer");
      }
      video = {};
      for (const [role, mid] of Object.entries(raw.video)) {
        if (!StreamRoles.includes(role as StreamRole)) return bad(`unknown video role "${role}"`);
        if (typeof mid !== "string" || !MID_PATTERN.test(mid)) return bad("a mid must be short");
        video[role as StreamRole] = mid;
      }
    }
    return {
      ok: true,
      message: {
        type: "sfu",
        pc: pc as SfuConnection,
        jsep: { type: want, sdp: jsep.sdp },
        ...(video ? { video } : {}),
      },
    };
  }
  const candidate = raw.candidate;
  if (candidate !== null) {
    if (
      !isPlainObject(candidate) || typeof candidate.candidate !== "string" ||
      candidate.candidate.length > 1024 ||
      (candidate.sdpMid !== undefined && candidate.sdpMid !== null &&
        (typeof candidate.sdpMid !== "string" || !MID_PATTERN.test(candidate.sdpMid))) ||
      (candidate.sdpMLineIndex !== undefined && candidate.sdpMLineIndex !== null &&
        !(Number.isInteger(candidate.sdpMLineIndex) && (candidate.sdpMLineIndex as number) >= 0 &&
          (candidate.sdpMLineIndex as number) < 64))
    ) {
      return bad("candidate must be {candidate, sdpMid?, sdpMLineIndex?} or null");
    }
    const clean: SignalData = { candidate: candidate.candidate };
    if (typeof candidate.sdpMid === "string") clean.sdpMid = candidate.sdpMid;
    if (typeof candidate.sdpMLineIndex === "number") clean.sdpMLineIndex = candidate.sdpMLineIndex;
    return { ok: true, message: { type: "sfu", pc: pc as SfuConnection, candidate: clean } };
  }
  return { ok: true, message: { type: "sfu", pc: pc as SfuConnection, candidate: null } };
}

function parseSfuView(raw: Record<string, unknown>): ParseResult {
  const bad = (why: string) => fail(ErrorCode.BadMessage, `Cannot choose video: ${why}`);
  if (!isPlainObject(raw.video)) return bad("video must be an object of layers by peer id");
  const entries = Object.entries(raw.video);
  if (entries.length > SFU_VIEW_MAX) return bad(`at most ${SFU_VIEW_MAX} people`);
  const video: Record<string, VideoLayer> = Object.create(null);
  for (const [id, layer] of entries) {
    if (id.length < 1 || id.length > LIMITS.idMax) return bad("keys must be peer ids");
    if (!VideoLayers.includes(layer as VideoLayer)) return bad('a layer is "high" or "low"');
    video[id] = layer as VideoLayer;
  }
  return { ok: true, message: { type: "sfu-view", video } };
}

/** Chat text (and a host's broadcast): 1–2000 visible, well-formed characters. */
function checkChatText(text: unknown, what: string): string | ParseResult {
  const bad = (why: string) => fail(ErrorCode.BadMessage, `Cannot ${what}: text must ${why}`);
  if (typeof text !== "string") return bad("be a string");
  const n = charCount(text);
  if (text.trim() === "" || n > LIMITS.chatMax) return bad(`be 1–${LIMITS.chatMax} characters`);
  if (!isWellFormed(text)) return bad("be well-formed Unicode");
  if (CHAT_CONTROL_CHARS.test(text)) return bad("not contain control characters");
  if (!hasVisibleText(text)) return bad("show something");
  return text;
}

const isId = (v: unknown): v is string =>
  typeof v === "string" && v.length >= 1 && v.length <= LIMITS.idMax;

/** Most people a breakout plan may list in all: the largest room there is. */
const PLAN_PEOPLE_MAX = 200;

function parseBreakout(raw: Record<string, unknown>): ParseResult {
  const action = raw.action as BreakoutAction;
  const bad = (why: string) =>
    fail(ErrorCode.BadMessage, `Cannot ${action} breakout rooms: ${why}`);
  const group = (v: unknown): v is string | null => v === null || isId(v);
  switch (action) {
    case "open": {
      const { rooms, assign, seconds } = raw;
      if (!Array.isArray(rooms) || rooms.length < 1 || rooms.length > BREAKOUT_LIMITS.groupsMax) {
        return bad(`rooms must list 1–${BREAKOUT_LIMITS.groupsMax} groups`);
      }
      if (!(BreakoutAssignments as readonly unknown[]).includes(assign)) {
        return bad(`assign must be one of ${BreakoutAssignments.join(", ")}`);
      }
      const { secondsMin: min, secondsMax: max } = BREAKOUT_LIMITS;
      if (
        seconds !== undefined &&
        !(Number.isInteger(seconds) && (seconds as number) >= min && (seconds as number) <= max)
      ) {
        return bad(`seconds must be a whole number from ${min} to ${max}`);
      }
      const plan: BreakoutPlanRoom[] = [];
      let listed = 0;
      for (const room of rooms) {
        if (!isPlainObject(room)) return bad("each group must be {name, people?}");
        const checked = checkName(room.name);
        if ("error" in checked) return bad(`a group's ${checked.error}`);
        const people = room.people;
        if (people !== undefined && (!Array.isArray(people) || !people.every(isId))) {
          return bad("a group's people must be a list of peer ids");
        }
        listed += people?.length ?? 0;
        if (listed > PLAN_PEOPLE_MAX) return bad(`at most ${PLAN_PEOPLE_MAX} people in all`);
        plan.push({ name: checked.name, ...(people ? { people: [...people] } : {}) });
      }
      return {
        ok: true,
        message: {
          type: "breakout",
          action,
          rooms: plan,
          assign: assign as BreakoutAssignment,
          ...(seconds !== undefined ? { seconds: seconds as number } : {}),
        },
      };
    }
    case "move":
      if (!isId(raw.to)) return bad("to must be a peer id");
      if (!group(raw.room)) return bad("room must be a group's id, or null for the main room");
      return { ok: true, message: { type: "breakout", action, to: raw.to, room: raw.room } };
    case "join":
      if (!group(raw.room)) return bad("room must be a group's id, or null for the main room");
      return { ok: true, message: { type: "breakout", action, room: raw.room } };
    case "broadcast": {
      const text = checkChatText(raw.text, "broadcast");
      if (typeof text !== "string") return text;
      return { ok: true, message: { type: "breakout", action, text } };
    }
    case "close":
      return { ok: true, message: { type: "breakout", action } };
    default:
      return fail(
        ErrorCode.BadMessage,
        `Cannot use breakout rooms: action must be one of ${BreakoutActions.join(", ")}`,
      );
  }
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
    case "sfu":
      return parseSfu(raw);
    case "sfu-view":
      return parseSfuView(raw);
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
      if (raw.media !== undefined && raw.media !== "none") {
        return fail(ErrorCode.BadMessage, 'Cannot join: media must be "none" or absent');
      }
      return {
        ok: true,
        message: {
          type: "join",
          room: raw.room,
          name: checked.name,
          ...(resume ? { resume } : {}),
          ...(token ? { token } : {}),
          ...(raw.media === "none" ? { media: "none" as const } : {}),
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
      const text = checkChatText(raw.text, "send chat");
      if (typeof text !== "string") return text;
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
    case "breakout":
      return parseBreakout(raw);
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
