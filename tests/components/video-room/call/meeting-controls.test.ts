/// <reference path="../../mocha-globals.d.ts" />
// The meeting tools in <video-room>, against the real signaling server:
// hands, reactions, the participants panel, layouts, pins and chat previews.
import { expect, oneEvent } from "@open-wc/testing";
import type { VideoRoom } from "../../../../components/video-room/video-room.ts";
import type { PeerTile } from "../../../../components/peer-tile/peer-tile.ts";
import { canCaptureScreen, until } from "../../test-helpers.ts";
import { button, choose, meeting as roomMeeting, press, root, tileOf } from "../room-by-hand.ts";

const listed = (el: VideoRoom) =>
  [...root(el).querySelectorAll('[part="participants"] li')].map((li) =>
    li.textContent!.replace(/\s+/g, " ").trim()
  );

/** People in turn, each in once their call controls show; then everyone on every screen. */
async function meeting(names: string[]) {
  const room = await roomMeeting([], "meet");
  const join = async (name: string) => {
    const el = await room.join(name);
    await until(() => button(el, "Raise hand"), `${name} in the call`);
    return el;
  };
  const people: VideoRoom[] = [];
  for (const name of names) people.push(await join(name));
  for (const el of people) {
    await until(() => names.every((n) => tileOf(el, n)), "everyone on every screen");
  }
  return { people, join };
}

describe("<video-room> meeting tools", () => {
  it("a raised hand shows on the tile and in the list for everyone, in order; lowering clears it", async () => {
    const { people: [ana, bo, cleo] } = await meeting(["Ana", "Bo", "Cleo"]);
    const raised = oneEvent(ana, "hand-raised");
    await press(cleo, "Raise hand");
    expect((await raised).detail.peer.name).to.equal("Cleo");
    await until(
      () => button(cleo, "Raise hand")!.getAttribute("aria-pressed") === "true",
      "Cleo's own button pressed",
    );
    await press(bo, "Raise hand");
    await until(() => tileOf(ana, "Cleo")!.hand && tileOf(ana, "Bo")!.hand, "hands on Ana's tiles");
    const indicator = tileOf(ana, "Cleo")!.shadowRoot!.querySelector('[aria-label="Hand raised"]');
    expect(indicator).to.exist;
    await press(ana, "Participants, 3");
    await until(() => listed(ana).length === 3, "the list");
    expect(listed(ana).map((l) => l.split(" ")[0])).to.deep.equal(["Ana", "Cleo", "Bo"]);
    expect(listed(ana)[1]).to.contain("hand raised");
    await expect(ana).to.be.accessible();
    const lowered = oneEvent(ana, "hand-lowered");
    await press(cleo, "Raise hand"); // pressed again: down
    expect((await lowered).detail.peer.name).to.equal("Cleo");
    await until(() => !tileOf(ana, "Cleo")!.hand, "Cleo's hand down at Ana");
    for (const el of [ana, bo, cleo]) el.leave();
  });

  it("a reaction floats on the sender's tile at the others, and is gone after about 3 s", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    const reacted = oneEvent(ana, "reaction");
    await choose(bo, "Reactions", "React with 🎉");
    const { detail } = await reacted;
    expect([detail.peer.name, detail.emoji]).to.deep.equal(["Bo", "🎉"]);
    const shown = () =>
      tileOf(ana, "Bo")!.shadowRoot!.querySelector('[part="reaction"]')?.textContent;
    await until(() => shown() === "🎉", "🎉 on Bo's tile at Ana");
    const at = performance.now();
    await until(() => !shown(), "gone again", 6000);
    expect(performance.now() - at).to.be.within(1500, 4500);
    ana.leave();
    bo.leave();
  });

  it("the participants count and list follow joins and leaves", async () => {
    const { people: [ana, bo], join } = await meeting(["Ana", "Bo"]);
    await press(ana, "Participants, 2");
    const cleo = await join("Cleo");
    await until(() => button(ana, "Participants, 3"), "the count at 3");
    await until(() => listed(ana).length === 3, "Cleo listed");
    cleo.leave();
    await until(() => button(ana, "Participants, 2") && listed(ana).length === 2, "Cleo gone");
    expect(listed(ana).map((l) => l.split(" ")[0])).to.deep.equal(["Ana", "Bo"]);
    ana.leave();
    bo.leave();
  });

  it("layouts: More switches grid and speaker view (layout-changed); a pin features someone", async () => {
    const { people: [ana, bo, cleo] } = await meeting(["Ana", "Bo", "Cleo"]);
    const stage = () => root(ana).querySelector('[part="stage"]')!;
    expect(stage().classList.contains("grid")).to.be.true;
    const changed = oneEvent(ana, "layout-changed");
    await choose(ana, "More options", "Speaker view");
    expect((await changed).detail).to.deep.equal({ layout: "speaker", mode: "speaker" });
    await until(() => root(ana).querySelector('[part~="filmstrip"]'), "a filmstrip");
    const featured = () => root(ana).querySelector<PeerTile>('peer-tile[part~="featured"]')?.name;
    expect(featured()).to.be.oneOf(["Bo", "Cleo"], "someone else, never Ana herself");
    // A pin from Cleo's tile menu features her.
    await choose(ana, "More actions for Cleo", "Pin");
    await until(() => featured() === "Cleo", "Cleo featured");
    ana.unpin();
    ana.pin(bo.peers.length ? ana.peers.find((p) => p.name === "Bo")!.id : "");
    await until(() => featured() === "Bo", "Bo pinned from the page");
    // Set by the page: no event; the view follows.
    let events = 0;
    ana.addEventListener("layout-changed", () => events++);
    ana.layout = "grid";
    await until(() => stage().classList.contains("grid"), "the grid again");
    expect(events).to.equal(0);
    for (const el of [ana, bo, cleo]) el.leave();
  });

  it("auto: a screen share switches to the speaker view with the screen featured", async function () {
    if (!(await canCaptureScreen())) return this.skip(); // no screen to capture (Firefox headless)
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    const changed = oneEvent(ana, "layout-changed");
    await bo.startScreenShare();
    expect((await changed).detail).to.deep.equal({ layout: "speaker", mode: "auto" });
    await until(() => root(ana).querySelector('peer-tile[part="screen"]'), "the screen featured");
    bo.stopScreenShare();
    ana.leave();
    bo.leave();
  });

  it("with the chat closed, a new message previews; clicking it opens the chat", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    bo.sendChat("Lunch at one?\nSecond line");
    const notice = await until(
      () => root(ana).querySelector('[part="chat-notice"]'),
      "the preview",
    );
    // Heard through the call's announcer, in full, not from the preview.
    await until(
      () => root(ana).querySelector('[part="announcer"]')!.textContent!.includes("Bo wrote: Lunch"),
      "the message announced",
    );
    expect(notice.textContent).to.contain("Bo").and.contain("Lunch at one?");
    expect(notice.textContent).not.to.contain("Second line");
    notice.querySelector<HTMLButtonElement>(".open")!.click();
    await until(() => root(ana).querySelector("chat-panel"), "the chat open");
    expect(root(ana).querySelector('[part="chat-notice"]')).to.equal(null);
    // Read: closing the chat does not bring the preview back.
    root(ana).querySelector<HTMLButtonElement>('[part="chat-side"] .close')!.click();
    await until(() => !root(ana).querySelector("chat-panel"), "the chat closed");
    expect(root(ana).querySelector('[part="chat-notice"]')).to.equal(null);
    ana.leave();
    bo.leave();
  });

  it("picture-in-picture by feature detection: a document window, else the video's own, else not offered", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    const offered = async () => {
      await press(ana, "More options");
      const items = [...root(ana).querySelectorAll("[role^=menuitem]")].map((b) =>
        b.textContent!.trim()
      );
      await press(ana, "More options"); // closed again
      return items.includes("Picture-in-picture");
    };
    // Chromium and Firefox 153 both have Document Picture-in-Picture.
    expect(await offered(), navigator.userAgent).to.be.true;
    const g = globalThis as { documentPictureInPicture?: unknown };
    const owner = Object.prototype.hasOwnProperty.call(g, "documentPictureInPicture")
      ? g
      : Object.getPrototypeOf(g);
    const dpip = Object.getOwnPropertyDescriptor(owner, "documentPictureInPicture")!;
    const request = HTMLVideoElement.prototype.requestPictureInPicture;
    const asked: string[] = [];
    try {
      // Only the video's own (Safari): the featured video is asked for it.
      delete (owner as { documentPictureInPicture?: unknown }).documentPictureInPicture;
      HTMLVideoElement.prototype.requestPictureInPicture = function (this: HTMLVideoElement) {
        const tile = (this.getRootNode() as ShadowRoot).host as PeerTile;
        asked.push(tile.name);
        return Promise.resolve({} as PictureInPictureWindow);
      };
      await choose(ana, "More options", "Picture-in-picture");
      await until(() => asked.length === 1, "the video asked for picture-in-picture");
      expect(asked).to.deep.equal(["Bo"]);
      // Neither: not offered at all.
      Object.defineProperty(document, "pictureInPictureEnabled", {
        configurable: true,
        get: () => false,
      });
      expect(await offered()).to.be.false;
    } finally {
      Object.defineProperty(owner, "documentPictureInPicture", dpip);
      delete (document as { pictureInPictureEnabled?: boolean }).pictureInPictureEnabled;
      HTMLVideoElement.prototype.requestPictureInPicture = request;
    }
    ana.leave();
    bo.leave();
  });

  it("connection quality shows on the tiles once measured", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    await until(() => tileOf(ana, "Bo")!.quality !== "", "a rating of Bo's connection", 8000);
    const bars = tileOf(ana, "Bo")!.shadowRoot!.querySelector('[part="quality"]')!;
    expect(bars.getAttribute("aria-label")).to.match(/^(Good|Fair|Poor) connection$/);
    await until(() => tileOf(ana, "Ana")!.quality !== "", "Ana's own uplink rated", 8000);
    ana.leave();
    bo.leave();
  });
});
