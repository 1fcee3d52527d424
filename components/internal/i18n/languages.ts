/**
 * Which language a <video-room> speaks: its `lang`, else the nearest
 * ancestor's (so `<html lang="fr">` is enough, across shadow roots), else
 * the browser's languages in order, else English; each matched by its
 * primary subtag (`pt-PT` is Portuguese, `zh-TW` Chinese). Pure: no texts.
 */

/** The bundled languages (BCP 47 primary subtags); English is built in, each other a chunk. */
export const LANGUAGES = [
  "en",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "nl",
  "pl",
  "tr",
  "ru",
  "uk",
  "ja",
  "ko",
  "zh",
  "ar",
  "he",
] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages written right to left. */
const RTL: ReadonlySet<Language> = new Set(["ar", "he"]);

export function isRtl(lang: Language): boolean {
  return RTL.has(lang);
}

/** A bundled language, and the tag it was asked for by (`en-GB`: British dates and numbers). */
export interface LanguageChoice {
  language: Language;
  tag: string;
}

/** The first of `wanted` (language tags, best first) that is bundled; English if none is. */
export function pickLanguage(wanted: readonly (string | null | undefined)[]): LanguageChoice {
  for (const tag of wanted) {
    const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if ((LANGUAGES as readonly string[]).includes(primary ?? "")) {
      return { language: primary as Language, tag: canonical(tag!, primary!) };
    }
    // A tag we do not bundle (or an empty lang="") says nothing: look further.
  }
  return { language: "en", tag: "en" };
}

/** `tag` as Intl writes it; a malformed tag (`de-!!`) still says its language, so keep that. */
function canonical(tag: string, primary: string): string {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, "-"))[0];
  } catch {
    return primary;
  }
}

/** The element's own `lang`, else the nearest ancestor's, crossing out of shadow roots. */
export function declaredLanguage(el: Element): string | null {
  for (let at: Node | null = el; at;) {
    if (at instanceof Element && at.getAttribute("lang")) return at.getAttribute("lang");
    at = at.parentNode ?? (at instanceof ShadowRoot ? at.host : null);
  }
  return null;
}

/** The language for `el`: declared on the page, else the browser's, else English. */
export function languageFor(el: Element): LanguageChoice {
  return pickLanguage([declaredLanguage(el), ...(globalThis.navigator?.languages ?? [])]);
}
