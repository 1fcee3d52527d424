/**
 * Builds the WordPress plugin a site owner uploads:
 * - dist/wordpress/video-room/: wordpress/video-room/ with the element's bundle and its chunks
 *   in build/ (shipped inside the plugin: WordPress.org forbids code loaded from elsewhere);
 * - dist/video-room-wordpress.zip: that folder zipped, as Plugins → Add New → Upload expects.
 * Run after `npm run build` (it reads dist/video-room.js and dist/chunks/).
 */
import { zipSync } from "fflate";

const root = new URL("..", import.meta.url).pathname;
const source = `${root}wordpress/video-room/`;
const out = `${root}dist/wordpress/video-room/`;
const zipPath = `${root}dist/video-room-wordpress.zip`;

try {
  await Deno.stat(`${root}dist/video-room.js`);
} catch {
  console.error("Cannot build the WordPress plugin: dist/video-room.js is missing (npm run build)");
  Deno.exit(1);
}

/** Every file under `dir`, as paths relative to it. */
async function files(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${dir}${prefix}`)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) found.push(...await files(dir, `${path}/`));
    else if (entry.isFile) found.push(path);
  }
  return found.sort();
}

await Deno.remove(`${root}dist/wordpress`, { recursive: true }).catch(() => {});
const copies: Array<[from: string, to: string]> = [];
for (const path of await files(source)) copies.push([`${source}${path}`, path]);
copies.push([`${root}dist/video-room.js`, "build/video-room.js"]);
for (const path of await files(`${root}dist/chunks/`)) {
  // Source maps stay out: a plugin zip is for running, and they would triple its size.
  if (/\.(js|wasm|tflite|jpg)$/.test(path)) {
    copies.push([`${root}dist/chunks/${path}`, `build/chunks/${path}`]);
  }
}
copies.push([`${root}LICENSE`, "build/LICENSE.txt"]);

const zip: Record<string, Uint8Array> = {};
for (const [from, to] of copies) {
  const bytes = await Deno.readFile(from);
  await Deno.mkdir(`${out}${to}`.replace(/\/[^/]+$/, ""), { recursive: true });
  await Deno.writeFile(`${out}${to}`, bytes);
  zip[`video-room/${to}`] = bytes;
}
// A fixed time in every entry: the same sources make the same zip.
const zipped = zipSync(zip, { level: 9, mtime: new Date("2026-01-01T00:00:00Z") });
await Deno.writeFile(zipPath, zipped);
console.log(
  `built dist/wordpress/video-room/ (${copies.length} files) and dist/video-room-wordpress.zip (${
    (zipped.length / 1024).toFixed(0)
  } KB)`,
);
