/// <reference path="../../mocha-globals.d.ts" />
// Every bundled language is complete: every key English has, no more, the same placeholders,
// and nothing left untranslated by accident.
import { expect } from "@open-wc/testing";
import { DEFAULT_STRINGS, type Text } from "../../../../components/internal/strings.ts";
import { MEETING_STRINGS } from "../../../../components/internal/meeting-strings.ts";
import { HOST_STRINGS } from "../../../../components/internal/host-strings.ts";
import { CHAT_STRINGS } from "../../../../components/internal/chat-strings.ts";
import { SCREEN_SHARE_STRINGS } from "../../../../components/internal/screen-share-strings.ts";
import { ERROR_STRINGS } from "../../../../components/internal/error-strings.ts";
import { BREAKOUT_STRINGS } from "../../../../components/internal/breakout-strings.ts";
import { EFFECT_STRINGS } from "../../../../components/internal/effect-strings.ts";
import { LANGUAGES } from "../../../../components/internal/i18n/languages.ts";
import { loadTranslation } from "../../../../components/internal/i18n/translations.ts";

const ENGLISH: Record<string, Text> = {
  ...DEFAULT_STRINGS,
  ...MEETING_STRINGS,
  ...HOST_STRINGS,
  ...CHAT_STRINGS,
  ...SCREEN_SHARE_STRINGS,
  ...ERROR_STRINGS,
  ...BREAKOUT_STRINGS,
  ...EFFECT_STRINGS,
};
const forms = (t: Text) => (typeof t === "string" ? { other: t } : t);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Written in another script: Latin letters there are English left behind (product names aside). */
const NON_LATIN = ["ru", "uk", "ja", "ko", "zh", "ar", "he"];
const PRODUCTS = /\{\w+\}|Chrome|Edge|Firefox|Safari|PIP/g;
/** Accessible names of controls that show the number too: every form says it (as digits). */
const NAMES_WITH_A_SHOWN_NUMBER = [
  "chatUnread",
  "moreUnread",
  "chatWithUnread",
  "participantCount",
];

describe("translations", () => {
  it("sixteen languages, English built in", () => {
    expect(LANGUAGES).to.have.length(16);
    expect(LANGUAGES[0]).to.equal("en");
  });

  for (const lang of LANGUAGES.filter((l) => l !== "en")) {
    it(`${lang}: every key, the same placeholders, nothing left in English`, async () => {
      const table = (await loadTranslation(lang))!;
      expect(Object.keys(table).sort(), "the same keys as English").to.deep.equal(
        Object.keys(ENGLISH).sort(),
      );
      // A few words are the same in English ("Chat", "Camera"); most are not.
      const same = Object.keys(ENGLISH).filter((k) =>
        JSON.stringify(table[k as keyof typeof table]) === JSON.stringify(ENGLISH[k])
      );
      expect(same.length, `${lang}: left as in English: ${same.join(", ")}`).to.be.below(6);
      for (const [key, english] of Object.entries(ENGLISH)) {
        const want = placeholders(forms(english).other);
        const got = forms(table[key as keyof typeof table]);
        expect(got.other, `${lang}.${key}`).to.be.a("string").and.not.equal("");
        // The general form says everything English does; a form for one or two may spell
        // the number out, but never brings a placeholder of its own.
        expect(placeholders(got.other), `${lang}.${key} placeholders`).to.deep.equal(want);
        for (const [form, text] of Object.entries(got)) {
          if (NAMES_WITH_A_SHOWN_NUMBER.includes(key)) {
            expect(text, `${lang}.${key}.${form} says the number`).to.contain("{n}");
          }
          for (const p of placeholders(text!)) {
            expect(want, `${lang}.${key}.${form}: {${p}}`).to.include(p);
          }
        }
        if (Object.keys(got).length > 1) {
          // A counted text that varies has a form for every category the language uses for
          // counts (Russian: one, few, many; Arabic: six), not just English's two. One form
          // alone is a phrasing that fits every number ("Pozostało znaków: {n}").
          const rules = new Intl.PluralRules(lang);
          // Counts from one up: nothing shows "0 unread" or "0 people joined".
          const used = new Set(Array.from({ length: 2000 }, (_, n) => rules.select(n + 1)));
          for (const form of used) {
            expect(got, `${lang}.${key} lacks the "${form}" form`).to.have.property(form);
          }
        }
        if (NON_LATIN.includes(lang)) {
          for (const text of Object.values(got)) {
            expect(text!.replace(PRODUCTS, ""), `${lang}.${key} has English in it`).not.to.match(
              /[A-Za-z]/,
            );
          }
        }
      }
    });
  }
});
