// Web Test Runner: element and core tests in the system Chromium and Firefox, with fake media.
// Plain JS because the runner loads its config before any TypeScript support.
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";
import puppeteer from "puppeteer-core";
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import chromiumArgs from "./tests/shared/chromium-args.json" with { type: "json" };
import firefoxPrefs from "./tests/shared/firefox-prefs.json" with { type: "json" };
import EFFECT_ASSETS from "./scripts/effect-files.json" with { type: "json" };

/**
 * The Deno executable itself, not node_modules/.bin/deno: that is a Node
 * launcher which does not pass signals on, so stopping it would orphan the
 * server (and keep the runner's output pipe open). A `deno` on the PATH
 * serves when the npm package is absent.
 */
function denoExecutable() {
  try {
    return createRequire(import.meta.url)("deno/install_api.cjs").runInstall();
  } catch {
    return "deno";
  }
}

/** Starts the real signaling server on a free port; tests read it from /__signaling. */
function signalingServerPlugin() {
  let child;
  let port;
  return {
    name: "signaling-server",
    async serverStart() {
      child = spawn(denoExecutable(), [
        "run",
        "--allow-net",
        "--allow-read",
        "--allow-env",
        "server/main.ts",
      ], {
        env: {
          ...process.env,
          PORT: "0",
          HOST: "127.0.0.1",
          RESUME_GRACE_MS: "5000",
          LOG_LEVEL: "info",
          ICE_SERVERS: "",
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      port = await new Promise((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on("line", (line) => {
          try {
            const entry = JSON.parse(line);
            if (entry.msg === "listening") resolve(entry.port);
          } catch { /* not ours */ }
        });
        child.once("exit", (code) => reject(new Error(`signaling server exited with ${code}`)));
        setTimeout(() => reject(new Error("signaling server did not start in 20 s")), 20000)
          .unref();
      });
    },
    serverStop() {
      child?.kill("SIGTERM");
    },
    serve(context) {
      if (context.path === "/__signaling") {
        return { body: JSON.stringify({ url: `ws://127.0.0.1:${port}/ws`, port }), type: "json" };
      }
    },
  };
}

/**
 * React ships CommonJS only, which the dev server does not convert. This serves it as ESM:
 * react and react-dom/client bundled once (one copy, or hooks break), and thin modules that
 * re-export their names, to which the bare specifiers resolve.
 */
function reactAsEsmPlugin() {
  // Read in a child process: loading React here would write to the runner's patched console.
  const names = (id) =>
    JSON.parse(
      execFileSync(process.execPath, [
        "-e",
        `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(id)}))))`,
      ], { env: { ...process.env, NODE_ENV: "production" } }).toString(),
    ).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const shims = {
    react: { path: "/__react.js", from: "React", names: () => names("react") },
    "react-dom/client": {
      path: "/__react-dom-client.js",
      from: "ReactDOMClient",
      names: () => names("react-dom/client"),
    },
  };
  let bundle;
  return {
    name: "react-as-esm",
    resolveImport({ source }) {
      return shims[source]?.path;
    },
    async serve(context) {
      if (context.path === "/__react-bundle.js") {
        bundle ??= (async () => {
          const { build } = await import("esbuild");
          const out = await build({
            stdin: {
              contents: 'export { default as React } from "react";' +
                'export * as ReactDOMClient from "react-dom/client";',
              resolveDir: process.cwd(),
            },
            bundle: true,
            format: "esm",
            write: false,
            define: { "process.env.NODE_ENV": '"production"' },
          });
          return out.outputFiles[0].text;
        })();
        return { body: await bundle, type: "js" };
      }
      for (const shim of Object.values(shims)) {
        if (context.path === shim.path) {
          const list = shim.names();
          return {
            body: `import { ${shim.from} as m } from "/__react-bundle.js";\n` +
              `export default m;\nexport const { ${list.join(", ")} } = m;\n`,
            type: "js",
          };
        }
      }
    },
  };
}

/**
 * The environment of the Firefox that runs the effects' tests: PULSE_SERVER is added once the
 * sound server below is up (before any browser starts).
 */
const soundEnv = { ...process.env };

/**
 * A sound server with a silent output (PulseAudio's null sink) for the effects' Firefox: it
 * runs no AudioContext without an audio device (it stays "suspended"), and a test machine has
 * none. Only that Firefox uses it: with a sound server, Firefox decoded no video for the first
 * second or so of a call in the room-session tests, which count frames from the moment it
 * connects. Debian's `pulseaudio` (.ci/run installs it).
 */
function audioSinkPlugin() {
  let child;
  let dir;
  return {
    name: "audio-sink",
    async serverStart() {
      dir = mkdtempSync(join(tmpdir(), "video-room-pulse-"));
      const socket = join(dir, "native");
      child = spawn("pulseaudio", [
        "--daemonize=no",
        "--exit-idle-time=-1",
        "--disallow-exit",
        "--system=false",
        "-n",
        "--load=module-null-sink sink_name=silent",
        `--load=module-native-protocol-unix socket=${socket}`,
      ], { stdio: "ignore", env: { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir } });
      const failed = new Promise((_, reject) => {
        child.once(
          "error",
          (e) =>
            reject(new Error(`Cannot start pulseaudio (${e.message}): apt-get install pulseaudio`)),
        );
        child.once("exit", (code) => reject(new Error(`pulseaudio exited with ${code}`)));
      });
      failed.catch(() => {});
      for (let i = 0; i < 100 && !existsSync(socket); i++) {
        await Promise.race([new Promise((r) => setTimeout(r, 50)), failed]);
      }
      if (!existsSync(socket)) throw new Error("Cannot start pulseaudio: no socket in 5 s");
      soundEnv.PULSE_SERVER = `unix:${socket}`;
    },
    serverStop() {
      child?.kill("SIGTERM");
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the effects chunk loads by URL from its own folder, served where the sources are (as
 * the build puts them beside the chunk): the audio worklet and the background's worker,
 * bundled on request, the wasm files and the model. And the speech-plus-noise fixture (tests/shared/speech-noise-fixture.ts, made once).
 */
function effectAssetsPlugin() {
  let fixture;
  return {
    name: "effect-assets",
    async serve(context) {
      const dir = "/components/core/effects/";
      const name = context.path.startsWith(dir) ? context.path.slice(dir.length) : "";
      if (name.endsWith(".js") && EFFECT_ASSETS.modules.includes(name.slice(0, -3))) {
        const { build } = await import("esbuild");
        const out = await build({
          entryPoints: [`.${dir}${name.replace(/\.js$/, ".ts")}`],
          bundle: true,
          format: "esm",
          write: false,
        });
        return { body: out.outputFiles[0].text, type: "js" };
      }
      // As scripts/build.ts copies them beside the chunks.
      const file = EFFECT_ASSETS.files[name];
      if (file) {
        const { readFile } = await import("node:fs/promises");
        return {
          body: await readFile(file),
          type: name.endsWith(".wasm")
            ? "application/wasm"
            : name.endsWith(".jpg")
            ? "image/jpeg"
            : "application/octet-stream",
        };
      }
      if (context.path === "/__fixtures/speech-noise.wav") {
        fixture ??= execFileSync(denoExecutable(), [
          "run",
          "--allow-run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "tests/shared/speech-noise-fixture.ts",
        ]).toString().trim();
        const { readFile } = await import("node:fs/promises");
        return { body: await readFile(fixture), type: "audio/wav" };
      }
    },
  };
}

const chromium = () =>
  chromeLauncher({
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      headless: true,
      // The same flags as the e2e browsers: fake media, loopback ICE, no throttling
      // (two test files may run at once; a background page must not stall).
      args: [...chromiumArgs],
    },
  });

// Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi: fake camera and
// microphone, no prompts, loopback ICE (tests/shared/firefox-prefs.json).
const firefox = (env = process.env) =>
  chromeLauncher({
    puppeteer,
    launchOptions: {
      browser: "firefox",
      executablePath: "/usr/bin/firefox-esr",
      headless: true,
      extraPrefsFirefox: firefoxPrefs,
      env,
    },
  });

/** The effects' tests, which need audio running in Firefox (a sound server). */
const EFFECTS = [
  "tests/components/core/effects/*.test.ts",
  "tests/components/video-room/video-room-effects.test.ts",
];

export default {
  files: ["tests/components/**/*.test.ts", ...EFFECTS.map((f) => `!${f}`)],
  groups: [{ name: "effects", files: EFFECTS, browsers: [chromium(), firefox(soundEnv)] }],
  nodeResolve: { exportConditions: ["production"] },
  plugins: [
    esbuildPlugin({ ts: true, target: "es2022" }),
    signalingServerPlugin(),
    reactAsEsmPlugin(),
    effectAssetsPlugin(),
    audioSinkPlugin(),
  ],
  browsers: [chromium(), firefox()],
  // One browser at a time: two browsers, a server and their calls would share two cores.
  concurrentBrowsers: 1,
  // One file at a time: a background page in headless Chromium gets its media
  // and timers deprioritised even with the flags above, and tests then stall.
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 300000,
};
