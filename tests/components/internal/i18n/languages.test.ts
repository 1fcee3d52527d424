/// <reference path="../../mocha-globals.d.ts" />
import { expect, fixture, html } from "@open-wc/testing";
import {
  declaredLanguage,
  isRtl,
  pickLanguage,
} from "../../../../components/internal/i18n/languages.ts";
import { t } from "../../../../components/internal/strings.ts";
import { LANG } from "../../../../components/internal/strings.ts";
import { tc } from "../../../../components/internal/chat-strings.ts";

describe("choosing the language", () => {
  it("the first bundled one, matched by its primary subtag; English when none is", () => {
    expect(pickLanguage(["pt-PT"])).to.deep.equal({ language: "pt", tag: "pt-PT" });
    expect(pickLanguage(["zh-CN"]).language).to.equal("zh");
    expect(pickLanguage(["zh_TW"])).to.deep.equal({ language: "zh", tag: "zh-TW" });
    expect(pickLanguage(["sw-KE", "de-AT", "fr"])).to.deep.equal({ language: "de", tag: "de-AT" });
    expect(pickLanguage(["", null, undefined, "EN-gb"])).to.deep.equal({
      language: "en",
      tag: "en-GB",
    });
    expect(pickLanguage(["xx"])).to.deep.equal({ language: "en", tag: "en" });
    expect(pickLanguage([])).to.deep.equal({ language: "en", tag: "en" });
    // A malformed tag from a page never throws; its language still counts.
    expect(pickLanguage(["de-!!"])).to.deep.equal({ language: "de", tag: "de" });
    expect(pickLanguage(["   ", "<script>", "ja-JP"]).language).to.equal("ja");
  });

  it("the element's own lang, else the nearest ancestor's, across shadow roots", async () => {
    const outer = await fixture<HTMLDivElement>(html`
      <div lang="ja">
        <p lang=""><span></span></p>
      </div>
    `);
    const span = outer.querySelector("span")!;
    expect(declaredLanguage(span)).to.equal("ja"); // an empty lang says nothing
    const host = document.createElement("div");
    host.lang = "he";
    const inner = document.createElement("b");
    host.attachShadow({ mode: "open" }).append(inner);
    outer.append(host);
    expect(declaredLanguage(inner)).to.equal("he");
    inner.lang = "ko";
    expect(declaredLanguage(inner)).to.equal("ko");
    expect(isRtl("he") && isRtl("ar") && !isRtl("ja")).to.be.true;
  });

  it("plurals and numbers as the language has them (Intl), not by concatenation", () => {
    const ru = {
      [LANG]: "ru",
      peopleJoined: {
        one: "{n} участник",
        few: "{n} участника",
        many: "{n} участников",
        other: "{n}",
      },
    };
    const say = (n: number) => t(ru as never, "peopleJoined" as never, { n });
    expect([1, 2, 5, 21, 22, 25].map(say)).to.deep.equal([
      "1 участник",
      "2 участника",
      "5 участников",
      "21 участник",
      "22 участника",
      "25 участников",
    ]);
    expect(tc({ [LANG]: "en" }, "charactersLeft", { n: 1 })).to.equal("1 character left");
    expect(tc({ [LANG]: "en" }, "charactersLeft", { n: 1200 })).to.equal(
      "1,200 characters left",
    );
    expect(tc({ [LANG]: "de" }, "charactersLeft", { n: 1200 })).to.equal(
      "1.200 characters left",
    );
  });
});
