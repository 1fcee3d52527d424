/**
 * Short-lived TURN credentials in the coturn REST scheme (`use-auth-secret`):
 * username `<expiry-unix-seconds>:<peer-id>`, credential
 * base64(HMAC-SHA1(secret, username)). coturn checks them with the same secret;
 * no per-user state anywhere.
 */
import type { IceServer } from "../../protocol/messages.ts";

export interface TurnConfig {
  urls: string[];
  key: CryptoKey;
  ttlSeconds: number;
}

export function importTurnSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
}

export async function turnCredentials(
  turn: TurnConfig,
  peerId: string,
  nowSeconds = Date.now() / 1000,
): Promise<IceServer> {
  const username = `${Math.floor(nowSeconds) + turn.ttlSeconds}:${peerId}`;
  const mac = await crypto.subtle.sign("HMAC", turn.key, new TextEncoder().encode(username));
  let s = "";
  for (const b of new Uint8Array(mac)) s += String.fromCharCode(b);
  return { urls: turn.urls, username, credential: btoa(s) };
}
