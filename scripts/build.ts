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

const root = new URL("..", import.meta.url).pathname;

/** Squeezes the whitespace out of css`` templates, which esbuild leaves as written. */
export function minifyCssTemplates(source: string): string {
  return source.replace(/css`([^`]*)`/g, (_, body: string) => {
    const min = body
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/\s*([{};])\s*/g, "$1")
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
  logLevel: "warning",
  conditions: ["production"],
};

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
      },
      outdir: "dist/modules",
      splitting: true,
      external: ["lit", "lit/*"],
      chunkNames: "chunks/[name]-[hash]",
    }),
  ]);
} finally {
  await esbuild.stop();
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
