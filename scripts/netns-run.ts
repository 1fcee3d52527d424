/**
 * Runs a command inside a network namespace of its own, made for it and
 * deleted after (also when the command fails or is interrupted): Janus never
 * uses loopback for media, so SFU tests and benchmarks run Janus, the server
 * and the browsers in a namespace with a veth pair (10.99.0.1, 10.99.0.2)
 * besides its loopback. Needs root (ip netns).
 *
 *   deno run -A scripts/netns-run.ts deno test -A tests/sfu/
 *
 * Without root or without Janus installed, says so and exits 0 only when
 * SFU_TESTS=optional; otherwise it fails, so CI cannot skip the SFU silently.
 */
const command = Deno.args;
if (command.length === 0) {
  console.error("Cannot run: usage: netns-run.ts <command> [args…]");
  Deno.exit(2);
}

async function ip(...args: string[]): Promise<void> {
  const out = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

async function available(): Promise<string | null> {
  const janus = await new Deno.Command("sh", { args: ["-c", "command -v janus"], stdout: "null" })
    .output().catch(() => null);
  if (!janus?.success) return "janus is not installed (apt-get install -y janus)";
  if (Deno.uid?.() !== 0) return "network namespaces need root";
  return null;
}

const missing = await available();
if (missing) {
  const optional = Deno.env.get("SFU_TESTS") === "optional";
  console.error(`${optional ? "Skipping" : "Cannot run"} the SFU tests: ${missing}`);
  Deno.exit(optional ? 0 : 1);
}

const ns = `vr${Deno.pid}`;
let code = 1;
try {
  await ip("netns", "add", ns);
  const inNs = (...args: string[]) => ip("netns", "exec", ns, "ip", ...args);
  await inNs("link", "set", "lo", "up");
  await inNs("link", "add", "v0", "type", "veth", "peer", "name", "v1");
  await inNs("addr", "add", "10.99.0.1/24", "dev", "v0");
  await inNs("addr", "add", "10.99.0.2/24", "dev", "v1");
  await inNs("link", "set", "v0", "up");
  await inNs("link", "set", "v1", "up");
  // Firefox gathers no ICE candidates at all in a namespace without a default route (Chromium
  // does not care); the route leads nowhere outside, there being nothing outside.
  await inNs("route", "add", "default", "dev", "v0");
  // Janus sends out of v0 only (ice_enforce_list), so its packets to 10.99.0.2 (a TURN relay
  // in the tests) come back in on v1 with a source address of this namespace, which Linux
  // drops as martian unless told otherwise. These settings belong to the namespace alone.
  const settings = ["all", "v0", "v1"].flatMap((dev) => [
    `echo 1 > /proc/sys/net/ipv4/conf/${dev}/accept_local`,
    `echo 0 > /proc/sys/net/ipv4/conf/${dev}/rp_filter`,
  ]);
  await ip("netns", "exec", ns, "sh", "-c", settings.join(" && "));
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", ns, ...command],
    env: { SFU_NETNS: ns },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch { /* gone */ }
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  code = (await child.status).code;
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
} finally {
  await ip("netns", "del", ns).catch((err) => console.error(String(err)));
}
Deno.exit(code);
