/**
 * The audio worklet that runs RNNoise on the microphone: 128-sample render
 * quanta in, gathered into RNNoise's 480-sample frames, denoised, and played
 * out one frame later (10 ms plus at most one quantum of delay). Built on its
 * own into `noise-suppression-worklet.js` beside the effects chunk; it gets
 * the wasm's bytes from the page (a worklet cannot fetch). RNNoise itself
 * answers a frame late (its windows overlap by one): 20 ms in all.
 */
import { Rnnoise, RNNOISE_FRAME } from "./rnnoise.ts";

// The worklet scope's globals, which the DOM typings do not declare.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions: { wasm: ArrayBuffer } }) => unknown,
): void;

/** Processed samples kept for playing: two frames and more are never pending. */
const RING = 2048;

class NoiseSuppressionProcessor extends AudioWorkletProcessor {
  readonly #rnnoise: Rnnoise;
  readonly #frame = new Float32Array(RNNOISE_FRAME);
  readonly #ring = new Float32Array(RING);
  /** Samples taken in and played out so far. */
  #in = 0;
  #out = 0;
  #stopped = false;

  constructor(options: { processorOptions: { wasm: ArrayBuffer } }) {
    super();
    this.#rnnoise = new Rnnoise(options.processorOptions.wasm);
    this.port.onmessage = () => {
      this.#stopped = true;
      this.#rnnoise.destroy();
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.#stopped) return false;
    // The first channel is the voice (a microphone is mono; a second channel is a copy).
    const input = inputs[0]?.[0];
    const output = outputs[0];
    const n = output[0]?.length ?? 128;
    for (let i = 0; i < n; i++) {
      const at = this.#in++ % RNNOISE_FRAME;
      this.#frame[at] = input ? input[i] : 0;
      if (at === RNNOISE_FRAME - 1) {
        this.#rnnoise.process(this.#frame);
        const first = this.#in - RNNOISE_FRAME;
        for (let k = 0; k < RNNOISE_FRAME; k++) this.#ring[(first + k) % RING] = this.#frame[k];
      }
    }
    // Sample m plays as sample m + 480: by then its frame is always through, whatever the
    // quantum's size (a frame completes by the quantum that holds its last sample).
    for (let i = 0; i < n; i++) {
      const m = this.#out++ - RNNOISE_FRAME;
      const sample = m < 0 ? 0 : this.#ring[m % RING];
      for (const channel of output) channel[i] = sample;
    }
    return true;
  }
}

registerProcessor("video-room-noise-suppression", NoiseSuppressionProcessor);
