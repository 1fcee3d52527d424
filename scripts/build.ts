/**
 * Builds everything the server and package publish:
 * - dist/video-room.js: the one script a page includes. It defines every element and holds what
 *   the pre-join screen and a mesh call need; what only some rooms use (the chat panel, …) is in
 *   dist/chunks/, loaded on demand by URLs relative to the entry (so it works from any origin);
 * - dist/modules/: per-element ES modules with Lit left external, for bundler users;
 * - dist/demo.js: the demo site's own script (the page loads the element from video-room.js);
 * - custom-elements.json: the elements' API, from their JSDoc.
 */
import * as esbuild from "esbuild";
import { buildBundle } from "./build-bundle.ts";
import EFFECTS from "./effect-files.json" with { type: "json" };

const root = new URL("..", import.meta.url).pathname;

/** Squeezes the whitespace out of css`` templates, which esbuild leaves as written. */
export function minifyCssTemplates(source: string): string {
  return source.replace(/css`([^`]*)`/g, (_, body: string) => {
    const min = body
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/\s*([{};,>])\s*/g, "$1")
      // "a: b" in declarations; no selector of ours has a space after a colon.
      .replace(/:\s+/g, ":")
      .replace(/;}/g, "}")
      .trim();
    return `css\`${min}\``;
  });
}

const cssPlugin: esbuild.Plugin = {
  name: "minify-css-templates",
  setup(build) {
    build.onLoad({ filter: /\.styles\.ts$/ }, async (args) => ({
      contents: minifyCssTemplates(await Deno.readTextFile(args.path)),
      loader: "ts",
    }));
  },
};

const common: esbuild.BuildOptions = {
  plugins: [cssPlugin],
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  // Module scripts are always read as UTF-8: translations in Cyrillic, Arabic or Japanese stay
  // as they are written, not as \u escapes three to six times their size.
  charset: "utf8",
  logLevel: "warning",
  conditions: ["production"],
};

/**
 * What the effects chunk loads by URL from its own folder rather than imports: the audio
 * worklet and the background's worker (modules of their own, built alone), RNNoise's wasm, the
 * segmentation's wasm and model, the pictures (scripts/effect-files.json, which the component
 * tests' server reads too), beside the bundle's chunks and the modules' chunks alike, so the
 * effects never come from another host.
 */

function effectAssets(): Promise<unknown>[] {
  return ["dist/chunks", "dist/modules/chunks"].flatMap((dir) => [
    ...EFFECTS.modules.map((name) =>
      esbuild.build({
        ...common,
        plugins: [],
        entryPoints: [`components/core/effects/${name}.ts`],
        outfile: `${dir}/${name}.js`,
      })
    ),
    Deno.mkdir(`${root}${dir}`, { recursive: true }).then(() =>
      Promise.all(
        Object.entries(EFFECTS.files).map(([name, from]) =>
          Deno.copyFile(`${root}${from}`, `${root}${dir}/${name}`)
        ),
      )
    ),
  ]);
}

await Deno.remove(`${root}dist`, { recursive: true }).catch(() => {});
try {
  await Promise.all([
    buildBundle({
      root,
      entry: "components/index.ts",
      outdir: "dist",
      version: JSON.parse(await Deno.readTextFile(`${root}package.json`)).version,
      common,
    }),
    esbuild.build({ ...common, entryPoints: { demo: "demo/demo-app.ts" }, outdir: "dist" }),
    esbuild.build({
      ...common,
      entryPoints: {
        "video-room": "components/video-room/video-room.ts",
        "peer-tile": "components/peer-tile/peer-tile.ts",
        "chat-panel": "components/chat-panel/chat-panel.ts",
        "screen-share-button": "components/screen-share-button/screen-share-button.ts",
        "room-session": "components/core/room-session.ts",
        "index": "components/index.ts",
        "protocol": "protocol/messages.ts",
        "react": "components/react/video-room-react.ts",
      },
      outdir: "dist/modules",
      splitting: true,
      external: ["lit", "lit/*", "@lit/react", "react"],
      chunkNames: "chunks/[name]-[hash]",
    }),
    ...effectAssets(),
    // The server for `npx video-room-server` and `deno run npm:video-room/server`: Deno will
    // not strip types under node_modules, so the package carries it as one JS file. It sits one
    // folder below the package root, as server/ does, so its static mounts resolve alike.
    esbuild.build({
      ...common,
      plugins: [],
      entryPoints: ["server/main.ts"],
      outfile: "bin/server.js",
      platform: "node",
      packages: "external",
      minify: false,
      sourcemap: false,
      banner: { js: "// Built from server/ by scripts/build.ts; run it with Deno." },
    }),
  ]);
} finally {
  await esbuild.stop();
}

// Declarations for every public module. tsc keeps the sources' ".ts" specifiers in .d.ts
// files (rewriteRelativeImportExtensions applies to JS only), which a consumer cannot resolve.
const tsc = await new Deno.Command("node", {
  args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.package.json"],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!tsc.success) {
  console.error("Cannot build: the .d.ts files did not compile");
  Deno.exit(1);
}
for await (const path of walkDeclarations(`${root}dist/types`)) {
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, rewriteTsSpecifiers(text));
}

/** `from "./a.ts"` and `import("../b.ts")` become `.js`, as the built modules are named. */
function rewriteTsSpecifiers(text: string): string {
  return text.replace(/((?:from |import\()\s*["'])(\.{1,2}\/[^"']*?)\.ts(["'])/g, "$1$2.js$3");
}

async function* walkDeclarations(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkDeclarations(path);
    else if (entry.name.endsWith(".d.ts")) yield path;
  }
}

// The manifest is generated from source, so it can never disagree with the JSDoc.
const cem = await new Deno.Command("node", {
  args: [
    "node_modules/@custom-elements-manifest/analyzer/cem.js",
    "analyze",
    "--litelement",
    "--globs",
    "components/*/*-element.ts",
    "--outdir",
    ".",
    "--quiet",
  ],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!cem.success) {
  console.error("Cannot build: custom-elements.json generation failed");
  Deno.exit(1);
}
// Internal reactive state (`_chatOpen`, …) is declared in `static properties`
// too; the analyzer lists it as API. It is not: drop it.
type Declaration = { attributes?: { name: string }[]; members?: { name: string }[] };
const manifestPath = `${root}custom-elements.json`;
const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
for (const mod of manifest.modules as { declarations?: Declaration[] }[]) {
  for (const d of mod.declarations ?? []) {
    d.attributes = d.attributes?.filter((a) => !a.name.startsWith("_"));
    d.members = d.members?.filter((m) => !m.name.startsWith("_") && !m.name.startsWith("#"));
  }
}
await Deno.writeTextFile(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
console.log("built dist/ and custom-elements.json");
