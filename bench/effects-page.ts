/**
 * The effects benchmark's page script (bundled by bench/effects-bench.ts):
 * blur on a camera of a given size for a few seconds, with the worker's own
 * figures; and noise suppression's delay, found by rendering the speech
 * fixture through the worklet offline and lining the output up with the
 * input.
 */
import { BackgroundEffect } from "../components/core/effects/background-effect.ts";

/** What the benchmark calls on the page. */
export interface EffectsBenchPage {
  camera(width: number, height: number): { track: MediaStreamTrack; stop(): void };
  runBlur(width: number, height: number, seconds: number): Promise<unknown>;
  noiseDelay(fixture: string): Promise<unknown>;
}
const page = globalThis as unknown as EffectsBenchPage;

/**
 * A 30 fps camera of the given size (Chromium's fake one gives 20): a busy
 * picture, redrawn every frame, so that the effect has work each time.
 */
export function camera(width: number, height: number): { track: MediaStreamTrack; stop(): void } {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  let n = 0;
  const timer = setInterval(() => {
    ctx.fillStyle = `hsl(${n++ % 360} 40% 80%)`;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#222";
    ctx.font = `${Math.round(height / 24)}px monospace`;
    for (let y = 20; y < height; y += height / 20) ctx.fillText(`frame ${n} line ${y}`, 10, y);
  }, 1000 / 30);
  const track = canvas.captureStream(30).getVideoTracks()[0];
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}

page.camera = camera;

page.runBlur = async (width, height, seconds) => {
  const source = camera(width, height);
  const cameraTrack = source.track;
  const effect = await BackgroundEffect.load("blur");
  const track = effect.apply(cameraTrack);
  // Played, as a page would show and send it.
  const video = document.createElement("video");
  video.muted = true;
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  await video.play();
  const samples: unknown[] = [];
  for (let i = 0; i < seconds; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(effect.stats(track));
  }
  effect.dispose();
  source.stop();
  video.remove();
  return { samples };
};

page.noiseDelay = async (fixture) => {
  const bytes = await (await fetch(fixture)).arrayBuffer();
  const ctx = new OfflineAudioContext(1, 48000 * 4, 48000);
  const input = await ctx.decodeAudioData(bytes);
  await ctx.audioWorklet.addModule("/fx/noise-suppression-worklet.js");
  const wasm = await (await fetch("/fx/rnnoise.wasm")).arrayBuffer();
  const node = new AudioWorkletNode(ctx, "video-room-noise-suppression", {
    processorOptions: { wasm },
    outputChannelCount: [1],
  });
  const source = ctx.createBufferSource();
  source.buffer = input;
  source.connect(node).connect(ctx.destination);
  source.start();
  const t0 = performance.now();
  const out = (await ctx.startRendering()).getChannelData(0);
  const renderMs = performance.now() - t0;
  // The delay: the shift that best lines the output up with the input (speech only passes).
  const x = input.getChannelData(0);
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = 0; lag <= 2400; lag += 8) {
    let score = 0;
    for (let i = 48000; i < 48000 * 3; i += 4) score += x[i] * out[i + lag];
    if (score > bestScore) [best, bestScore] = [lag, score];
  }
  return { delayMs: best / 48, renderMs, audioSeconds: 4 };
};
