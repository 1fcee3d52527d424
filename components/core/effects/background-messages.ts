/** What the page and the background worker say to each other (see background-worker.ts). */

export type BackgroundRequest =
  /** Load the model; with a stream pair, process it (VideoFrames in, VideoFrames out). */
  | {
    type: "start";
    wasm: string;
    model: string;
    background: "blur" | ImageBitmap;
    /** The time a frame may take (default: 1/30 s); tests make it tiny to see the tiers. */
    frameMs?: number;
    readable?: ReadableStream<VideoFrame>;
    writable?: WritableStream<VideoFrame>;
  }
  /** The canvas path: one camera frame to process (answered with `frame`). */
  | { type: "frame"; bitmap: ImageBitmap };

export type BackgroundReport =
  | { type: "ready" }
  | { type: "frame"; bitmap: ImageBitmap }
  /** Once a second: frames processed, the time each took, the tier in use, how much is person. */
  | { type: "stats"; fps: number; msPerFrame: number; tier: number; person: number }
  /** Even the lowest tier cannot keep up (under 15 fps for 3 s). */
  | { type: "too-slow" }
  | { type: "failed"; message: string };
