/// <reference path="../../mocha-globals.d.ts" />
// Breakout groups in <video-room>, by hand against the real signaling server: a host plans two
// groups in the panel and opens them; each group sees and chats with its own people only, a
// host's broadcast reaches every group, a guest may not open groups, and closing brings
// everyone back to one call, with nobody said to have left. A short timer ends them by itself.
import { expect, oneEvent } from "@open-wc/testing";
import type { VideoRoom } from "../../../../components/video-room/video-room.ts";
import type { ChatPanel } from "../../../../components/chat-panel/chat-panel.ts";
import { until } from "../../test-helpers.ts";
import { button, choose, meeting, press, root, tileOf } from "../room-by-hand.ts";

const said = (el: VideoRoom) => root(el).querySelector('[part="announcer"]')?.textContent ?? "";
const tiles = (el: VideoRoom) =>
  [...root(el).querySelectorAll<HTMLElement & { name: string; screen: boolean }>("peer-tile")]
    .filter((t) => !t.screen).map((t) => t.name).sort();
const bar = (el: VideoRoom) =>
  root(el).querySelector('[part="breakout-bar"]')?.textContent?.replace(/\s+/g, " ").trim() ?? "";
const panel = (el: VideoRoom) => root(el).querySelector<HTMLElement>('[part="breakouts"]')!;
const select = (el: VideoRoom, label: string) =>
  [...panel(el).querySelectorAll("select")].find((s) => s.getAttribute("aria-label") === label)!;

function pick(s: HTMLSelectElement, text: string): void {
  s.value = [...s.options].find((o) => o.textContent!.trim() === text)!.value;
  s.dispatchEvent(new Event("change"));
}

/** Types into an element's chat panel and sends, as a person does. */
async function chat(el: VideoRoom, text: string): Promise<void> {
  if (!root(el).querySelector("chat-panel")) await press(el, "Chat");
  const chatPanel = await until(
    () => root(el).querySelector<ChatPanel>("chat-panel")?.shadowRoot?.querySelector("textarea"),
    "the chat box",
  );
  chatPanel.value = text;
  chatPanel.dispatchEvent(new Event("input"));
  const p = root(el).querySelector<ChatPanel>("chat-panel")!;
  await p.updateComplete;
  p.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.click();
}
/** What an element's chat shows (opened by hand first, if it is closed). */
async function messages(el: VideoRoom): Promise<string> {
  if (!root(el).querySelector("chat-panel")) {
    const open = [...root(el).querySelectorAll<HTMLButtonElement>("button")].find((b) =>
      (b.getAttribute("aria-label") ?? b.textContent ?? "").trim().startsWith("Chat")
    );
    open?.click();
    await el.updateComplete;
  }
  const p = root(el).querySelector<ChatPanel>("chat-panel");
  await p?.updateComplete;
  return p?.shadowRoot?.textContent ?? "";
}
/** Waits until an element's chat shows `text`. */
const reads = async (el: VideoRoom, text: string) => {
  for (let i = 0; i < 50 && !(await messages(el)).includes(text); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await messages(el), `${el.name}'s chat`).to.include(text);
};

describe("<video-room> breakout groups", () => {
  it("a host splits four people into two groups by hand and brings them back", async () => {
    const { people: [ana, bo, cy, di] } = await meeting(["Ana", "Bo", "Cy", "Di"], "split");
    await until(() => tiles(ana).length === 4 && tiles(di).length === 4, "everyone sees everyone");
    // From here on nobody joins or leaves the meeting: moves are neither.
    const comings: string[] = [];
    for (const el of [ana, bo, cy, di]) {
      for (const type of ["peer-joined", "peer-left"] as const) {
        el.addEventListener(type, (e) => comings.push(`${el.name}: ${type} ${e.detail.peer.name}`));
      }
    }

    // A guest cannot open groups.
    const refused = oneEvent(bo, "room-error");
    bo.openBreakouts({ rooms: [{ name: "Mine" }], assign: "auto" });
    expect((await refused).detail.code).to.equal("forbidden");

    // Ana plans in the panel: two groups, by hand: Bo and Cy in one, Di in the other.
    await choose(ana, "Host controls", "Breakout rooms");
    await until(() => panel(ana), "the panel");
    await expect(ana).to.be.accessible();
    const count = panel(ana).querySelector<HTMLInputElement>('input[name="count"]')!;
    expect(count.value).to.equal("2");
    const byHand = [...panel(ana).querySelectorAll<HTMLLabelElement>("label.choice")]
      .find((l) => l.textContent!.trim() === "Choose who goes where")!;
    byHand.querySelector("input")!.click();
    await ana.updateComplete;
    pick(select(ana, "Group for Bo"), "Group 1");
    pick(select(ana, "Group for Cy"), "Group 1");
    pick(select(ana, "Group for Di"), "Group 2");
    await ana.updateComplete;
    const changed = oneEvent(bo, "breakout-changed");
    const opened = oneEvent(di, "breakouts-changed");
    await press(ana, "Open breakout rooms");
    expect((await changed).detail.breakout?.name).to.equal("Group 1");
    const groups = (await opened).detail.breakouts?.groups ?? [];
    expect(groups.map((g: { people: unknown[] }) => g.people.length)).to.deep.equal([2, 1]);

    // Each group sees its own people only; Ana, in the main room, herself.
    await until(() => tiles(bo).join() === "Bo,Cy" && tiles(cy).join() === "Bo,Cy", "Group 1");
    await until(() => tiles(di).join() === "Di", "Group 2");
    await until(() => tiles(ana).join() === "Ana", "the main room");
    // The participants too: each counts and lists its own group.
    await until(() => button(bo, "Participants, 2") && button(di, "Participants, 1"), "counts");
    await press(bo, "Participants, 2");
    const listed = [...root(bo).querySelectorAll('[part="participants"] li .who')].map((w) =>
      w.textContent!.trim()
    );
    expect(listed.sort()).to.deep.equal(["Bo (you)", "Cy"]);
    await press(bo, "Participants, 2");
    expect(bo.breakout?.name).to.equal("Group 1");
    expect(ana.breakout).to.equal(null);
    await until(() => bar(bo).includes("You are in Group 1"), "Bo's bar");
    await until(() => bar(ana).includes("Breakout rooms are open"), "Ana's bar");
    await until(() => said(bo).includes("You are now in Group 1"), "said to Bo");
    // Bo and Cy still see and hear each other over the same connection: Cy's tile plays.
    await until(() => tileOf(bo, "Cy")?.stream?.getVideoTracks().length === 1, "Cy's video at Bo");
    expect(bo.state).to.equal("joined");

    // Chat stays in the group.
    await chat(bo, "only for group one");
    await reads(cy, "only for group one");
    await chat(di, "group two here");
    await reads(di, "group two here");
    await new Promise((r) => setTimeout(r, 300));
    expect(await messages(di)).not.to.include("only for group one");
    expect(await messages(cy)).not.to.include("group two here");

    // Ana's broadcast reaches every group, as a banner and in the chat.
    await until(() => panel(ana).querySelector("input[type=text]"), "the broadcast box");
    const box = panel(ana).querySelector<HTMLInputElement>("input[type=text]")!;
    box.value = "Five minutes to go";
    box.dispatchEvent(new Event("input"));
    await press(ana, "Send to all groups");
    await until(() => box.value === "", "the box empties once sent");
    for (const el of [bo, cy, di]) {
      await until(
        () =>
          root(el).querySelector('[part="broadcast"]')?.textContent?.includes(
            "Ana to everyone: Five minutes to go",
          ),
        `the broadcast at ${el.name}`,
      );
    }
    await reads(di, "Five minutes to go");
    await expect(di).to.be.accessible();

    // Nobody was said to have left.
    const gone = /(Ana|Bo|Cy|Di) left|people left|person left/;
    for (const el of [ana, bo, cy, di]) expect(said(el)).not.to.match(gone);

    // Ana closes them: everyone together again, and still nobody "left".
    const back = oneEvent(bo, "breakout-changed");
    await press(ana, "Close breakout rooms");
    expect((await back).detail.breakout).to.equal(null);
    for (const el of [ana, bo, cy, di]) {
      await until(() => tiles(el).length === 4, `${el.name} sees everyone again`);
      expect(el.breakouts).to.equal(null);
      expect(bar(el)).to.equal("");
    }
    await until(() => said(bo).includes("You are back in the main room"), "said to Bo");
    for (const el of [ana, bo, cy, di]) {
      expect(said(el)).not.to.match(gone);
      expect(said(el)).not.to.match(/joined/);
    }
    await until(() => tileOf(ana, "Di")?.stream?.getVideoTracks().length === 1, "Di at Ana");
    expect(comings).to.deep.equal([]);
    for (const el of [ana, bo, cy, di]) el.leave();
  });

  it("guests pick a group when allowed; a short timer warns and brings them back", async () => {
    const { people: [ana, bo, cy] } = await meeting(["Ana", "Bo", "Cy"], "pick");
    await until(() => tiles(cy).length === 3, "everyone in");
    ana.openBreakouts({
      rooms: [{ name: "Red" }, { name: "Blue" }],
      assign: "choose",
      seconds: 8,
    });
    // Bo opens the panel from the bar and joins Blue by hand.
    await until(() => bar(bo).includes("Breakout rooms are open"), "the bar at Bo");
    await until(() => said(bo).includes("Breakout rooms close in one minute"), "the warning");
    expect(bar(bo)).to.match(/0:0\d left/);
    const barButton = root(bo).querySelector<HTMLButtonElement>('[part="breakout-bar"] button')!;
    barButton.click();
    await press(bo, "Join Blue");
    await until(() => bar(bo).includes("You are in Blue"), "Bo in Blue");
    await until(() => tiles(bo).join() === "Bo" && tiles(cy).join() === "Ana,Cy", "apart");
    await expect(bo).to.be.accessible();
    // Time is up: everyone back, nobody clicks.
    await until(() => tiles(bo).length === 3 && bo.breakouts === null, "back", 12_000);
    expect(button(bo, "Return to main room")).to.equal(undefined);
    // Bo's panel went with the groups (a host's stays, to plan the next ones).
    await until(() => !root(bo).querySelector('[part="breakouts"]'), "Bo's panel gone");
    for (const el of [ana, bo, cy]) el.leave();
  });
});
