/**
 * The effects' cost on this machine (`npm run bench:effects`): background
 * blur at 640×360 and 1280×720 in headless Chromium (the worker's frames per
 * second and time per frame, and the whole browser's CPU with the effect on
 * against the same camera shown without it), and noise suppression (RNNoise's
 * CPU per second of audio, measured in Deno on the speech fixture, and the
 * delay the worklet adds, measured in the browser). Writes the "effects"
 * section of docs/benchmarks.md.
 */
import * as esbuild from "esbuild";
import { launchBrowser } from "../tests/e2e/harness.ts";
import { speechNoiseFixture } from "../tests/shared/speech-noise-fixture.ts";
import { Rnnoise, RNNOISE_FRAME } from "../components/core/effects/rnnoise.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";
import type { EffectsBenchPage } from "./effects-page.ts";

const root = new URL("..", import.meta.url).pathname;
const SECONDS = 8;

/** Chromium's CPU time (all its processes), in ms, from /proc. */
async function browserCpuMs(pid: number): Promise<number> {
  const tick = 1000 / 100; // USER_HZ
  const all = new Map<number, number>();
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      all.set(
        Number(entry.name),
        Number(fields[1]) * 1e6 + (Number(fields[11]) + Number(fields[12])),
      );
    } catch { /* gone */ }
  }
  // Parent links: fields[1] is the ppid (kept in the millions place above to save a map).
  const parent = (p: number) => Math.floor((all.get(p) ?? 0) / 1e6);
  const cpu = (p: number) => (all.get(p) ?? 0) % 1e6;
  let total = 0;
  for (const p of all.keys()) {
    for (let q = p, hops = 0; q > 1 && hops < 10; q = parent(q), hops++) {
      if (q === pid) {
        total += cpu(p) * tick;
        break;
      }
    }
  }
  return total;
}

const page = await esbuild.build({
  entryPoints: [`${root}bench/effects-page.ts`],
  bundle: true,
  format: "esm",
  write: false,
});
await esbuild.stop();
const script = page.outputFiles[0].text;
const fixture = speechNoiseFixture();
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/") {
    return new Response(`<!doctype html><script type="module" src="/fx/bench.js"></script>`, {
      headers: { "content-type": "text/html" },
    });
  }
  if (path === "/fx/bench.js") {
    return new Response(script, { headers: { "content-type": "text/javascript" } });
  }
  if (path === "/fixture.wav") return new Response(await Deno.readFile(fixture));
  const name = path.replace(/^\/fx\//, "");
  if (/^[\w.-]+$/.test(name)) {
    const body = await Deno.readFile(`${root}dist/chunks/${name}`).catch(() => null);
    if (body) {
      return new Response(body, {
        headers: {
          "content-type": name.endsWith(".js") ? "text/javascript" : "application/octet-stream",
        },
      });
    }
  }
  return new Response("not found", { status: 404 });
});

const browser = await launchBrowser();
const pid = browser.process()!.pid!;
const rows: string[] = [];
const results: Record<string, unknown> = {};
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.addr.port}/`);
  await tab.waitForFunction(() =>
    typeof (globalThis as unknown as EffectsBenchPage).runBlur === "function"
  );
  for (const [w, h] of [[640, 360], [1280, 720]]) {
    // The same camera shown without the effect, for the browser's own share.
    const idleStart = await browserCpuMs(pid);
    await tab.evaluate(
      async (w, h, s) => {
        const source = (globalThis as unknown as EffectsBenchPage).camera(w, h);
        const video = document.createElement("video");
        video.muted = true;
        video.srcObject = new MediaStream([source.track]);
        document.body.append(video);
        await video.play();
        await new Promise((r) => setTimeout(r, s * 1000));
        source.stop();
        video.remove();
      },
      w,
      h,
      SECONDS,
    );
    const idleMs = (await browserCpuMs(pid)) - idleStart;
    const start = await browserCpuMs(pid);
    const run = await tab.evaluate(
      (w, h, s) => (globalThis as unknown as EffectsBenchPage).runBlur(w, h, s),
      w,
      h,
      SECONDS,
    ) as {
      samples: Array<{ fps: number; msPerFrame: number; tier: number } | null>;
    };
    const busyMs = (await browserCpuMs(pid)) - start;
    const steady = run.samples.slice(2).filter((x) => x !== null);
    const fps = steady.reduce((a, x) => a + x.fps, 0) / steady.length;
    const ms = steady.reduce((a, x) => a + x.msPerFrame, 0) / steady.length;
    const tiers = [...new Set(steady.map((x) => x.tier))].join(", ");
    const extra = (busyMs - idleMs) / (SECONDS * 1000);
    results[`${w}x${h}`] = { fps, ms, tiers, extra };
    rows.push(
      `| blur ${w}×${h} | ${fps.toFixed(1)} fps | ${ms.toFixed(1)} ms a frame in the worker (${
        (fps * ms / 10).toFixed(0)
      }% of a core) | ${
        (extra * 100).toFixed(0)
      }% of a core more than the camera alone | tier ${tiers} |`,
    );
  }
  const delay = await tab.evaluate(() =>
    (globalThis as unknown as EffectsBenchPage).noiseDelay("/fixture.wav")
  ) as {
    delayMs: number;
  };
  results.noiseDelayMs = delay.delayMs;
} finally {
  await browser.close();
  await server.shutdown();
}

// RNNoise itself, here: the whole fixture, frame by frame.
const wav = await Deno.readFile(fixture);
const pcm = new Int16Array(wav.buffer.slice(44));
const samples = Float32Array.from(pcm, (v) => v / 32768);
const rnnoise = new Rnnoise(
  await Deno.readFile(`${root}node_modules/@jitsi/rnnoise-wasm/dist/rnnoise.wasm`),
);
const frame = new Float32Array(RNNOISE_FRAME);
const t0 = performance.now();
let frames = 0;
for (let round = 0; round < 5; round++) {
  for (let i = 0; i + RNNOISE_FRAME <= samples.length; i += RNNOISE_FRAME) {
    frame.set(samples.subarray(i, i + RNNOISE_FRAME));
    rnnoise.process(frame);
    frames++;
  }
}
const perSecond = (performance.now() - t0) / (frames * RNNOISE_FRAME / 48000);
rnnoise.destroy();
rows.push(
  `| noise suppression | ${perSecond.toFixed(1)} ms of CPU a second of audio (${
    (perSecond / 10).toFixed(1)
  }% of a core) | ${
    (results.noiseDelayMs as number).toFixed(1)
  } ms added (10 ms gathering RNNoise's frames, 10 ms of RNNoise's own overlap; the audio context's buffering comes on top) | | |`,
);
console.log(JSON.stringify(results));
const markdown = [
  "## Effects: `npm run bench:effects` (bench/effects-bench.ts)",
  "",
  `Headless Chromium on this machine (2 cores), a 30 fps camera of each size (a canvas redrawn every frame: Chromium's fake one gives 20 fps), ${SECONDS} s each (the first 2 s left out); the worker's own figures, and Chromium's CPU from /proc with the effect on against the same camera shown without it. RNNoise in Deno on the speech fixture (five passes), its delay from the worklet rendered offline in Chromium. Targets: blur ≥ 24 fps at 640×360 under half a core; noise suppression adds ≤ 20 ms.`,
  "",
  "| effect | rate | cost | beside | |",
  "| --- | --- | --- | --- | --- |",
  ...rows,
];
console.log(markdown.join("\n"));
if (!Deno.args.includes("--no-write")) await writeBenchmarkSection("effects", markdown.join("\n"));
