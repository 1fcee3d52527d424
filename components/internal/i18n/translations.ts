/**
 * The bundled translations: one chunk per language, fetched only when a
 * page uses it. Each is complete (every key the English tables have; the
 * type checker and tests/components/internal/i18n/ hold them to it).
 */
import type { RoomStrings } from "../strings.ts";
import type { Language } from "./languages.ts";

/** A whole language: every text of the element, its chunks' included. */
export type Translation = Readonly<RoomStrings>;

type Loader = () => Promise<{ default: Translation }>;

/** Written out one by one: the bundler makes each its own chunk from a literal import. */
const CHUNKS: Record<Exclude<Language, "en">, Loader> = {
  de: () => import("./locales/de.ts"),
  fr: () => import("./locales/fr.ts"),
  es: () => import("./locales/es.ts"),
  it: () => import("./locales/it.ts"),
  pt: () => import("./locales/pt.ts"),
  nl: () => import("./locales/nl.ts"),
  pl: () => import("./locales/pl.ts"),
  tr: () => import("./locales/tr.ts"),
  ru: () => import("./locales/ru.ts"),
  uk: () => import("./locales/uk.ts"),
  ja: () => import("./locales/ja.ts"),
  ko: () => import("./locales/ko.ts"),
  zh: () => import("./locales/zh.ts"),
  ar: () => import("./locales/ar.ts"),
  he: () => import("./locales/he.ts"),
};

/** The texts of `lang` (null for English, which is built in). Rejects if the chunk cannot be had. */
export async function loadTranslation(lang: Language): Promise<Translation | null> {
  return lang === "en" ? null : (await CHUNKS[lang]()).default;
}
