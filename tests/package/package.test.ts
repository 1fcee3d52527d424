/**
 * The package as a stranger gets it: `npm pack` (after `npm run build`), the tarball installed
 * into a fresh project, its types checked from a consumer's side under two module resolutions,
 * and its server started through `npx video-room-server`.
 */
import assert from "node:assert/strict";
import { spawnListening } from "../../scripts/spawn-listening.ts";

const root = new URL("../../", import.meta.url).pathname;
const consumerDir = new URL("./consumer/", import.meta.url).pathname;

async function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

/** What `files` must put in the tarball: the bundle, modules, types, the server; nothing else. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^custom-elements\.json$/,
  /^bin\/(server\.js|video-room-server\.mjs)$/,
  /^dist\/video-room\.js$/,
  /^dist\/chunks\/[a-z-]+\.js$/,
  /^dist\/modules\/(chunks\/)?[A-Za-z0-9-]+\.js$/,
  // What the effects load beside the chunks: wasm, the segmentation model, the pictures.
  /^dist\/(modules\/)?chunks\/(rnnoise\.wasm|tflite-simd\.wasm|[a-z_]+\.tflite|background-\d\.jpg)$/,
  /^dist\/types\/.+\.d\.ts$/,
];

Deno.test("package: packs, installs, type-checks for its users and runs its server", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "video-room-package-" });
  try {
    let tarball = "";
    await t.step("npm pack holds exactly the intended files", async () => {
      const packed = await run(
        "npm",
        ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp],
        root,
      );
      assert(packed.ok, packed.text);
      const [info] = JSON.parse(packed.text.slice(packed.text.indexOf("[")));
      const files: string[] = info.files.map((f: { path: string }) => f.path);
      const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
      assert.deepEqual(stray, [], "files that should not ship");
      for (
        const needed of [
          "dist/video-room.js",
          "dist/modules/react.js",
          "dist/chunks/rnnoise.wasm",
          "dist/chunks/background-worker.js",
          "dist/modules/chunks/tflite-simd.wasm",
          "dist/types/components/index.d.ts",
          "dist/types/components/internal/events.d.ts",
          "bin/server.js",
          "custom-elements.json",
          "LICENSE",
        ]
      ) assert(files.includes(needed), `${needed} is missing from the tarball`);
      tarball = `${tmp}/${info.filename}`;
    });

    const project = `${tmp}/app`;
    await t.step("the tarball installs into a fresh project", async () => {
      await Deno.mkdir(project);
      await Deno.writeTextFile(
        `${project}/package.json`,
        JSON.stringify({ name: "app", private: true, type: "module" }),
      );
      // From the npm cache the repo's own install filled; the registry only for what is missing.
      const installed = await run("npm", [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        tarball,
        "@types/react@19",
        "react@19",
      ], project);
      assert(installed.ok, installed.text);
      // Deno itself is not downloaded again: the launcher finds it as an installed package.
      await Deno.symlink(`${root}node_modules/deno`, `${project}/node_modules/deno`);
      for (const file of ["consumer.ts", "consumer-react.tsx", "consumer-react19.tsx"]) {
        await Deno.copyFile(`${consumerDir}${file}`, `${project}/${file}`);
      }
    });

    for (const resolution of ["bundler", "node16"] as const) {
      await t.step(`a consumer type-checks (moduleResolution ${resolution})`, async () => {
        const tsconfig = {
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "es2022",
            module: resolution === "bundler" ? "esnext" : "node16",
            moduleResolution: resolution,
            lib: ["es2022", "dom", "dom.iterable"],
            jsx: "react-jsx",
            types: [],
            // Our .d.ts files are checked as strictly as the consumer's own code.
            skipLibCheck: false,
          },
          files: ["consumer.ts", "consumer-react.tsx", "consumer-react19.tsx"],
        };
        await Deno.writeTextFile(`${project}/tsconfig.json`, JSON.stringify(tsconfig));
        const checked = await run("node", [`${root}node_modules/typescript/bin/tsc`], project);
        assert(checked.ok, checked.text);
      });
    }

    await t.step("a wrong event detail fails to compile", async () => {
      // The same file without its @ts-expect-error lines must fail: they are not decoration.
      const source = await Deno.readTextFile(`${project}/consumer.ts`);
      await Deno.writeTextFile(
        `${project}/consumer.ts`,
        source.replace(/^\s*\/\/ @ts-expect-error.*$/gm, ""),
      );
      const checked = await run("node", [`${root}node_modules/typescript/bin/tsc`], project);
      assert(!checked.ok, "compiled although the details were wrong");
      assert(/Property 'peer' does not exist/.test(checked.text), checked.text);
      assert(/joinRoom/.test(checked.text), checked.text);
    });

    await t.step("npx video-room-server starts the server with the bundle", async () => {
      const server = await spawnListening(
        "node",
        [`${project}/node_modules/.bin/video-room-server`],
        { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info" },
      );
      try {
        const health = await fetch(`${server.origin}/healthz`);
        assert.deepEqual(health.status, 200);
        await health.body?.cancel();
        const bundle = await fetch(`${server.origin}/dist/video-room.js`);
        assert.deepEqual(bundle.status, 200);
        assert((await bundle.text()).includes("video-room"));
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
        const joined = await new Promise<{ type: string }>((resolve, reject) => {
          ws.onopen = () => ws.send(JSON.stringify({ type: "join", room: "pkg", name: "Ann" }));
          ws.onmessage = (e) => resolve(JSON.parse(e.data));
          ws.onerror = () => reject(new Error("Cannot connect to the packaged server"));
        });
        assert.deepEqual(joined.type, "joined");
        const closed = new Promise((r) => ws.onclose = r);
        ws.close();
        await closed;
      } finally {
        await server.stop();
      }
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
