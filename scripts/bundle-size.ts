/** min and min+gzip sizes of the bundle and of Lit alone (for the size check and the benchmarks). */
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 20 * 1024;
const root = new URL("..", import.meta.url).pathname;

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

export interface BundleSizes {
  bundleMin: number;
  bundleGzip: number;
  litMin: number;
  litGzip: number;
}

export async function measureBundle(): Promise<BundleSizes> {
  const bundle = await Deno.readFile(`${root}dist/video-room.js`);
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
    const litBytes = lit.outputFiles[0].contents;
    return {
      bundleMin: bundle.length,
      bundleGzip: gz(bundle),
      litMin: litBytes.length,
      litGzip: gz(litBytes),
    };
  } finally {
    await esbuild.stop();
  }
}

export function sizeTable(s: BundleSizes): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return [
    "| file | min | min+gzip |",
    "| --- | ---: | ---: |",
    `| dist/video-room.js | ${kb(s.bundleMin)} | ${kb(s.bundleGzip)} |`,
    `| Lit alone | ${kb(s.litMin)} | ${kb(s.litGzip)} |`,
    `| our own code (difference) | ${kb(s.bundleMin - s.litMin)} | ${
      kb(s.bundleGzip - s.litGzip)
    } |`,
  ].join("\n");
}
