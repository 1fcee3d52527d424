/**
 * The bundle a page includes: dist/video-room.js, one file, plus chunks in
 * dist/chunks/ for every `import()` in the sources (the chat panel, screen
 * capture, …), fetched by a URL relative to the file that imports them.
 *
 * Why not esbuild's own code splitting: it moves whatever the entry shares
 * with a chunk (Lit, strings, icons…) into further chunks that the entry
 * imports statically, so a page waits for several files before anything
 * shows, and they compress worse apart. Here the entry keeps all it needs,
 * and registers the modules that chunks also use under a versioned global
 * key; a chunk reads those from there instead of carrying its own copies,
 * so there is one Lit and one instance of every module on the page.
 */
import * as esbuild from "esbuild";

interface BundleOptions {
  /** The repository root (absolute). */
  root: string;
  /** The entry source, relative to root. */
  entry: string;
  /** Output folder, relative to root: the entry goes there, chunks into `chunks/`. */
  outdir: string;
  /** Version in the global key, so two versions on one page never mix modules. */
  version: string;
  /** Options shared with the other builds (minify, target, plugins…). */
  common: esbuild.BuildOptions;
}

const chunkName = (path: string) => path.slice(path.lastIndexOf("/") + 1).replace(/\.ts$/, "");

/** Rewrites every `import()` to a chunk file beside the importer's output, and records it. */
function chunkImports(found: Set<string>, fromChunk: boolean): esbuild.Plugin {
  return {
    name: "chunk-imports",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const resolved = await build.resolve(args.path, {
          kind: "import-statement",
          resolveDir: args.resolveDir,
        });
        found.add(resolved.path);
        const name = chunkName(resolved.path);
        return { path: fromChunk ? `./${name}.js` : `./chunks/${name}.js`, external: true };
      });
    },
  };
}

/** In a chunk: modules the entry already has come from the entry's registry (by index). */
function sharedModules(shared: Map<string, string[]>, key: string): esbuild.Plugin {
  const index = new Map([...shared.keys()].map((path, i) => [path, i]));
  return {
    name: "shared-modules",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== "import-statement" || args.pluginData === "shared") return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: "shared",
        });
        return shared.has(resolved.path)
          ? { path: resolved.path, namespace: "video-room-shared" }
          : resolved;
      });
      build.onLoad({ filter: /.*/, namespace: "video-room-shared" }, (args) => {
        const names = shared.get(args.path)!;
        return {
          contents:
            `const m = globalThis[Symbol.for(${JSON.stringify(key)})][${index.get(args.path)}];\n` +
            names.map((n) =>
              n === "default" ? "export default m.default;" : `export const ${n} = m.${n};`
            ).join("\n"),
          loader: "js",
        };
      });
    },
  };
}

/**
 * The names each module of a chunk imports from each file, read from its
 * import statements (type-only imports left out): what the entry must share.
 */
async function importedNames(
  metafile: esbuild.Metafile,
  abs: (p: string) => string,
): Promise<Map<string, Set<string>>> {
  const names = new Map<string, Set<string>>();
  const pattern =
    /\bimport\s+(type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+[\w$]+)?\s*from\s*["']([^"']+)["']/g;
  for (const [input, info] of Object.entries(metafile.inputs)) {
    if (!/\.(ts|js|mjs)$/.test(input)) continue;
    const source = await Deno.readTextFile(abs(input));
    for (const m of source.matchAll(pattern)) {
      if (m[1]) continue; // import type
      const target = info.imports.find((i) => i.original === m[4]);
      if (!target) continue;
      const set = names.get(abs(target.path)) ?? new Set<string>();
      if (m[2]) set.add("default");
      if (m[0].includes("*")) set.add("*");
      for (const part of (m[3] ?? "").split(",")) {
        const spec = part.trim();
        if (!spec || spec.startsWith("type ")) continue;
        set.add(spec.split(/\s+as\s+/)[0].trim());
      }
      names.set(abs(target.path), set);
    }
  }
  return names;
}

export async function buildBundle(options: BundleOptions): Promise<void> {
  const { root, entry, outdir, version, common } = options;
  const key = `video-room@${version}`;
  const abs = (p: string) => (p.startsWith("/") ? p : `${root}${p}`);
  // 1. What the entry holds, and which modules are chunks.
  const chunks = new Set<string>();
  const probe = await esbuild.build({
    ...common,
    entryPoints: [entry],
    write: false,
    metafile: true,
    outdir,
    plugins: [...(common.plugins ?? []), chunkImports(chunks, false)],
  });
  const inEntry = new Set(Object.keys(probe.metafile.inputs).map(abs));
  // 2. What the chunks import that the entry already has: shared, with the names they use.
  const shared = new Map<string, string[]>();
  const pending = [...chunks];
  const seen = new Set<string>();
  while (pending.length) {
    const chunk = pending.pop()!;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    const nested = new Set<string>();
    const r = await esbuild.build({
      ...common,
      entryPoints: [chunk],
      write: false,
      metafile: true,
      outdir: `${outdir}/chunks`,
      plugins: [...(common.plugins ?? []), chunkImports(nested, true)],
    });
    for (const [input, names] of await importedNames(r.metafile, abs)) {
      if (input === chunk || !inEntry.has(input)) continue;
      if (names.has("*")) {
        throw new Error(`Cannot share ${input}: a chunk imports it as a namespace`);
      }
      shared.set(input, [...new Set([...(shared.get(input) ?? []), ...names])]);
    }
    for (const n of nested) if (!seen.has(n)) pending.push(n), chunks.add(n);
  }
  // 3. The entry, registering the shared modules before any chunk can ask for them.
  const list = [...shared];
  const wrapper = [
    ...list.map(([path, names], i) =>
      `import { ${names.map((n, k) => `${n} as m${i}_${k}`).join(", ")} } from ${
        JSON.stringify(path)
      };`
    ),
    `globalThis[Symbol.for(${JSON.stringify(key)})] = [${
      list.map(([, names], i) => `{ ${names.map((n, k) => `${n}: m${i}_${k}`).join(", ")} }`)
        .join(", ")
    }];`,
    `export * from ${JSON.stringify(abs(entry))};`,
  ].join("\n");
  const name = chunkName(entry) === "index" ? "video-room" : chunkName(entry);
  await esbuild.build({
    ...common,
    stdin: { contents: wrapper, resolveDir: root, sourcefile: `${name}.js`, loader: "js" },
    outfile: `${outdir}/${name}.js`,
    plugins: [...(common.plugins ?? []), chunkImports(new Set(), false)],
  });
  // 4. Every chunk, taking the shared modules from the registry.
  await Promise.all([...chunks].map((chunk) =>
    esbuild.build({
      ...common,
      entryPoints: [chunk],
      outfile: `${outdir}/chunks/${chunkName(chunk)}.js`,
      plugins: [
        ...(common.plugins ?? []),
        chunkImports(new Set(), true),
        sharedModules(shared, key),
      ],
    })
  ));
}
