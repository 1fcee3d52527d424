/**
 * What server recordings need of this machine, looked at once at startup so
 * a missing piece is one clear line, not a failed recording hours later.
 */

/** The tools the files are made with, and where Debian has them. */
const TOOLS = [
  ["janus-pp-rec", "janus-tools"],
  ["ffmpeg", "ffmpeg"],
  ["ffprobe", "ffmpeg"],
] as const;

/** Why server recordings cannot work here (RECORDINGS_DIR is `dir`), or null when they can. */
export async function recordingsProblem(dir: string): Promise<string | null> {
  const write = await Deno.permissions.query({ name: "write", path: dir });
  if (write.state !== "granted") {
    return `RECORDINGS_DIR needs deno run --allow-write=${dir} (and --allow-run=janus-pp-rec,ffmpeg,ffprobe)`;
  }
  for (const [tool, pkg] of TOOLS) {
    const run = await Deno.permissions.query({ name: "run", command: tool });
    if (run.state !== "granted") {
      return `RECORDINGS_DIR needs deno run --allow-run=janus-pp-rec,ffmpeg,ffprobe`;
    }
    try {
      await new Deno.Command(tool, { args: ["--help"], stdout: "null", stderr: "null" }).output();
    } catch {
      return `RECORDINGS_DIR needs ${tool}, which is not installed (Debian: apt-get install ${pkg})`;
    }
  }
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.write-test-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (err) {
    return `RECORDINGS_DIR ${dir} cannot be written: ${(err as Error).message}`;
  }
  return null;
}
