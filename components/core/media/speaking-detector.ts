/**
 * Tells who is speaking from audio levels (Web Audio analysers, one shared
 * AudioContext). Each poll reads the last ~43 ms and polls come every 50 ms,
 * so no syllable falls between two reads; a hold bridges the pauses between
 * words, so the highlight does not flicker.
 */
export class SpeakingDetector {
  #ctx: AudioContext | null = null;
  readonly #entries = new Map<string, {
    source: MediaStreamAudioSourceNode;
    analyser: AnalyserNode;
    data: Uint8Array<ArrayBuffer>;
    speaking: boolean;
    quietSince: number;
  }>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly onChange: (key: string, speaking: boolean) => void,
    readonly threshold = 0.04,
    readonly holdMs = 600,
  ) {}

  /** Watches the stream's audio under `key`; replaces what was watched there. */
  watch(key: string, stream: MediaStream): void {
    this.unwatch(key);
    if (stream.getAudioTracks().length === 0 || typeof AudioContext === "undefined") return;
    this.#ctx ??= new AudioContext();
    void this.#ctx.resume().catch(() => {});
    const source = this.#ctx.createMediaStreamSource(stream);
    const analyser = this.#ctx.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    this.#entries.set(key, {
      source,
      analyser,
      data: new Uint8Array(analyser.fftSize),
      speaking: false,
      quietSince: 0,
    });
    this.#timer ??= setInterval(() => this.#poll(), 50);
  }

  unwatch(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    e.source.disconnect();
    this.#entries.delete(key);
    if (e.speaking) this.onChange(key, false);
    if (this.#entries.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  close(): void {
    for (const key of [...this.#entries.keys()]) this.unwatch(key);
    void this.#ctx?.close().catch(() => {});
    this.#ctx = null;
  }

  #poll(): void {
    const now = performance.now();
    for (const [key, e] of this.#entries) {
      e.analyser.getByteTimeDomainData(e.data);
      let sum = 0;
      for (const v of e.data) sum += ((v - 128) / 128) ** 2;
      const rms = Math.sqrt(sum / e.data.length);
      if (rms >= this.threshold) {
        e.quietSince = 0;
        if (!e.speaking) {
          e.speaking = true;
          this.onChange(key, true);
        }
      } else if (e.speaking) {
        e.quietSince ||= now;
        if (now - e.quietSince > this.holdMs) {
          e.speaking = false;
          this.onChange(key, false);
        }
      }
    }
  }
}
