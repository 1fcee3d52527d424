/**
 * Room access tokens: JWTs signed HS256 with ROOM_TOKEN_SECRET, minted by the
 * host site's backend. Claims: `room` (or "*"), optional `name` (overrides the
 * name the client asked for), optional `role` ("host" makes its holder a
 * host; anything else, or none, a guest), `exp` (required), optional `nbf`.
 * Verified with WebCrypto, whose HMAC verify compares in constant time.
 */
import type { Role } from "../../protocol/messages.ts";
import { checkName } from "../../protocol/parse-client-message.ts";

export interface RoomTokenClaims {
  room: string;
  name?: string;
  /** "host" makes the holder a host. */
  role?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Not before, seconds since the epoch. */
  nbf?: number;
}

const encoder = new TextEncoder();

export function base64UrlEncode(bytes: Uint8Array | string): string {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  let s = "";
  for (const b of data) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const s = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(part);
  if (!bytes) return null;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** An HMAC-SHA-256 key from the configured secret. */
export function importTokenSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

export async function mintRoomToken(claims: RoomTokenClaims, key: CryptoKey): Promise<string> {
  const head = base64UrlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64UrlEncode(JSON.stringify(claims));
  const sig = await crypto.subtle.sign("HMAC", key, encoder.encode(`${head}.${body}`));
  return `${head}.${body}.${base64UrlEncode(new Uint8Array(sig))}`;
}

export type TokenCheck = { ok: true; name?: string; role: Role } | {
  ok: false;
  reason: string;
};

/** Checks a token for `room` at `nowSeconds`; the reason completes "Cannot join: …". */
export async function verifyRoomToken(
  token: string,
  key: CryptoKey,
  room: string,
  nowSeconds = Date.now() / 1000,
): Promise<TokenCheck> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "the room token is malformed" };
  const [head, body, sigText] = parts;
  const header = decodeJson(head);
  const sig = base64UrlDecode(sigText);
  if (!header || !sig) return { ok: false, reason: "the room token is malformed" };
  // Only HS256: never "none", never an algorithm the token chooses for us.
  if (header.alg !== "HS256") return { ok: false, reason: "the room token must be signed HS256" };
  const valid = await crypto.subtle.verify("HMAC", key, sig, encoder.encode(`${head}.${body}`));
  if (!valid) return { ok: false, reason: "the room token's signature is not valid" };
  const claims = decodeJson(body);
  if (!claims) return { ok: false, reason: "the room token is malformed" };
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) {
    return { ok: false, reason: "the room token has no expiry" };
  }
  if (claims.exp <= nowSeconds) return { ok: false, reason: "the room token has expired" };
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > nowSeconds)) {
    return { ok: false, reason: "the room token is not valid yet" };
  }
  if (claims.room !== room && claims.room !== "*") {
    return { ok: false, reason: "the room token is for another room" };
  }
  const role: Role = claims.role === "host" ? "host" : "guest";
  if (claims.name === undefined) return { ok: true, role };
  const checked = checkName(claims.name);
  if ("error" in checked) return { ok: false, reason: `the room token's ${checked.error}` };
  return { ok: true, name: checked.name, role };
}
