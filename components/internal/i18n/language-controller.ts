/**
 * Binds an element to its language: chosen when it connects, again whenever
 * a `lang` on the page or the browser's languages change; the language's
 * chunk loaded before the element first draws (no flash of English), and
 * English kept if the chunk cannot be had. The views get `texts(overrides)`:
 * the language's texts with the page's own on top, one object per change.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { LANG, type RoomStrings, type Texts } from "../strings.ts";
import { isRtl, type Language, languageFor } from "./languages.ts";
import { loadTranslation, type Translation } from "./translations.ts";

export class LanguageController implements ReactiveController {
  /** The language in use, and the tag it was asked for by (for dates, numbers, plurals). */
  language: Language = "en";
  tag = "en";
  /** Whether the first language is here (the element draws from then on). */
  ready = false;
  #table: Translation | null = null;
  #asked = 0;
  #texts: Texts | null = null;
  #overrides: Partial<RoomStrings> | undefined;
  #observer: MutationObserver | null = null;
  readonly #onChange = () => this.#choose();

  constructor(readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    // A `lang` set or changed anywhere above (or on) the element, as the page switches language.
    this.#observer = new MutationObserver(this.#onChange);
    this.#observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["lang"],
      subtree: true,
    });
    addEventListener("languagechange", this.#onChange);
    this.#choose();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    removeEventListener("languagechange", this.#onChange);
  }

  /** Right to left for Arabic and Hebrew, unless the element says otherwise (`dir`). */
  get dir(): "rtl" | "ltr" | undefined {
    return this.host.hasAttribute("dir") ? undefined : isRtl(this.language) ? "rtl" : "ltr";
  }

  /** The texts in use: the language's, the page's `strings` on top; a new object when either changes. */
  texts(overrides: Partial<RoomStrings> | undefined): Texts {
    if (!this.#texts || overrides !== this.#overrides) {
      this.#overrides = overrides;
      this.#texts = { ...this.#table, ...overrides, [LANG]: this.tag };
    }
    return this.#texts;
  }

  #choose(): void {
    const { language, tag } = languageFor(this.host);
    if (this.ready && language === this.language && tag === this.tag) return;
    const asked = ++this.#asked; // a later choice wins over a chunk still on its way
    const use = (table: Translation | null) => {
      if (asked !== this.#asked) return;
      [this.language, this.tag, this.#table, this.#texts, this.ready] = [
        language,
        tag,
        table,
        null,
        true,
      ];
      this.host.requestUpdate();
    };
    // English, or the same texts with other dates and numbers: at once (no chunk to wait for).
    if (language === "en" || language === this.language) {
      return use(this.#table && language !== "en" ? this.#table : null);
    }
    loadTranslation(language).then(use, (e) => {
      console.warn(`<video-room>: Cannot load the ${language} texts: ${e?.message ?? e}`);
      if (asked !== this.#asked) return;
      this.ready = true; // what was shown stays (English at first)
      this.host.requestUpdate();
    });
  }
}
