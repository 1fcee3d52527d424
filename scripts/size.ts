/**
 * Prints the bundle's min+gzip size next to Lit's alone, and fails past the budget.
 * Run after `deno task build`.
 */
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 20 * 1024;
const root = new URL("..", import.meta.url).pathname;

function gz(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

const bundle = await Deno.readFile(`${root}dist/video-room.js`);
let litBytes: Uint8Array;
try {
  const lit = await esbuild.build({
    stdin: { contents: 'export * from "lit";', resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    conditions: ["production"],
    logLevel: "silent",
  });
  litBytes = lit.outputFiles[0].contents;
} finally {
  await esbuild.stop();
}

const total = gz(bundle);
const litGz = gz(litBytes);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log("| file | min | min+gzip |");
console.log("| --- | ---: | ---: |");
console.log(`| dist/video-room.js | ${kb(bundle.length)} | ${kb(total)} |`);
console.log(`| Lit alone | ${kb(litBytes.length)} | ${kb(litGz)} |`);
console.log(`| our own code (difference) | | ${kb(total - litGz)} |`);
console.log(
  `budget: ${kb(total)} of ${kb(BUDGET_BYTES)} (${((100 * total) / BUDGET_BYTES).toFixed(0)}%)`,
);
if (total > BUDGET_BYTES) {
  console.error(
    `Cannot ship: dist/video-room.js is ${total} bytes gzip, over the ${BUDGET_BYTES} budget`,
  );
  Deno.exit(1);
}
