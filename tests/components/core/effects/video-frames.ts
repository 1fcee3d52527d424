/**
 * Video for the background tests, in the page: a camera that films a sharp
 * pattern with no person in it (so the whole frame is background), and what
 * a track looks like: its sharpness (the mean difference between
 * neighbouring pixels' brightness), its mean colour, and its frame rate;
 * and a device too slow for the background effect.
 */
import { BackgroundEffect } from "../../../../components/core/effects/background-effect.ts";
import { until } from "../../test-helpers.ts";

const stops: Array<() => void> = [];

/**
 * A 640×360 camera filming a whiteboard: lines of small dark writing and
 * coloured notes on light grey, the writing scrolling a little each frame.
 * Sharp everywhere, and no person in it.
 */
export function patternCamera(width = 640, height = 360): MediaStreamTrack {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  const notes = ["#f4d35e", "#ee964b", "#7fb7be", "#bc9ec1"];
  let n = 0;
  const draw = () => {
    ctx.fillStyle = "#e8e8e4";
    ctx.fillRect(0, 0, width, height);
    ctx.font = "12px monospace";
    ctx.fillStyle = "#222";
    const shift = n++ % 20;
    for (let y = 16; y < height; y += 16) {
      ctx.fillText("plan q3: ship effects, fix bugs; review 12-04 #" + ((y + shift) % 97), 8, y);
      ctx.fillText("todo: tests, docs, bench; owner: team " + ((y * 7) % 13), 360, y);
    }
    notes.forEach((c, i) => {
      ctx.fillStyle = c;
      ctx.fillRect(40 + i * 150, 200, 90, 90);
    });
  };
  draw();
  const timer = setInterval(draw, 33);
  const track = canvas.captureStream(30).getVideoTracks()[0];
  stops.push(() => {
    clearInterval(timer);
    track.stop();
  });
  return track;
}

/**
 * Replaces getUserMedia's camera with the pattern (microphones stay the
 * browser's fake one). Returns what puts the real one back.
 */
export function usePatternCamera(): () => void {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = constraints?.audio
      ? await original.call(devices, { audio: constraints.audio })
      : new MediaStream();
    if (constraints?.video) stream.addTrack(patternCamera());
    return stream;
  };
  return () => {
    devices.getUserMedia = original;
  };
}

export interface Look {
  /** Mean absolute brightness step between neighbouring pixels (0–255): 0 is flat. */
  sharpness: number;
  /** Mean colour. */
  rgb: [number, number, number];
  /** Frames shown per second while looked at. */
  fps: number;
}

/** Plays `stream` and looks at it for `ms`: several frames sampled, their looks averaged. */
export async function look(stream: MediaStream, ms = 3000): Promise<Look> {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  video.style.cssText = "position:fixed;right:0;bottom:0;width:160px;height:90px";
  document.body.append(video);
  try {
    await video.play().catch(() => {});
    await until(() => video.videoWidth > 0 && video.currentTime > 0, "the video playing", 15000);
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    // Frames shown: counted as they are presented where the browser says so, else its tally.
    let shown = 0;
    const count = () => {
      shown++;
      video.requestVideoFrameCallback(count);
    };
    const counting = typeof video.requestVideoFrameCallback === "function";
    if (counting) video.requestVideoFrameCallback(count);
    const frames0 = video.getVideoPlaybackQuality().totalVideoFrames;
    const t0 = performance.now();
    const looks: Array<Omit<Look, "fps">> = [];
    while (performance.now() - t0 < ms) {
      await new Promise((r) => setTimeout(r, 200));
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      looks.push(measure(ctx.getImageData(0, 0, canvas.width, canvas.height)));
    }
    const frames = counting ? shown : video.getVideoPlaybackQuality().totalVideoFrames - frames0;
    const fps = frames * 1000 / (performance.now() - t0);
    const mean = (f: (l: Omit<Look, "fps">) => number) =>
      looks.reduce((s, l) => s + f(l), 0) / looks.length;
    return {
      sharpness: mean((l) => l.sharpness),
      rgb: [mean((l) => l.rgb[0]), mean((l) => l.rgb[1]), mean((l) => l.rgb[2])],
      fps,
    };
  } finally {
    video.srcObject = null;
    video.remove();
  }
}

function measure(image: ImageData): Omit<Look, "fps"> {
  const { data, width, height } = image;
  const luma = (i: number) => 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  let steps = 0;
  let n = 0;
  const rgb: [number, number, number] = [0, 0, 0];
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const i = (y * width + x) * 4;
      steps += Math.abs(luma(i) - luma(i + 4)) + Math.abs(luma(i) - luma(i + width * 4));
      n++;
      rgb[0] += data[i];
      rgb[1] += data[i + 1];
      rgb[2] += data[i + 2];
    }
  }
  return { sharpness: steps / n / 2, rgb: [rgb[0] / n, rgb[1] / n, rgb[2] / n] };
}

export function stopCameras(): void {
  for (const stop of stops.splice(0)) stop();
}

/**
 * A device far too slow for the background effect: every frame is over a
 * budget of a hundredth of a millisecond. Returns what puts the real budget back.
 */
export function useSlowDevice(): () => void {
  const load = BackgroundEffect.load;
  BackgroundEffect.load = (background, base, options = {}) =>
    load.call(BackgroundEffect, background, base, { ...options, frameMs: 0.01 });
  return () => {
    BackgroundEffect.load = load;
  };
}
