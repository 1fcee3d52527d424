/**
 * Sizes of what a page downloads (min and min+gzip, each file compressed on
 * its own as a server sends it): the entry with the chunks it imports
 * statically (needed before anything shows), every chunk it can load later,
 * and Lit alone for comparison. Used by the size check and the benchmarks.
 */
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";
import { LANGUAGES } from "../components/internal/i18n/languages.ts";

/** The entry and what it imports statically: the pre-join screen and a mesh call. */
export const ENTRY_BUDGET_BYTES = 20 * 1024;
/**
 * The entry plus every chunk it may load (of the languages, one: a page shows
 * one at a time). 48 KB until the languages (2.4 KB the largest), the phone
 * layout and the screen-reader announcements came; 52 KB until tokens from
 * the site and recording (a chunk only a recording host loads); 56 KB until
 * breakout groups (3.5 KB, a chunk loaded only once groups open or a host
 * plans them); 60 KB until the effects (the media settings and the effects' chunks, 5.9 KB,
 * loaded when someone opens Settings or turns an effect on, 2.3 KB of it the background's
 * drawing for pages that cannot start a worker from the bundle's origin; their worker,
 * worklet, wasm and model are listed apart, as `effectFiles`). The entry's 20 KB held
 * throughout.
 */
export const TOTAL_BUDGET_BYTES = 68 * 1024;

/** A language's texts (chunks/de.js …): a page loads one of them, or none for English. */
const isLanguage = (file: string) =>
  (LANGUAGES as readonly string[]).includes(file.replace(/^chunks\/|\.js$/g, ""));
const dist = new URL("../dist/", import.meta.url);

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

export interface FileSize {
  /** Path below dist/. */
  file: string;
  min: number;
  gzip: number;
  /** Loaded with the entry (statically imported), not on demand. */
  initial: boolean;
}

export interface BundleSizes {
  files: FileSize[];
  entryGzip: number;
  /** The entry, every chunk, and the largest language. */
  totalGzip: number;
  /** The largest language's chunk. */
  languageGzip: number;
  litMin: number;
  litGzip: number;
  /**
   * What the effects load by URL once someone turns one on (the audio worklet, the
   * background's worker, the wasm files, the model, the pictures): not in the budgets.
   */
  effectFiles: FileSize[];
}

/** `import … from "./x.js"` / `import "./x.js"` (static) and `import("./x.js")` (on demand). */
function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[] };
  for (
    const m of code.matchAll(/\bimport\s*(\()?\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.[^"']+)["']/g)
  ) {
    (m[1] ? found.dynamic : found.static).push(m[2]);
  }
  return found;
}

/** Walks dist/video-room.js and every chunk it can reach. */
export async function measureBundle(): Promise<BundleSizes> {
  const files = new Map<string, FileSize>();
  const visit = async (url: URL, initial: boolean): Promise<void> => {
    const file = url.pathname.slice(dist.pathname.length);
    const known = files.get(file);
    if (known) {
      known.initial ||= initial;
      if (!initial || known.initial) return;
    }
    const bytes = await Deno.readFile(url);
    files.set(file, { file, min: bytes.length, gzip: gz(bytes), initial });
    const { static: statics, dynamic } = importsOf(new TextDecoder().decode(bytes));
    for (const s of statics) await visit(new URL(s, url), initial);
    for (const d of dynamic) await visit(new URL(d, url), false);
  };
  await visit(new URL("video-room.js", dist), true);
  const list = [...files.values()].sort((a, b) => Number(b.initial) - Number(a.initial));
  const sum = (xs: FileSize[]) => xs.reduce((n, f) => n + f.gzip, 0);
  const languageGzip = Math.max(0, ...list.filter((f) => isLanguage(f.file)).map((f) => f.gzip));
  try {
    const lit = await esbuild.build({
      stdin: {
        contents: 'export * from "lit";',
        resolveDir: new URL(".", dist).pathname,
        loader: "js",
      },
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      conditions: ["production"],
      logLevel: "silent",
    });
    const litBytes = lit.outputFiles[0].contents;
    const effectFiles: FileSize[] = [];
    for await (const entry of Deno.readDir(new URL("chunks/", dist))) {
      if (!/\.(wasm|tflite|jpg)$|-(worker|worklet)\.js$/.test(entry.name)) continue;
      const bytes = await Deno.readFile(new URL(`chunks/${entry.name}`, dist));
      effectFiles.push({
        file: `chunks/${entry.name}`,
        min: bytes.length,
        gzip: gz(bytes),
        initial: false,
      });
    }
    effectFiles.sort((a, b) => a.file.localeCompare(b.file));
    return {
      effectFiles,
      files: list,
      entryGzip: sum(list.filter((f) => f.initial)),
      totalGzip: sum(list.filter((f) => !isLanguage(f.file))) + languageGzip,
      languageGzip,
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
    "| file | loaded | min | min+gzip |",
    "| --- | --- | ---: | ---: |",
    ...s.files.map((f) =>
      `| dist/${f.file} | ${f.initial ? "with the entry" : "on demand"} | ${kb(f.min)} | ${
        kb(f.gzip)
      } |`
    ),
    `| **entry, before anything shows** | | | **${kb(s.entryGzip)}** |`,
    `| **everything** (one language: the largest is ${kb(s.languageGzip)}) | | | **${
      kb(s.totalGzip)
    }** |`,
    `| Lit alone (part of the above) | | ${kb(s.litMin)} | ${kb(s.litGzip)} |`,
    ...s.effectFiles.map((f) =>
      `| dist/${f.file} | once an effect is on | ${kb(f.min)} | ${kb(f.gzip)} |`
    ),
  ].join("\n");
}
