/**
 * Person segmentation: MediaPipe's selfie segmentation model (landscape,
 * 256×144 in, one person-probability per pixel out) run by a small TFLite
 * build for the web (XNNPACK, SIMD), instantiated straight from its wasm:
 * its Emscripten glue would load it by URL with a global `Module`, and it
 * needs nothing from the page but a clock and memory. Runs in the effects'
 * worker. Both files are vendored (vendor/selfie-segmentation/README.md).
 */

/** The wasm's exports, named by the minifier (see tflite-simd.js in its package). */
interface TfliteExports {
  q: WebAssembly.Memory;
  /** __wasm_call_ctors */
  r(): void;
  /** getModelBufferMemoryOffset */
  s(): number;
  /** getInputMemoryOffset: height × width × 3 floats, RGB in 0–1 */
  t(): number;
  /** getInputHeight */
  u(): number;
  /** getInputWidth */
  v(): number;
  /** getOutputMemoryOffset: height × width floats, the person's probability */
  x(): number;
  /** getOutputHeight */
  y(): number;
  /** getOutputWidth */
  z(): number;
  /** loadModel(bytes): 0 when it loaded */
  B(size: number): number;
  /** runInference */
  C(): number;
}

export class SelfieSegmenter {
  readonly #x: TfliteExports;
  /** The model's input size: frames are scaled to it. */
  readonly width: number;
  readonly height: number;

  private constructor(x: TfliteExports) {
    this.#x = x;
    this.width = x.v();
    this.height = x.u();
  }

  /** Instantiates the wasm and loads the model into it. */
  static async create(wasm: BufferSource, model: ArrayBuffer): Promise<SelfieSegmenter> {
    // The imports run only once the instance exists, from its own calls: `made.x` is set by then.
    const made: { x?: TfliteExports } = {};
    const heap = () => made.x!.q.buffer;
    const fail = (what: string) => () => {
      throw new Error(`Cannot segment: the model asked for ${what}`);
    };
    const { instance } = await WebAssembly.instantiate(wasm, {
      a: {
        a: fail("abort"),
        // sysconf: the page size, and one processor (no threads are made: pthread_create fails).
        b: (name: number) => (name === 30 ? 16384 : name === 84 ? 1 : -1),
        // fd_write (its log lines): counted as written, and dropped.
        c: (_fd: number, iov: number, count: number, written: number) => {
          const view = new DataView(heap());
          let n = 0;
          for (let i = 0; i < count; i++) n += view.getUint32(iov + i * 8 + 4, true);
          view.setUint32(written, n, true);
          return 0;
        },
        d: () => 6, // pthread_create: EAGAIN, so XNNPACK runs on this thread
        e: fail("dlsym"),
        f: () => 28, // pthread_join
        // environ_sizes_get: no environment
        g: (count: number, size: number) => {
          const view = new DataView(heap());
          view.setUint32(count, 0, true);
          view.setUint32(size, 0, true);
          return 0;
        },
        h: () => 0, // fd_close
        i: fail("dlopen"),
        j: fail("exit"),
        k: () => 0, // fd_seek
        l: (dest: number, src: number, n: number) =>
          new Uint8Array(heap()).copyWithin(dest, src, src + n),
        // emscripten_resize_heap
        m: (size: number) => {
          try {
            made.x!.q.grow(Math.ceil((size - heap().byteLength) / 65536));
            return 1;
          } catch {
            return 0;
          }
        },
        // clock_gettime: seconds and nanoseconds
        n: (_clock: number, at: number) => {
          const ms = performance.now();
          const view = new DataView(heap());
          view.setInt32(at, Math.floor(ms / 1000), true);
          view.setInt32(at + 4, Math.floor((ms % 1000) * 1e6), true);
          return 0;
        },
        o: () => {}, // emscripten_thread_sleep: never with one thread
        p: () => 0, // environ_get
      },
    });
    const x = made.x = instance.exports as unknown as TfliteExports;
    x.r();
    new Uint8Array(x.q.buffer).set(new Uint8Array(model), x.s());
    if (x.B(model.byteLength) !== 0) throw new Error("Cannot segment: the model did not load");
    return new SelfieSegmenter(x);
  }

  /**
   * The person's probability (0–1) for each pixel of `rgba` (the model's
   * size, 4 bytes a pixel, as getImageData gives it), written into `mask`'s
   * alpha bytes (same layout): the person opaque, the background clear.
   */
  segment(rgba: Uint8ClampedArray, mask: Uint8ClampedArray): void {
    const x = this.#x;
    const pixels = this.width * this.height;
    // Fresh views each time: the heap may grow (and detach old ones).
    const input = new Float32Array(x.q.buffer, x.t(), pixels * 3);
    for (let i = 0, j = 0; i < pixels; i++, j += 4) {
      input[i * 3] = rgba[j] / 255;
      input[i * 3 + 1] = rgba[j + 1] / 255;
      input[i * 3 + 2] = rgba[j + 2] / 255;
    }
    x.C();
    const output = new Float32Array(x.q.buffer, x.x(), pixels);
    for (let i = 0; i < pixels; i++) mask[i * 4 + 3] = output[i] * 255;
  }
}
