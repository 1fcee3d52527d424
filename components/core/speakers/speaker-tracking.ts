/**
 * Who is speaking, and who holds the stage: the speaking detector (a chunk,
 * loaded on first use so it never delays a join) feeds the dominant speaker.
 * Every call goes through one promise, so calls keep their order.
 */
import { DominantSpeaker } from "./dominant-speaker.ts";
import type { SpeakingDetector } from "../media/speaking-detector.ts";

export class SpeakerTracking {
  readonly #stage = new DominantSpeaker();
  #detector: Promise<SpeakingDetector> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Someone started or stopped speaking. */
    readonly onSpeaking: (id: string, speaking: boolean) => void,
    /** The stage changed hands (null: nobody holds it). */
    readonly onStage: (id: string | null) => void,
  ) {}

  /** Who holds the stage. */
  get stage(): string | null {
    return this.#stage.current;
  }

  /** Listens to a stream's audio under `id` (replacing what was heard there). */
  watch(id: string, stream: MediaStream): void {
    this.#detector ??= import("../media/speaking-detector.ts").then(({ SpeakingDetector }) =>
      new SpeakingDetector((key, speaking) => {
        this.onSpeaking(key, speaking);
        this.#changed(this.#stage.update(key, speaking, performance.now()));
      })
    );
    void this.#detector.then((d) => d.watch(id, stream));
  }

  unwatch(id: string): void {
    void this.#detector?.then((d) => d.unwatch(id));
  }

  /** Someone left: off the stage as well. */
  forget(id: string): void {
    this.unwatch(id);
    this.#changed(this.#stage.remove(id, performance.now()));
  }

  /** Someone is known under a new id (re-paired after a server restart). */
  rename(from: string, to: string, stream: MediaStream | null): void {
    this.forget(from);
    if (stream) this.watch(to, stream);
  }

  close(): void {
    clearTimeout(this.#timer);
    void this.#detector?.then((d) => d.close());
  }

  /** Tells of a change, and looks again when a speaker could next take the stage. */
  #changed(changed: boolean): void {
    if (changed) this.onStage(this.#stage.current);
    clearTimeout(this.#timer);
    const now = performance.now();
    const next = this.#stage.nextChange(now);
    if (next !== null) {
      this.#timer = setTimeout(
        () => this.#changed(this.#stage.tick(performance.now())),
        next - now,
      );
    }
  }
}
