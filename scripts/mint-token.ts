/**
 * Mints a room access token for operators and tests:
 *   ROOM_TOKEN_SECRET=… npm run token -- --room team-sync [--name Ana] [--role host] [--ttl 3600]
 * Prints the token. In production the host site's backend mints tokens the
 * same way (any HS256 JWT library); the secret never reaches a browser.
 */
import { parseArgs } from "node:util";
import { importTokenSecret, mintRoomToken } from "../server/session/room-token.ts";
import { isValidRoom } from "../protocol/parse-client-message.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    room: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    ttl: { type: "string", default: "3600" },
  },
});
const secret = Deno.env.get("ROOM_TOKEN_SECRET") ?? "";
const ttl = Number(values.ttl);
const fail = (msg: string) => {
  console.error(`Cannot mint a token: ${msg}`);
  Deno.exit(1);
};
if (secret.length < 32) fail("set ROOM_TOKEN_SECRET (at least 32 characters)");
if (values.room !== "*" && !isValidRoom(values.room)) fail("--room must be a room name or *");
if (!Number.isInteger(ttl) || ttl < 1) fail("--ttl must be a whole number of seconds");
if (values.role !== undefined && values.role !== "host" && values.role !== "guest") {
  fail("--role must be host or guest");
}

const token = await mintRoomToken(
  {
    room: values.room!,
    ...(values.name ? { name: values.name } : {}),
    ...(values.role ? { role: values.role } : {}),
    exp: Math.floor(Date.now() / 1000) + ttl,
  },
  await importTokenSecret(secret),
);
console.log(token);
