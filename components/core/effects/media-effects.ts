/**
 * The effects on one's own media, as a chunk loaded when someone first turns
 * one on: noise suppression on the microphone. LocalMedia hands each
 * device's track through the filter made here and sends what comes out.
 */
import type { EffectChoice, LocalMedia, TrackFilter } from "../media/local-media.ts";
import { NoiseSuppression } from "./noise-suppression.ts";

let noise: Promise<NoiseSuppression> | undefined;

/** Loaded once per page; a failed load is tried again next time. */
function loadNoiseSuppression(): Promise<NoiseSuppression> {
  return noise ??= NoiseSuppression.load().catch((err) => {
    noise = undefined;
    throw err;
  });
}

/** `media.effects` read: `1blur` is noise suppression on and a blurred background. */
export function parseEffects(key: string): EffectChoice {
  return { noise: key[0] === "1", background: key.slice(1) || "none" };
}

/** The filter for a choice, once what it needs is loaded (rejects when it cannot be). */
export async function effectsFilter(choice: EffectChoice): Promise<TrackFilter | null> {
  if (!choice.noise) return null;
  const ns = await loadNoiseSuppression();
  return {
    apply: (track) => (track.kind === "audio" ? ns.apply(track) : track),
    release: (track) => ns.release(track),
  };
}

/**
 * Applies `media.effects` to the media, live. If what it needs cannot be
 * loaded, the media goes on as captured and an `effect-failed` error says
 * why; a newer choice made meanwhile wins.
 */
export async function applyEffects(media: LocalMedia): Promise<void> {
  const key = media.effects;
  try {
    const filter = await effectsFilter(parseEffects(key));
    if (media.effects === key) media.refilter(filter);
  } catch (err) {
    if (media.effects !== key) return;
    media.refilter(null);
    media.report({
      code: "effect-failed",
      message: `Cannot apply the effect: ${(err as Error)?.message ?? err}`,
    });
  }
}
