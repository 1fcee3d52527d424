/**
 * The background effect's drawing: each camera frame is scaled to the
 * segmentation model's size, the person found, and the frame drawn again
 * with a blurred or replaced background. Frames come either as a stream of
 * VideoFrames (MediaStreamTrackProcessor, where the browser has it) or one
 * ImageBitmap at a time (the canvas path). Runs in the background worker
 * (background-worker.ts), or on the page when no worker can be made (the
 * bundle served from another origin than the page's).
 *
 * Device tiers: the model's input is fixed (256×144), so a device that cannot
 * keep up finds the person less often (every 2nd, then every 3rd frame: a
 * softer, lagging edge) before the page is told it is too slow.
 */
import { SelfieSegmenter } from "./selfie-segmenter.ts";
import type { BackgroundReport, BackgroundRequest } from "./background-messages.ts";

/** A frame's time at 30 fps; beyond twice that (under 15 fps) the lowest tier gives up. */
const FRAME_MS = 1000 / 30;
/** How long the lowest tier may stay too slow before the page is told. */
const GIVE_UP_MS = 3000;
/** How often the mask is made at each tier: every frame, every 2nd, every 3rd. */
const TIERS = [1, 2, 3] as const;

type Post = (report: BackgroundReport, transfer?: Transferable[]) => void;

/** A canvas to draw on; `read`: one whose pixels are read back (kept in memory, not on a GPU). */
function context(w: number, h: number, read = false): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: read })!;
  ctx.imageSmoothingQuality = "high";
  return ctx;
}

function sized(ctx: OffscreenCanvasRenderingContext2D, w: number, h: number): void {
  if (ctx.canvas.width !== w || ctx.canvas.height !== h) {
    ctx.canvas.width = w;
    ctx.canvas.height = h;
    ctx.imageSmoothingQuality = "high";
  }
}

export class BackgroundCompositor {
  readonly #post: Post;
  #segmenter: SelfieSegmenter | null = null;
  #background: "blur" | ImageBitmap = "blur";
  /** The model's input, the mask, the blur's two steps down, and the frame drawn anew. */
  readonly #small = context(16, 16, true);
  readonly #mask = context(16, 16);
  #maskData = new ImageData(1, 1);
  readonly #tiny = context(4, 4);
  readonly #mid = context(16, 16);
  readonly #out = context(16, 16);
  /** The picture, scaled and cropped to fill the frame once (not every frame). */
  #fit: { picture: ImageBitmap; canvas: OffscreenCanvas } | null = null;
  #tier = 0;
  #count = 0;
  /** Frames since the tier last changed: a step back up waits for a steady second or so. */
  #sinceChange = 0;
  /** Smoothed time per frame (ms), and since when the lowest tier has been too slow. */
  #average = 0;
  #slowSince = 0;
  #gaveUp = false;
  #frames = 0;
  #busy = 0;
  #windowStart = performance.now();
  /** How much of the last mask is the person (0–1), for the figures. */
  #person = 0;
  #stopped = false;
  #frameMs = FRAME_MS;

  constructor(post: Post) {
    this.#post = post;
  }

  /** Takes one message from the page; what it answers goes through `post`. */
  async handle(msg: BackgroundRequest): Promise<void> {
    try {
      if (msg.type === "start") {
        const [wasm, model] = await Promise.all(
          [msg.wasm, msg.model].map((url) =>
            fetch(url).then((r) => {
              if (!r.ok) throw new Error(`${url} answered ${r.status}`);
              return r.arrayBuffer();
            })
          ),
        );
        const segmenter = await SelfieSegmenter.create(wasm, model);
        this.#segmenter = segmenter;
        sized(this.#small, segmenter.width, segmenter.height);
        sized(this.#mask, segmenter.width, segmenter.height);
        this.#maskData = new ImageData(segmenter.width, segmenter.height);
        this.#background = msg.background;
        this.#frameMs = msg.frameMs ?? FRAME_MS;
        this.#post({ type: "ready" });
        if (msg.readable && msg.writable) await this.#pipe(msg.readable, msg.writable);
      } else if (msg.type === "frame") {
        this.#composite(msg.bitmap, msg.bitmap.width, msg.bitmap.height);
        msg.bitmap.close();
        const bitmap = this.#out.canvas.transferToImageBitmap();
        this.#post({ type: "frame", bitmap }, [bitmap]);
      }
    } catch (err) {
      this.#post({ type: "failed", message: (err as Error)?.message ?? String(err) });
    }
  }

  /** Stops the stream path (the page's fallback has no worker to terminate). */
  stop(): void {
    this.#stopped = true;
  }

  /** The Chromium path: VideoFrames in, VideoFrames out, at the camera's pace. */
  async #pipe(readable: ReadableStream<VideoFrame>, writable: WritableStream<VideoFrame>) {
    const reader = readable.getReader();
    const writer = writable.getWriter();
    while (!this.#stopped) {
      const { value: frame, done } = await reader.read();
      if (done || !frame) break;
      try {
        this.#composite(frame, frame.displayWidth, frame.displayHeight);
        await writer.write(new VideoFrame(this.#out.canvas, { timestamp: frame.timestamp }));
      } finally {
        frame.close();
      }
    }
    await reader.cancel().catch(() => {});
    await writer.close().catch(() => {});
  }

  #fitted(picture: ImageBitmap, w: number, h: number): OffscreenCanvas {
    const fit = this.#fit;
    if (fit?.picture === picture && fit.canvas.width === w && fit.canvas.height === h) {
      return fit.canvas;
    }
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext("2d")!;
    ctx.imageSmoothingQuality = "high";
    const scale = Math.max(w / picture.width, h / picture.height);
    const pw = w / scale;
    const ph = h / scale;
    ctx.drawImage(picture, (picture.width - pw) / 2, (picture.height - ph) / 2, pw, ph, 0, 0, w, h);
    this.#fit = { picture, canvas };
    return canvas;
  }

  /** Draws `frame` (w×h) with its background blurred or replaced into the output canvas. */
  #composite(frame: CanvasImageSource, w: number, h: number): void {
    const started = performance.now();
    const segmenter = this.#segmenter!;
    const out = this.#out;
    if (this.#count++ % TIERS[this.#tier] === 0) {
      const { width, height } = segmenter;
      this.#small.drawImage(frame, 0, 0, width, height);
      const data = this.#maskData.data;
      segmenter.segment(this.#small.getImageData(0, 0, width, height).data, data);
      this.#mask.putImageData(this.#maskData, 0, 0);
      if (this.#count % 15 === 1) {
        let sum = 0;
        for (let i = 3; i < data.length; i += 4) sum += data[i];
        this.#person = sum / (data.length / 4) / 255;
      }
    }
    sized(out, w, h);
    // The person: the mask, scaled up (smoothly: a soft edge), then the frame inside it.
    out.globalCompositeOperation = "copy";
    out.drawImage(this.#mask.canvas, 0, 0, w, h);
    out.globalCompositeOperation = "source-in";
    out.drawImage(frame, 0, 0, w, h);
    // Behind the person: the frame blurred (down to 1/16 and back up in two smooth steps,
    // far cheaper than a blur filter at full size), or the picture, filling the frame.
    out.globalCompositeOperation = "destination-over";
    const background = this.#background;
    if (background === "blur") {
      const tw = Math.max(4, Math.round(w / 16));
      const th = Math.max(4, Math.round(h / 16));
      sized(this.#tiny, tw, th);
      sized(this.#mid, tw * 4, th * 4);
      this.#tiny.drawImage(frame, 0, 0, tw, th);
      this.#mid.drawImage(this.#tiny.canvas, 0, 0, tw * 4, th * 4);
      out.drawImage(this.#mid.canvas, 0, 0, w, h);
    } else {
      out.drawImage(this.#fitted(background, w, h), 0, 0);
    }
    this.#measure(performance.now() - started);
  }

  /** Steps the tier down (or back up) by the time frames take, and reports once a second. */
  #measure(ms: number): void {
    this.#average = this.#average ? this.#average * 0.9 + ms * 0.1 : ms;
    this.#busy += ms;
    this.#frames++;
    const now = performance.now();
    const last = TIERS.length - 1;
    // The first frames are slow (the wasm warms up): no step before a few are through.
    if (++this.#sinceChange > 10 && this.#average > this.#frameMs * 0.8 && this.#tier < last) {
      this.#tier++;
      this.#average = 0;
      this.#sinceChange = 0;
    } else if (this.#sinceChange > 30 && this.#average < this.#frameMs * 0.3 && this.#tier > 0) {
      this.#tier--;
      this.#average = 0;
      this.#sinceChange = 0;
    }
    if (this.#tier === last && this.#average > this.#frameMs * 2) {
      this.#slowSince ||= now;
      if (now - this.#slowSince > GIVE_UP_MS && !this.#gaveUp) {
        this.#gaveUp = true;
        this.#post({ type: "too-slow" });
      }
    } else this.#slowSince = 0;
    if (now - this.#windowStart >= 1000) {
      this.#post({
        type: "stats",
        fps: (this.#frames * 1000) / (now - this.#windowStart),
        msPerFrame: this.#busy / this.#frames,
        tier: this.#tier,
        person: this.#person,
      });
      this.#frames = 0;
      this.#busy = 0;
      this.#windowStart = now;
    }
  }
}
