/**
 * RNNoise (Xiph's recurrent-network noise suppressor), run straight from the
 * wasm that `@jitsi/rnnoise-wasm` builds, without its Emscripten glue: the
 * glue needs `eval`-like loading and a global `Module`, while the wasm itself
 * imports two functions only (grow the heap, copy memory). Usable wherever
 * WebAssembly is, an AudioWorklet included.
 */

/** RNNoise takes 10 ms frames at 48 kHz. */
export const RNNOISE_FRAME = 480;

/** The wasm's exports, named by the minifier; see rnnoise.js in the package. */
interface RnnoiseExports {
  c: WebAssembly.Memory;
  /** __wasm_call_ctors */
  d(): void;
  /** rnnoise_create(model) */
  f(model: number): number;
  /** malloc(bytes) */
  g(bytes: number): number;
  /** rnnoise_destroy(state) */
  h(state: number): void;
  /** free(pointer) */
  i(pointer: number): void;
  /** rnnoise_process_frame(state, out, in): the voice probability */
  j(state: number, out: number, input: number): number;
}

/** One denoiser: frames in, cleaner frames out, with RNNoise's own 10 ms of look-ahead. */
export class Rnnoise {
  readonly #x: RnnoiseExports;
  readonly #state: number;
  readonly #buffer: number;
  /** The voice probability of the last frame (0–1). */
  voice = 0;

  /** Compiles synchronously: fine off the main thread (a worklet), where this runs. */
  constructor(wasm: BufferSource | WebAssembly.Module) {
    const module = wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm);
    // The imports run only once the instance is made, from its own calls: this.#x is set by then.
    const instance = new WebAssembly.Instance(module, {
      a: {
        // emscripten_resize_heap: grow to at least the size asked for.
        a: (size: number) => {
          const memory = this.#x.c;
          try {
            memory.grow(Math.ceil((size - memory.buffer.byteLength) / 65536));
            return 1;
          } catch {
            return 0;
          }
        },
        // emscripten_memcpy_big
        b: (dest: number, src: number, n: number) =>
          new Uint8Array(this.#x.c.buffer).copyWithin(dest, src, src + n),
      },
    });
    const x = instance.exports as unknown as RnnoiseExports;
    this.#x = x;
    x.d();
    this.#state = x.f(0);
    this.#buffer = x.g(RNNOISE_FRAME * 4);
  }

  /**
   * Denoises one frame of 480 samples in -1…1, in place. RNNoise works on
   * 16-bit PCM scale, hence the scaling both ways.
   */
  process(frame: Float32Array): void {
    // A fresh view each time: growing the heap detaches the old buffer.
    const heap = new Float32Array(this.#x.c.buffer, this.#buffer, RNNOISE_FRAME);
    for (let i = 0; i < RNNOISE_FRAME; i++) heap[i] = frame[i] * 32768;
    this.voice = this.#x.j(this.#state, this.#buffer, this.#buffer);
    const out = new Float32Array(this.#x.c.buffer, this.#buffer, RNNOISE_FRAME);
    for (let i = 0; i < RNNOISE_FRAME; i++) frame[i] = out[i] / 32768;
  }

  /** Lets go of RNNoise's state; the object is unusable afterwards. */
  destroy(): void {
    this.#x.h(this.#state);
    this.#x.i(this.#buffer);
  }
}
