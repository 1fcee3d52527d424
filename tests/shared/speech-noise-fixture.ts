/**
 * The speech-plus-noise fixture for the noise suppression tests: two spoken
 * sentences (espeak-ng) with pauses, mixed with steady pink noise (sox), as a
 * 48 kHz mono 16-bit WAV. Made on demand (Debian's espeak-ng and sox; .ci/run
 * installs them) and kept in the system's temp folder between runs. Run as a
 * script, it prints the path (the component tests' runner asks it so).
 */

const SENTENCES = [
  "Good morning everyone, can you hear me now?",
  "Let us start with the first item on the agenda.",
];

function run(cmd: string, args: string[]): string {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
  } catch (err) {
    throw new Error(
      `Cannot make the speech fixture: ${cmd} is missing (${
        (err as Error).message
      }); install espeak-ng and sox`,
    );
  }
  if (!out.success) {
    throw new Error(
      `Cannot make the speech fixture: ${cmd} failed: ${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** The fixture's path, made the first time. */
export function speechNoiseFixture(): string {
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/video-room-fixtures`;
  const out = `${dir}/speech-noise-v1.wav`;
  try {
    Deno.statSync(out);
    return out;
  } catch { /* made below */ }
  Deno.mkdirSync(dir, { recursive: true });
  const part = (name: string) => `${dir}/${Deno.pid}-${name}.wav`;
  const parts = SENTENCES.map((text, i) => {
    run("espeak-ng", ["-s", "150", "-w", part(`raw${i}`), text]);
    // 0.8 s of quiet around each sentence: the noise floor is measured there.
    run("sox", [part(`raw${i}`), "-r", "48000", "-c", "1", part(`s${i}`), "pad", "0.8", "0.8"]);
    return part(`s${i}`);
  });
  run("sox", [...parts, part("speech")]);
  const seconds = run("soxi", ["-D", part("speech")]);
  // Steady pink noise about 20 dB under the speech's peaks: a fan, a café.
  run("sox", [
    ...["-n", "-r", "48000", "-c", "1", part("noise"), "synth", seconds, "pinknoise"],
    ...["vol", "0.08"],
  ]);
  run("sox", ["-m", part("speech"), part("noise"), "-b", "16", part("mix")]);
  Deno.renameSync(part("mix"), out); // whole or not at all, for a run side by side
  for (const name of ["raw0", "raw1", "s0", "s1", "speech", "noise"]) {
    Deno.removeSync(part(name));
  }
  return out;
}

if (import.meta.main) console.log(speechNoiseFixture());
