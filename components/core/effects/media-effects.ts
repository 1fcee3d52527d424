/**
 * The effects on one's own media, as a chunk loaded when someone first turns
 * one on: noise suppression on the microphone, a blurred or replaced
 * background on the camera. LocalMedia hands each device's track through the
 * filter made here and sends what comes out.
 */
import type { EffectChoice, LocalMedia, TrackFilter } from "../media/local-media.ts";
import { BackgroundEffect, undoPlatformBlur } from "./background-effect.ts";
import { NoiseSuppression } from "./noise-suppression.ts";

let noise: Promise<NoiseSuppression> | undefined;
/** The background last asked for, and its effect (a picture is decoded once). */
let background: { value: string; effect: Promise<BackgroundEffect> } | undefined;
/**
 * Who shows the choice (the element's properties, which its Settings show):
 * told when an effect is turned off for them, so choosing it again retries.
 */
export interface EffectsHost {
  noiseSuppression: boolean;
  background: string;
}

/** Loaded once per page; a failed load is tried again next time. */
function loadNoiseSuppression(): Promise<NoiseSuppression> {
  return noise ??= NoiseSuppression.load().catch((err) => {
    noise = undefined;
    throw err;
  });
}

function loadBackground(value: string): Promise<BackgroundEffect> {
  if (background?.value !== value) {
    const old = background?.effect;
    const effect = BackgroundEffect.load(value);
    background = { value, effect };
    // The old one's tracks are released by LocalMedia first (refilter), then its picture goes.
    void old?.then((b) => setTimeout(() => b.dispose(), 1000), () => {});
    effect.catch(() => {
      if (background?.effect === effect) background = undefined;
    });
  }
  return background.effect;
}

/**
 * The browser's own noise suppression on a microphone: off under RNNoise (two suppressors
 * in a row only thin the voice), on again when RNNoise is (that is what "off" means).
 */
const asked = new WeakMap<MediaStreamTrack, { on: boolean; done: Promise<void> }>();
function browserSuppression(microphone: MediaStreamTrack | undefined, on: boolean): Promise<void> {
  if (!microphone) return Promise.resolve();
  // Never asked: the browser's is on (the capture asked for it).
  const last = asked.get(microphone) ?? { on: true, done: Promise.resolve() };
  if (last.on === on) return last.done;
  const wanted = { echoCancellation: true, autoGainControl: true, noiseSuppression: on };
  const done = (microphone.applyConstraints?.(wanted) ?? Promise.resolve()).catch(() => {});
  asked.set(microphone, { on, done });
  return done;
}

/** `media.effects` read: `1blur` is noise suppression on and a blurred background. */
export function parseEffects(key: string): EffectChoice {
  return { noise: key[0] === "1", background: key.slice(1) || "none" };
}

/** What could not be loaded (so that only that effect goes), and why. */
class EffectLoadError extends Error {
  constructor(readonly effect: "noise" | "background", cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

function loading<T>(effect: EffectLoadError["effect"], load: Promise<T>): Promise<T> {
  return load.catch((err) => {
    throw new EffectLoadError(effect, err);
  });
}

/**
 * The filter for a choice, once what it needs is loaded (rejects with an
 * EffectLoadError when it cannot be).
 */
export async function effectsFilter(
  choice: EffectChoice,
  onTooSlow: () => void = () => {},
  onFailed: (message: string) => void = () => {},
): Promise<TrackFilter | null> {
  const wantsBackground = choice.background !== "none";
  if (!choice.noise && !wantsBackground) return null;
  const [ns, bg] = await Promise.all([
    choice.noise ? loading("noise", loadNoiseSuppression()) : null,
    wantsBackground ? loading("background", loadBackground(choice.background)) : null,
  ]);
  if (bg) {
    bg.onTooSlow = onTooSlow;
    bg.onFailed = onFailed;
  }
  return {
    apply(track) {
      if (track.kind === "audio") {
        if (!ns) return track;
        void browserSuppression(track, false);
        return ns.apply(track);
      }
      if (bg) return bg.apply(track);
      undoPlatformBlur(track);
      return track;
    },
    release(track) {
      if (track.kind === "audio") ns?.release(track);
      else bg?.release(track);
    },
  };
}

/**
 * Applies `media.effects` to the media, live. An effect that cannot be
 * loaded goes (the other, if asked for, still comes) and an `effect-failed`
 * error says why; a newer choice made meanwhile wins. A background this
 * device cannot keep up is turned off with an `effect-stopped` error. What is
 * turned off is off in the choice too (`media.effects`, and `host`'s
 * properties), so choosing it again tries again.
 */
export async function applyEffects(media: LocalMedia, host?: EffectsHost): Promise<void> {
  const key = media.effects;
  const choice = parseEffects(key);
  /** Turns off what failed (`keep` is what still works), says why, and applies the rest. */
  const stop = (
    keep: EffectChoice,
    message: string,
    code: "effect-failed" | "effect-stopped" = "effect-failed",
  ) => {
    if (media.effects !== key) return; // a newer choice, or already stopped
    const next = (keep.noise ? "1" : "0") + keep.background;
    media.effects = next;
    if (host) [host.noiseSuppression, host.background] = [keep.noise, keep.background];
    media.report({ code, message });
    if (next !== key) void applyEffects(media, host); // else nothing is left to turn off
  };
  const noBackground = { ...choice, background: "none" };
  try {
    const filter = await effectsFilter(
      choice,
      () =>
        stop(
          noBackground,
          "Cannot keep the background effect up: this device is too slow, so it was turned off",
          "effect-stopped",
        ),
      (why) => stop(noBackground, `Cannot apply the background effect: ${why}`),
    );
    if (media.effects !== key) return;
    media.refilter(filter);
    await browserSuppression(media.track("audio"), !choice.noise);
  } catch (err) {
    const why = (err as Error)?.message ?? String(err);
    // What cannot be had goes; the other, if asked for, still comes.
    const failed = err instanceof EffectLoadError ? err.effect : null;
    if (failed === "noise") {
      stop({ ...choice, noise: false }, `Cannot apply noise suppression: ${why}`);
    } else if (failed === "background") {
      stop(noBackground, `Cannot apply the background effect: ${why}`);
    } else stop({ noise: false, background: "none" }, `Cannot apply the effect: ${why}`);
  }
}
