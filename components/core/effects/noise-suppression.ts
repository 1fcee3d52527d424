/**
 * Noise suppression on the microphone: RNNoise in an AudioWorklet, between
 * the device's track and the one shown and sent. The worklet and the wasm
 * are files beside this chunk (never fetched from anyone else); the audio
 * graph runs at 48 kHz, RNNoise's rate.
 */

const PROCESSOR = "video-room-noise-suppression";

/** One audio graph per page, made when someone first turns suppression on. */
export class NoiseSuppression {
  readonly #context: AudioContext;
  readonly #wasm: ArrayBuffer;
  /** What each processed track takes down with it when released. */
  readonly #graphs = new Map<MediaStreamTrack, () => void>();

  private constructor(context: AudioContext, wasm: ArrayBuffer) {
    this.#context = context;
    this.#wasm = wasm;
    // A context made before the visitor touched the page starts suspended (autoplay rules):
    // the first click or key lets it run.
    if (context.state === "suspended") {
      const resume = () => void context.resume();
      for (const type of ["pointerdown", "keydown"]) {
        addEventListener(type, resume, { once: true, capture: true });
      }
    }
  }

  /** Loads the worklet and the wasm (from beside this file) into a fresh 48 kHz context. */
  static async load(base = new URL(".", import.meta.url)): Promise<NoiseSuppression> {
    const context = new AudioContext({ sampleRate: 48000, latencyHint: "interactive" });
    try {
      const [wasm] = await Promise.all([
        fetch(new URL("rnnoise.wasm", base)).then((r) => {
          if (!r.ok) throw new Error(`rnnoise.wasm answered ${r.status}`);
          return r.arrayBuffer();
        }),
        context.audioWorklet.addModule(new URL("noise-suppression-worklet.js", base)),
      ]);
      if (!WebAssembly.validate(wasm)) throw new Error("rnnoise.wasm is not WebAssembly");
      return new NoiseSuppression(context, wasm);
    } catch (err) {
      void context.close();
      throw err;
    }
  }

  /** The microphone's track, denoised: a new track; the device's own keeps running under it. */
  apply(microphone: MediaStreamTrack): MediaStreamTrack {
    const ctx = this.#context;
    const source = ctx.createMediaStreamSource(new MediaStream([microphone]));
    const node = new AudioWorkletNode(ctx, PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: "explicit",
      // Each node its own copy: RNNoise's state and heap are per track.
      processorOptions: { wasm: this.#wasm.slice(0) },
    });
    const out = ctx.createMediaStreamDestination();
    out.channelCount = 1;
    source.connect(node).connect(out);
    const track = out.stream.getAudioTracks()[0];
    this.#graphs.set(track, () => {
      source.disconnect();
      node.disconnect();
      node.port.postMessage("stop");
    });
    if (ctx.state === "suspended") void ctx.resume().catch(() => {});
    return track;
  }

  /** Done with a track apply() made: its graph is taken down (the device's track is not touched). */
  release(track: MediaStreamTrack): void {
    track.stop();
    this.#graphs.get(track)?.();
    this.#graphs.delete(track);
  }

  /**
   * The delay the graph adds, in seconds: 10 ms gathering RNNoise's frames,
   * 10 ms of RNNoise's own overlap, and the context's buffering.
   */
  get latency(): number {
    return 960 / 48000 + (this.#context.baseLatency ?? 0);
  }
}
