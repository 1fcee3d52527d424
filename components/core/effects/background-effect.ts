/**
 * A blurred or replaced background on the camera: a worker finds the person
 * in each frame and draws the background anew (background-worker.ts), fed
 * by MediaStreamTrackProcessor where the browser has it and by a canvas
 * where it does not (Firefox). A page cannot start a worker from another
 * origin: when the bundle comes from one (a CDN, the signaling server), the
 * same drawing runs on the page instead, from a chunk. Where the platform blurs the background itself
 * (the `backgroundBlur` constraint), blur asks the camera for that instead:
 * it costs nothing here. The worker, the wasm and the model are files beside
 * this chunk, fetched from nowhere else.
 */
import type { BackgroundReport, BackgroundRequest } from "./background-messages.ts";

type CompositorModule = typeof import("./background-compositor.ts");

/**
 * The compositor on the page, behind a worker's face: messages go in and
 * come out asynchronously, as they would through a worker.
 */
class PageWorker extends EventTarget {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly #compositor: InstanceType<CompositorModule["BackgroundCompositor"]>;

  constructor(module: CompositorModule) {
    super();
    this.#compositor = new module.BackgroundCompositor((report) =>
      setTimeout(() => {
        this.onmessage?.(new MessageEvent("message", { data: report }));
        this.dispatchEvent(new MessageEvent("message", { data: report }));
      })
    );
  }

  postMessage(msg: BackgroundRequest): void {
    setTimeout(() => void this.#compositor.handle(msg));
  }

  terminate(): void {
    this.#compositor.stop();
  }
}

/** The canvas path sends frames at most this often, and this many at a time. */
const CANVAS_FPS = 30;
const IN_FLIGHT = 2;

/** What the page reads of a running effect (for tests and the benchmark). */
export interface BackgroundStats {
  fps: number;
  msPerFrame: number;
  /** 0: the mask every frame; 1: every 2nd; 2: every 3rd. */
  tier: number;
  /** The share of the frame found to be the person (0–1). */
  person: number;
}

interface Pipeline {
  worker: Worker;
  stop(): void;
  stats: BackgroundStats | null;
}

declare class MediaStreamTrackProcessor<T> {
  constructor(init: { track: MediaStreamTrack });
  readonly readable: ReadableStream<T>;
}
declare class MediaStreamTrackGenerator extends MediaStreamTrack {
  constructor(init: { kind: "video" });
  readonly writable: WritableStream<VideoFrame>;
}

/** Whether this browser can hand camera frames to a worker as a stream. */
const framesAsStream = () =>
  "MediaStreamTrackProcessor" in globalThis && "MediaStreamTrackGenerator" in globalThis;

/** Whether the camera blurs the background itself (Chrome on some systems). */
function platformBlur(camera: MediaStreamTrack): boolean {
  const caps = camera.getCapabilities?.() as { backgroundBlur?: boolean[] } | undefined;
  return !!caps?.backgroundBlur?.includes(true);
}

export class BackgroundEffect {
  readonly #base: URL;
  readonly #background: string;
  /** The picture, for replacement: each worker gets its own copy. */
  readonly #picture: ImageBitmap | null;
  readonly #pipelines = new Map<MediaStreamTrack, Pipeline>();
  /** The compositor's chunk, when it runs on the page (no worker from the bundle's origin). */
  readonly #inPage: CompositorModule | null;
  /** The time a frame may take, when not the default (tests). */
  readonly #frameMs: number | undefined;
  /** Called (once) when the device cannot keep the effect up. */
  onTooSlow: (() => void) | null = null;
  /** Called when the worker fails (the wasm or model cannot be had, say). */
  onFailed: ((message: string) => void) | null = null;

  private constructor(
    base: URL,
    background: string,
    picture: ImageBitmap | null,
    inPage: CompositorModule | null,
    frameMs: number | undefined,
  ) {
    this.#inPage = inPage;
    this.#frameMs = frameMs;
    this.#base = base;
    this.#background = background;
    this.#picture = picture;
  }

  /**
   * Ready to apply `background` (`blur`, or a picture's URL, which must load:
   * a picture that cannot be fetched or decoded rejects here, with why).
   */
  static async load(
    background: string,
    base = new URL(".", import.meta.url),
    options: { inPage?: boolean; frameMs?: number } = {},
  ): Promise<BackgroundEffect> {
    if (typeof OffscreenCanvas !== "function") {
      throw new Error("this browser has no OffscreenCanvas");
    }
    // A page may start a worker only from its own origin.
    const inPage = options.inPage || base.origin !== location.origin
      ? await import("./background-compositor.ts")
      : null;
    let picture: ImageBitmap | null = null;
    if (background !== "blur") {
      const response = await fetch(new URL(background, document.baseURI));
      if (!response.ok) throw new Error(`the picture answered ${response.status}`);
      picture = await createImageBitmap(await response.blob());
    }
    return new BackgroundEffect(base, background, picture, inPage, options.frameMs);
  }

  /** The camera's track with the background changed: a new track; the camera's runs on under it. */
  apply(camera: MediaStreamTrack): MediaStreamTrack {
    if (this.#background === "blur" && platformBlur(camera)) {
      void camera.applyConstraints({ backgroundBlur: true } as MediaTrackConstraints);
      return camera;
    }
    const worker = this.#inPage
      ? new PageWorker(this.#inPage) as unknown as Worker
      : new Worker(new URL("background-worker.js", this.#base), { type: "module" });
    const start = {
      type: "start",
      wasm: new URL("tflite-simd.wasm", this.#base).href,
      model: new URL("selfie_segmentation_landscape.tflite", this.#base).href,
      background: "blur",
      frameMs: this.#frameMs,
    } as BackgroundRequest & { type: "start" };
    const transfer: Transferable[] = [];
    // Copied, not transferred: each worker gets its own (on the page it is shared, and kept).
    if (this.#picture) start.background = this.#picture;
    let made: MediaStreamTrack;
    let stop: () => void;
    if (framesAsStream()) {
      const processor = new MediaStreamTrackProcessor<VideoFrame>({ track: camera });
      const generator = new MediaStreamTrackGenerator({ kind: "video" });
      start.readable = processor.readable;
      start.writable = generator.writable;
      transfer.push(processor.readable, generator.writable);
      made = generator;
      stop = () => {};
    } else {
      ({ track: made, stop } = this.#canvasPath(camera, worker));
    }
    const pipeline: Pipeline = {
      worker,
      stats: null,
      stop: () => {
        stop();
        worker.terminate();
      },
    };
    worker.onmessage = (e: MessageEvent<BackgroundReport>) => {
      const msg = e.data;
      if (msg.type === "stats") pipeline.stats = msg;
      else if (msg.type === "too-slow") this.onTooSlow?.();
      else if (msg.type === "failed") this.onFailed?.(msg.message);
    };
    worker.onerror = (e) => this.onFailed?.(e.message || "the background worker did not start");
    worker.postMessage(start, transfer);
    this.#pipelines.set(made, pipeline);
    return made;
  }

  /**
   * Firefox (no MediaStreamTrackProcessor): the camera plays in a video
   * element that nobody sees, the worker gets one frame at a time as an
   * ImageBitmap and gives one back, drawn on a canvas whose stream is sent.
   * Two frames are in flight at most: a slow device sends fewer, never a queue.
   */
  #canvasPath(camera: MediaStreamTrack, worker: Worker) {
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([camera]);
    void video.play().catch(() => {});
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d")!;
    const track = canvas.captureStream(CANVAS_FPS).getVideoTracks()[0];
    let stopped = false;
    let sentAt = 0;
    // Two frames in flight: the page grabs the next while the worker draws one.
    const send = async () => {
      if (stopped) return;
      if (video.readyState < 2) {
        setTimeout(send, 50);
        return;
      }
      const wait = sentAt + 1000 / CANVAS_FPS - performance.now();
      sentAt = Math.max(performance.now(), sentAt + 1000 / CANVAS_FPS);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopped) return;
      const bitmap = await createImageBitmap(video);
      worker.postMessage({ type: "frame", bitmap } satisfies BackgroundRequest, [bitmap]);
    };
    worker.addEventListener("message", (e: MessageEvent<BackgroundReport>) => {
      const msg = e.data;
      if (msg.type === "ready") { for (let i = 0; i < IN_FLIGHT; i++) void send(); }
      if (msg.type !== "frame") return;
      if (canvas.width !== msg.bitmap.width) canvas.width = msg.bitmap.width;
      if (canvas.height !== msg.bitmap.height) canvas.height = msg.bitmap.height;
      ctx.drawImage(msg.bitmap, 0, 0);
      msg.bitmap.close();
      void send();
    });
    return {
      track,
      stop: () => {
        stopped = true;
        video.srcObject = null;
      },
    };
  }

  /** Done with a track apply() made: its worker goes. */
  release(track: MediaStreamTrack): void {
    track.stop();
    this.#pipelines.get(track)?.stop();
    this.#pipelines.delete(track);
  }

  /** The latest figures of the effect on a track apply() made (null until its first second). */
  stats(track: MediaStreamTrack): BackgroundStats | null {
    return this.#pipelines.get(track)?.stats ?? null;
  }

  /** Lets go of the picture. */
  dispose(): void {
    for (const track of [...this.#pipelines.keys()]) this.release(track);
    this.#picture?.close();
  }
}

/** Turns the camera's own blur off again, where it had been asked for. */
export function undoPlatformBlur(camera: MediaStreamTrack): void {
  if (platformBlur(camera)) {
    void camera.applyConstraints({ backgroundBlur: false } as MediaTrackConstraints);
  }
}
