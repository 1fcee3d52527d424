/// <reference path="../../mocha-globals.d.ts" />
// The call screen on a phone (or in an embed as small): one row of controls,
// the rest in a More sheet, panels over the whole call, tiles that fill it.
// Three people against the real signaling server; Ana's element is phone-sized.
import { expect, fixture, html } from "@open-wc/testing";
import "../../../../components/video-room/video-room.ts";
import type { VideoRoom } from "../../../../components/video-room/video-room.ts";
import type { PeerTile } from "../../../../components/peer-tile/peer-tile.ts";
import { compactShape } from "../../../../components/video-room/call/call-screen.ts";
import { signalingUrl, uniqueRoom, until } from "../../test-helpers.ts";

const root = (el: VideoRoom) => el.shadowRoot!;
const tiles = (el: VideoRoom) => [...root(el).querySelectorAll<PeerTile>("peer-tile")];
const nameOf = (b: Element) => (b.getAttribute("aria-label") ?? b.textContent!).trim();
/** The buttons a person sees in the control bar (menus' items aside). */
const barButtons = (el: VideoRoom) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('[part="controls"] button')].filter((b) =>
    !b.closest("[role=menu]")
  );
const barButton = (el: VideoRoom, label: string) =>
  barButtons(el).find((b) => nameOf(b).startsWith(label))!;
const item = (el: VideoRoom, label: string) =>
  [...root(el).querySelectorAll<HTMLButtonElement>("[role^=menuitem]")].find((b) =>
    nameOf(b).startsWith(label)
  );
/** The element inside Ana's shadow root that has the focus. */
const focused = (el: VideoRoom) => root(el).activeElement;

/** Ana on a phone held upright (or on its side), Bo and Cy at their desks. */
async function phoneMeeting(size: { width: number; height: number }) {
  const server = await signalingUrl();
  const room = uniqueRoom("phone");
  const wrap = await fixture<HTMLDivElement>(html`
    <div style="display: flex; align-items: start; gap: 8px">
      <video-room
        id="ana"
        style="width: ${size.width}px; --video-room-height: ${size.height}px; flex: none"
        room=${room} name="Ana" server=${server} autojoin
      ></video-room>
      <div style="width: 640px; --video-room-height: 480px">
        <video-room room=${room} name="Bo" server=${server} autojoin></video-room>
        <video-room room=${room} name="Cy" server=${server} autojoin></video-room>
      </div>
    </div>
  `);
  const [ana, bo, cy] = [...wrap.querySelectorAll("video-room")];
  for (const el of [ana, bo, cy]) {
    await until(() => tiles(el).filter((t) => !t.screen).length === 3, "everyone on every screen");
  }
  return { ana, bo, cy };
}

describe("the call screen on a phone", () => {
  let leave: VideoRoom[] = [];
  afterEach(() => {
    for (const el of leave) el.leave();
    leave = [];
  });

  it("phone-sized means narrower than 600 px or lower than 440 px, whichever way up", () => {
    expect(compactShape(390, 844)).to.equal("portrait");
    expect(compactShape(844, 390)).to.equal("landscape");
    expect(compactShape(560, 520)).to.equal("landscape");
    expect(compactShape(1000, 600)).to.equal(null);
    expect(compactShape(600, 440)).to.equal(null);
  });

  it("upright: one row of microphone, camera, More and Leave, 44 px or more, tiles filling the screen", async () => {
    // A phone: no screen to share.
    const proto = MediaDevices.prototype as { getDisplayMedia?: unknown };
    const share = proto.getDisplayMedia;
    delete proto.getDisplayMedia;
    try {
      const { ana, bo, cy } = await phoneMeeting({ width: 390, height: 844 });
      leave = [ana, bo, cy];
      await until(() => barButtons(ana).length === 4, "the phone's control bar");
      const bar = barButtons(ana);
      expect(bar.map(nameOf)).to.deep.equal(["Microphone", "Camera", "More options", "Leave"]);
      const rects = bar.map((b) => b.getBoundingClientRect());
      expect(new Set(rects.map((r) => Math.round(r.top))).size, "one row").to.equal(1);
      for (const r of rects) expect(Math.min(r.width, r.height)).to.be.at.least(44);
      // Two columns; the odd one out across both; together most of the screen.
      const box = ana.getBoundingClientRect();
      const shown = tiles(ana).map((t) => t.getBoundingClientRect());
      const area = shown.reduce((sum, r) => sum + r.width * r.height, 0);
      expect(area / (box.width * box.height)).to.be.above(0.75);
      expect(shown[0].top).to.be.closeTo(shown[1].top, 1);
      expect(shown[2].width).to.be.closeTo(shown[0].width * 2, 12);
      // The tiles' own menus are in reach of a thumb too.
      for (const b of root(ana).querySelectorAll('[slot="actions"] button')) {
        const r = b.getBoundingClientRect();
        expect(Math.min(r.width, r.height)).to.be.at.least(44);
      }
      // Nothing the phone cannot do: no screen sharing in the bar or the sheet.
      barButton(ana, "More options").click();
      await until(() => item(ana, "Chat"), "the More sheet");
      expect(item(ana, "Share screen")).to.equal(undefined);
      await expect(ana).to.be.accessible();
    } finally {
      proto.getDisplayMedia = share;
    }
  });

  it("More opens a sheet with the rest; chat and participants cover the call and close back to More", async () => {
    const { ana, bo, cy } = await phoneMeeting({ width: 390, height: 844 });
    leave = [ana, bo, cy];
    await until(() => barButton(ana, "More options"), "More");
    // A message while the chat is closed: counted on More.
    bo.sendChat("Hi Ana");
    await until(
      () => nameOf(barButton(ana, "More options")) === "More options, 1 unread",
      "unread",
    );
    barButton(ana, "More options").click();
    const sheet = await until(() => root(ana).querySelector<HTMLElement>("[role=menu]"), "sheet");
    const box = ana.getBoundingClientRect();
    const r = sheet.getBoundingClientRect();
    // Along the element's sides and bottom (to the pixel: a sheet's height may end in a fraction).
    for (const [got, want] of [[r.left, box.left], [r.right, box.right], [r.bottom, box.bottom]]) {
      expect(got).to.be.closeTo(want, 0.5);
    }
    expect(nameOf(focused(ana)!)).to.equal("Chat (1 unread)");
    expect(item(ana, "Participants, 3")).to.not.equal(undefined);
    // Escape closes it, and the focus is back on More.
    sheet.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => !root(ana).querySelector("[role=menu]"), "the sheet closed");
    await until(() => focused(ana) === barButton(ana, "More options"), "focus on More");

    // The chat, over the whole call, with the message; its close gives the focus back to More.
    barButton(ana, "More options").click();
    (await until(() => item(ana, "Chat"), "Chat")).click();
    const side = await until(
      () => root(ana).querySelector<HTMLElement>('[part="chat-side"]'),
      "chat",
    );
    await until(
      () => side.getBoundingClientRect().height === box.height,
      "the chat covers the call",
    );
    expect(side.getBoundingClientRect().width).to.equal(box.width);
    const panel = side.querySelector("chat-panel")!;
    await until(() => panel.shadowRoot?.querySelector('[part="text"]'), "the message");
    expect(panel.shadowRoot!.querySelector('[part="text"]')!.textContent).to.equal("Hi Ana");
    expect(nameOf(barButton(ana, "More options"))).to.equal("More options"); // read
    const close = side.querySelector<HTMLButtonElement>("button.close")!;
    expect(Math.min(close.offsetWidth, close.offsetHeight)).to.be.at.least(44);
    close.click();
    await until(() => !root(ana).querySelector('[part="chat-side"]'), "the chat closed");
    await until(() => focused(ana) === barButton(ana, "More options"), "focus on More again");

    // Raising a hand from the sheet shows at the others'.
    barButton(ana, "More options").click();
    (await until(() => item(ana, "Raise hand"), "Raise hand")).click();
    const anaAtBo = tiles(bo).find((t) => t.name === "Ana")!;
    await until(() => anaAtBo.hand, "Ana's hand at Bo");

    // The participants, over the call too.
    barButton(ana, "More options").click();
    (await until(() => item(ana, "Participants, 3"), "Participants")).click();
    const people = await until(
      () => root(ana).querySelector<HTMLElement>('[part="participants"]'),
      "participants",
    );
    expect(people.getBoundingClientRect().height).to.equal(box.height);
    await expect(ana).to.be.accessible();
  });

  it("on its side: the speaker beside a strip of the others", async () => {
    const { ana, bo, cy } = await phoneMeeting({ width: 844, height: 390 });
    leave = [ana, bo, cy];
    const featured = await until(
      () => root(ana).querySelector<PeerTile>('[part~="featured"]'),
      "a featured tile",
    );
    const strip = tiles(ana).filter((t) => t !== featured);
    expect(strip).to.have.length(2);
    const f = featured.getBoundingClientRect();
    for (const t of strip) expect(t.getBoundingClientRect().left).to.be.at.least(f.right);
    expect(barButtons(ana).map(nameOf)).to.deep.equal([
      "Microphone",
      "Camera",
      "More options",
      "Leave",
    ]);
  });
});
