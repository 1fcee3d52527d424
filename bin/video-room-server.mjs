#!/usr/bin/env node
/**
 * `npx video-room-server`: runs the signaling server (bin/server.js) with Deno, configured by
 * the same environment variables as in the repository (PORT, HOST, ROOM_TOKEN_SECRET, …).
 * Deno is found, in order: $DENO_BIN, the `deno` npm package if installed next to this one,
 * `deno` on the PATH; failing all three, `npx deno@2` fetches it once.
 */
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const server = fileURLToPath(new URL("./server.js", import.meta.url));
const denoArgs = ["run", "--allow-net", "--allow-read", "--allow-env", server];

function findDeno() {
  if (process.env.DENO_BIN) return { command: process.env.DENO_BIN, args: denoArgs };
  try {
    // install_api gives the real binary, so signals reach the server and not a launcher.
    const installed = createRequire(import.meta.url)("deno/install_api.cjs").runInstall();
    return { command: installed, args: denoArgs };
  } catch {
    // not installed beside us
  }
  if (spawnSync("deno", ["--version"], { stdio: "ignore" }).status === 0) {
    return { command: "deno", args: denoArgs };
  }
  return { command: "npx", args: ["--yes", "deno@2", ...denoArgs] };
}

const { command, args } = findDeno();
const child = spawn(command, args, { stdio: "inherit" });
child.on("error", (err) => {
  console.error(`Cannot start the server: ${command} failed (${err.message}); install Deno 2`);
  process.exit(1);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
