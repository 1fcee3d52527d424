/** The real entry point as a process: startup errors, logs, signals. */
import assert from "node:assert/strict";

const main = new URL("../../server/main.ts", import.meta.url).pathname;

function spawn(env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-read", "--allow-env", main],
    env: { HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("bad configuration: one clear line and exit code 1", async () => {
  const out = await spawn({ MAX_PEERS: "lots" }).output();
  assert.equal(out.code, 1);
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^Cannot start: MAX_PEERS must be an integer/);
});

Deno.test("a port already in use: one clear line and exit code 1", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const out = await spawn({ PORT: String(port), ICE_SERVERS: '[{"urls":"stun:x"}]' }).output();
    assert.equal(out.code, 1);
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    assert.deepEqual(lines, [`Cannot start: port ${port} on 127.0.0.1 is already in use`]);
  } finally {
    taken.close();
  }
});

Deno.test("JSON logs, ICE warning, SIGTERM closes sockets with 1012 and exits 0", async () => {
  const child = spawn({});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const lines: Record<string, unknown>[] = [];
  const nextLine = async () => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stdout ended");
      buffered += value;
    }
    const i = buffered.indexOf("\n");
    const line = JSON.parse(buffered.slice(0, i));
    buffered = buffered.slice(i + 1);
    lines.push(line);
    return line;
  };
  const warn = await nextLine();
  assert.equal(warn.level, "warn");
  assert.match(String(warn.msg), /ICE_SERVERS/);
  const listening = await nextLine();
  assert.equal(listening.msg, "listening");
  const port = Number(listening.port);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((r) => (ws.onopen = r));
  const closed = new Promise<CloseEvent>((r) => (ws.onclose = r));
  child.kill("SIGTERM");
  assert.equal((await closed).code, 1012);
  while ((await nextLine()).msg !== "stopped");
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal((await child.status).code, 0);
});
