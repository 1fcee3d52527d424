/**
 * Entry point: `deno run --allow-net --allow-read --allow-env server/main.ts`
 * (with RECORDINGS_DIR also `--allow-write=<dir> --allow-run=janus-pp-rec,ffmpeg,ffprobe`).
 */
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./observe/logger.ts";
import { startServer } from "./signaling-server.ts";
import { RecordingLinks } from "./recording/recording-links.ts";
import { recordingsProblem } from "./recording/recording-checks.ts";

let config;
try {
  config = loadConfig(Deno.env.toObject());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  Deno.exit(1);
}

const logger = createLogger(config.logLevel);

// The last resort, not a substitute for handling each case where it happens:
// an error that escapes every handler is logged, and the process and every
// room carry on (Deno would otherwise exit).
globalThis.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  logger.error("unhandled rejection", { error: describe(event.reason) });
});
globalThis.addEventListener("error", (event) => {
  event.preventDefault();
  logger.error("uncaught error", { error: describe(event.error ?? event.message) });
});

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
if (config.iceServers.length === 0 && !config.turn) {
  logger.warn(
    "ICE_SERVERS is empty: calls work on localhost and one LAN only; set STUN/TURN servers for calls across networks",
  );
}

let recordingLinks;
if (config.recordings) {
  const problem = await recordingsProblem(config.recordings.dir);
  if (problem) {
    console.error(`Cannot start: ${problem}`);
    Deno.exit(1);
  }
  if (!config.roomTokenSecret) {
    logger.warn(
      "RECORDINGS_DIR without ROOM_TOKEN_SECRET: recording links are signed with a key of this process and stop working when it restarts",
    );
  }
  recordingLinks = await RecordingLinks.create(
    config.roomTokenSecret,
    config.recordings.linkHours * 3600_000,
  );
}

let server;
try {
  server = startServer(config, { logger, recordingLinks });
} catch (err) {
  // The one startup failure that is not a setting: the address is taken or not ours.
  const why = err instanceof Deno.errors.AddrInUse
    ? `port ${config.port} on ${config.host} is already in use`
    : err instanceof Error
    ? err.message
    : String(err);
  console.error(`Cannot start: ${why}`);
  Deno.exit(1);
}
logger.info("listening", {
  url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${server.port}/`,
  host: config.host,
  port: server.port,
});

let shuttingDown = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info("shutting down", { signal, connections: server.connections });
    await server.shutdown();
    logger.info("stopped");
    Deno.exit(0);
  });
}
