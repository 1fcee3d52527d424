/// <reference path="../mocha-globals.d.ts" />
// <video-room> speaks the visitor's language with no setting beyond `lang` (or none at all),
// mirrors for Arabic and Hebrew, and stays accessible in each.
import { expect, fixture, html } from "@open-wc/testing";
import "../../../components/video-room/video-room.ts";
import type { VideoRoom } from "../../../components/video-room/video-room.ts";
import type { PeerTile } from "../../../components/peer-tile/peer-tile.ts";
import { signalingUrl, uniqueRoom, until } from "../test-helpers.ts";
import { choose, press, root } from "./room-by-hand.ts";
import { DEFAULT_STRINGS } from "../../../components/internal/strings.ts";
import { MEETING_STRINGS } from "../../../components/internal/meeting-strings.ts";
import { HOST_STRINGS } from "../../../components/internal/host-strings.ts";
import { loadTranslation } from "../../../components/internal/i18n/translations.ts";

const title = (el: VideoRoom) => root(el).querySelector("h2")?.textContent?.trim();
const buttonNames = (el: VideoRoom) =>
  [...root(el).querySelectorAll("button")].map((b) =>
    (b.getAttribute("aria-label") ?? b.textContent ?? "").trim()
  );
const tiles = (el: VideoRoom) => [...root(el).querySelectorAll<PeerTile>("peer-tile")];
/** A pre-join element on a page with no `lang` anywhere above it, unless the test sets one. */
async function prejoin(attrs: { lang?: string } = {}) {
  const el = await fixture<VideoRoom>(html`
    <video-room room=${uniqueRoom()} server=${await signalingUrl()} lang=${attrs.lang ??
      ""}></video-room>
  `);
  await until(() => title(el), "the pre-join screen");
  return el;
}

describe("<video-room> languages", () => {
  const htmlLang = document.documentElement.getAttribute("lang");
  afterEach(() => {
    if (htmlLang === null) document.documentElement.removeAttribute("lang");
    else document.documentElement.setAttribute("lang", htmlLang);
    delete (navigator as { languages?: unknown }).languages;
  });

  it('lang="de" on the element: German, with nothing else set', async () => {
    const el = await prejoin({ lang: "de" });
    expect(title(el)).to.equal("Bereit zum Beitreten?");
    expect(buttonNames(el)).to.include.members([
      "Mikrofon",
      "Kamera",
      "Einstellungen",
      "Beitreten",
    ]);
    expect(el.language).to.equal("de");
    expect(root(el).querySelector('[part="base"]')!.getAttribute("lang")).to.equal("de");
    await expect(el).to.be.accessible();
  });

  it('<html lang="ja"> is enough; a change of it is followed live', async () => {
    document.documentElement.lang = "ja";
    const el = await prejoin();
    expect(title(el)).to.equal("参加の準備はできましたか？");
    document.documentElement.lang = "pt-BR";
    await until(() => title(el) === "Tudo pronto para participar?", "Portuguese, live");
    expect(el.language).to.equal("pt");
  });

  it("a browser set to Spanish, on a page that says nothing: Spanish", async () => {
    document.documentElement.removeAttribute("lang");
    Object.defineProperty(navigator, "languages", {
      configurable: true,
      get: () => ["es-MX", "es", "en"],
    });
    const el = await prejoin();
    expect(title(el)).to.equal("¿Todo listo para unirte?");
    expect(buttonNames(el)).to.include("Unirse");
  });

  it("lang changes live; strings still replace single texts on top of the language", async () => {
    const el = await prejoin({ lang: "fr" });
    expect(buttonNames(el)).to.include("Rejoindre");
    el.strings = { join: "Entrer" };
    await el.updateComplete;
    expect(buttonNames(el)).to.include("Entrer");
    expect(buttonNames(el)).to.include("Paramètres"); // the rest still French
    el.lang = "it";
    await until(() => buttonNames(el).includes("Impostazioni"), "Italian, live");
    expect(buttonNames(el)).to.include("Entrer"); // the page's own text stays
    el.lang = "en";
    await until(() => buttonNames(el).includes("Settings"), "back to English");
  });

  it("the unsupported notice in the visitor's language", async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="ko"></div>`);
    const real = globalThis.RTCPeerConnection;
    delete (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection;
    try {
      const el = document.createElement("video-room");
      el.room = uniqueRoom();
      el.server = await signalingUrl();
      wrap.append(el);
      const banner = await until(
        () => root(el).querySelector('[part~="banner"]')?.textContent,
        "the banner",
      );
      expect(banner).to.contain("이 브라우저나 이 페이지에서는 영상 통화를 할 수 없어요");
    } finally {
      globalThis.RTCPeerConnection = real;
    }
  });

  for (const lang of ["en", "ar"] as const) {
    it(`${lang}: axe-clean in every state: pre-join, settings, call, host menu, lobby on both sides, participants, chat`, async () => {
      const text: Record<string, unknown> = {
        ...DEFAULT_STRINGS,
        ...MEETING_STRINGS,
        ...HOST_STRINGS,
        ...await loadTranslation(lang),
      };
      const say = (key: string, values: Record<string, string> = {}) =>
        (text[key] as string).replace(/\{(\w+)\}/g, (_, k) => values[k]);
      const server = await signalingUrl();
      const room = uniqueRoom(lang);
      const wrap = await fixture<HTMLDivElement>(html`
        <div
          lang=${lang}
          style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
          <video-room room=${room} server=${server}></video-room>
        </div>
      `);
      const ana = wrap.querySelector("video-room")!;
      await until(() => title(ana) === say("joinTitle"), "the pre-join screen");
      await expect(ana).to.be.accessible();
      // The media settings before joining: devices, noise suppression, backgrounds.
      await press(ana, say("settings"));
      await until(() => root(ana).querySelector("#devices [role=group]"), "the media settings");
      await expect(ana).to.be.accessible();
      await press(ana, say("settings"));

      const name = root(ana).querySelector("input")!;
      name.value = "Ana";
      name.dispatchEvent(new Event("input"));
      await press(ana, say("join"));
      await until(() => ana.state === "joined", "Ana in the call, hosting");
      await expect(ana).to.be.accessible();
      // And in the call: More → Settings, a side panel.
      await choose(ana, say("more"), say("settings"));
      const settings = await until(() => root(ana).querySelector('[part="settings"]'), "settings");
      await until(() => settings.querySelector("[role=group]"), "its choices");
      await expect(ana).to.be.accessible();
      settings.querySelector<HTMLButtonElement>("button.close")!.click();
      await press(ana, say("hostMenu"));
      await until(() => root(ana).querySelector("[role=menu]"), "the host menu");
      await expect(ana).to.be.accessible();
      await press(ana, say("lobbyOn"));
      await until(() => ana.lobby, "the lobby on");

      const bo = document.createElement("video-room");
      Object.assign(bo, { room, name: "Bo", server, autojoin: true });
      wrap.append(bo);
      await until(() => bo.state === "waiting", "Bo in the lobby");
      await expect(bo).to.be.accessible();
      await until(() => root(ana).querySelector('[part="knocks"]'), "Bo's knock at Ana");
      await expect(ana).to.be.accessible();
      await press(ana, say("admitName", { name: "Bo" }));
      await until(() => bo.state === "joined", "Bo admitted");

      (root(ana).querySelector('button[part~="participants"]') as HTMLButtonElement).click();
      await until(() => root(ana).querySelector('[part="participants"]'), "participants");
      await expect(ana).to.be.accessible();
      bo.sendChat("👋");
      await until(() => root(ana).querySelector('[part="chat-notice"] button'), "the preview");
      (root(ana).querySelector('[part="chat-notice"] button') as HTMLButtonElement).click();
      await until(() => root(ana).querySelector("chat-panel")?.shadowRoot, "the chat");
      await expect(ana).to.be.accessible();
      bo.leave();
      ana.leave();
    });
  }

  it("Arabic: mirrored call, its announcements in Arabic, accessible in every state", async () => {
    const server = await signalingUrl();
    const room = uniqueRoom("ar");
    const wrap = await fixture<HTMLDivElement>(html`
      <div
        style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
        <video-room lang="ar" room=${room} name="Ana" server=${server} autojoin></video-room>
      </div>
    `);
    const ana = wrap.querySelector("video-room")!;
    await until(() => root(ana).querySelector('[part="controls"]'), "Ana in the call");
    const base = root(ana).querySelector('[part="base"]')!;
    expect(base.getAttribute("dir")).to.equal("rtl");
    // The control bar reads from the right: the microphone first, Leave last, at the left.
    const mic = root(ana).querySelector<HTMLElement>('[aria-label="الميكروفون"]')!;
    const leave = [...root(ana).querySelectorAll<HTMLElement>('[part~="leave"]')][0];
    expect(leave.getBoundingClientRect().right).to.be.below(mic.getBoundingClientRect().left);
    await expect(ana).to.be.accessible();

    const bo = document.createElement("video-room");
    Object.assign(bo, { room, name: "Bo", server, autojoin: true });
    wrap.append(bo);
    const said = () => root(ana).querySelector('[part="announcer"]')!.textContent!;
    await until(() => said().includes("انضم Bo"), "Bo's arrival said in Arabic");
    await until(() => tiles(ana).length === 2, "Bo's tile");
    // A name label sits at the tile's right-hand side.
    const boTile = tiles(ana).find((t) => t.name === "Bo")!;
    const label = boTile.shadowRoot!.querySelector('[part="label"]')!.getBoundingClientRect();
    const tileBox = boTile.getBoundingClientRect();
    expect(tileBox.right - label.right).to.be.below(label.left - tileBox.left);

    bo.raiseHand();
    await until(() => said().includes("رفع Bo يده"), "the hand said");
    bo.sendChat("مرحبا");
    await until(() => said().includes("كتب Bo: مرحبا"), "the message said");

    // Participants, the More menu and the chat: each accessible, and mirrored.
    (root(ana).querySelector('button[part~="participants"]') as HTMLButtonElement).click();
    await until(() => root(ana).querySelector('[part="participants"]'), "participants");
    await expect(ana).to.be.accessible();
    (root(ana).querySelector('[data-menu="more"]') as HTMLButtonElement).click();
    const menu = await until(() => root(ana).querySelector<HTMLElement>("[role=menu]"), "menu");
    const more = root(ana).querySelector('[data-menu="more"]')!.getBoundingClientRect();
    // Opened toward the inside: its start edge (right) lines up with the button's.
    expect(Math.abs(menu.getBoundingClientRect().left - more.left)).to.be.below(2);
    await expect(ana).to.be.accessible();
    (root(ana).querySelector('[data-menu="more"]') as HTMLButtonElement).click();
    (root(ana).querySelector("button.chat") as HTMLButtonElement).click();
    await until(() => root(ana).querySelector("chat-panel")?.shadowRoot, "chat");
    await expect(ana).to.be.accessible();
    bo.leave();
    await until(() => said().includes("غادر Bo"), "Bo's leaving said");
    ana.leave();
  });
});
