/**
 * A real TURN relay for tests: coturn with the REST-style shared secret our
 * server signs credentials with. Needs `turnserver` (Debian package coturn;
 * .ci/run installs it).
 */
import { freePort } from "../e2e/harness.ts";
import { until } from "./until.ts";

/** The secret coturn shares with the signaling server (TURN_SECRET). */
export const TURN_SECRET = "coturn-shared-secret-for-tests";

/** Starts coturn on `ip` (loopback by default) and a free port; bounded wait until it listens. */
export async function startCoturn(
  ip = "127.0.0.1",
): Promise<{ port: number; log(): string; stop(): Promise<void> }> {
  const port = freePort();
  const relayBase = 40000 + Math.floor(Math.random() * 20000);
  const child = new Deno.Command("turnserver", {
    args: [
      "-n", // no config file: everything is here
      `--listening-ip=${ip}`,
      `--relay-ip=${ip}`,
      `--listening-port=${port}`,
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      "--use-auth-secret",
      `--static-auth-secret=${TURN_SECRET}`,
      "--realm=video-room.test",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--allow-loopback-peers",
      "--fingerprint",
      "--log-file=stdout",
      "--simple-log",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Its log is read as it comes (a full pipe would stall the relay) and kept for diagnosis.
  let log = "";
  const keep = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      log = (log + chunk).slice(-20_000);
    }
  };
  const drained = Promise.all([keep(child.stdout), keep(child.stderr)]);
  // Ready when it accepts TCP on the listening port.
  await until(
    async () => {
      try {
        (await Deno.connect({ hostname: ip, port })).close();
        return true;
      } catch {
        return false;
      }
    },
    "coturn listening",
    10000,
  );
  return {
    port,
    log: () => log,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}
