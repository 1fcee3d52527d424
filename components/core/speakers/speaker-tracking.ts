/**
 * Who is speaking, and who holds the stage: the speaking detector feeds the
 * dominant speaker, both a chunk loaded when the first microphone is heard
 * (so neither weighs on the pre-join screen nor delays a join). Every call
 * goes through one promise, so calls keep their order.
 */
import type { DominantSpeaker } from "./dominant-speaker.ts";
import type { SpeakingDetector } from "../media/speaking-detector.ts";

export class SpeakerTracking {
  /** Null until the first microphone is heard: nobody could hold the stage before. */
  #stage: DominantSpeaker | null = null;
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
    return this.#stage?.current ?? null;
  }

  /** Listens to a stream's audio under `id` (replacing what was heard there). */
  watch(id: string, stream: MediaStream): void {
    this.#detector ??= import("./speaker-listening.ts").then(
      ({ SpeakingDetector, DominantSpeaker }) => {
        const stage = this.#stage = new DominantSpeaker();
        return new SpeakingDetector((key, speaking) => {
          this.onSpeaking(key, speaking);
          this.#changed(stage.update(key, speaking, performance.now()));
        });
      },
    );
    void this.#detector.then((d) => d.watch(id, stream));
  }

  unwatch(id: string): void {
    void this.#detector?.then((d) => d.unwatch(id));
  }

  /** Someone left: off the stage as well. */
  forget(id: string): void {
    this.unwatch(id);
    if (this.#stage) this.#changed(this.#stage.remove(id, performance.now()));
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
    const stage = this.#stage!;
    if (changed) this.onStage(stage.current);
    clearTimeout(this.#timer);
    const now = performance.now();
    const next = stage.nextChange(now);
    if (next !== null) {
      this.#timer = setTimeout(() => this.#changed(stage.tick(performance.now())), next - now);
    }
  }
}
