/// <reference path="../../mocha-globals.d.ts" />
// Hosts' tools in <video-room>, against the real signaling server (hosts on,
// the lobby off by default): the first person in a room hosts.
import { expect, oneEvent } from "@open-wc/testing";
import type { VideoRoom } from "../../../../components/video-room/video-room.ts";
import { until } from "../../test-helpers.ts";
import { button, meeting as roomMeeting, press, root, tileOf } from "../room-by-hand.ts";

const buttons = (el: VideoRoom) => [...root(el).querySelectorAll("button")];
const screenText = (el: VideoRoom) =>
  root(el).querySelector(".screen-message p")?.textContent?.trim() ?? "";

/** People join one after the other, so the first hosts. */
const meeting = (names: string[]) => roomMeeting(names, "host");

describe("<video-room> host tools", () => {
  it("the first in the room hosts: host items on the others' tile menus; guests only pin", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    expect(ana.role).to.equal("host");
    expect(bo.role).to.equal("guest");
    await until(() => tileOf(ana, "Bo"), "Bo at Ana");
    const menuButton = await until(() => button(ana, "More actions for Bo"), "Bo's menu");
    expect(menuButton.getAttribute("aria-haspopup")).to.equal("menu");
    await until(() => button(ana, "Host controls"), "the host's room menu");
    // Never on one's own tile.
    expect(button(ana, "More actions for Ana")).to.equal(undefined);
    // A guest's tile menu only pins; no room menu.
    await press(bo, "More actions for Ana");
    const guestItems = [...root(bo).querySelectorAll("[role=menuitem]")].map((i) =>
      i.textContent!.trim()
    );
    expect(guestItems).to.deep.equal(["Pin"]);
    expect(button(bo, "Host controls")).to.equal(undefined);
    await expect(ana).to.be.accessible();
    ana.leave();
    bo.leave();
  });

  it("mute from a tile's menu: the guest's mic goes off, they are told by whom, and may turn it on", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    await press(ana, "More actions for Bo");
    // The menu takes the focus; arrows move through it.
    const items = [...root(ana).querySelectorAll<HTMLButtonElement>("[role=menuitem]")];
    expect(items.map((i) => i.textContent!.trim())).to.deep.equal([
      "Pin",
      "Mute",
      "Stop video",
      "Make host",
      "Remove",
    ]);
    await until(() => root(ana).activeElement === items[0], "focus on the first item");
    items[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(root(ana).activeElement).to.equal(items[1]);
    const moderated = oneEvent(bo, "moderated");
    items[1].click();
    const { detail } = await moderated;
    expect(detail.action).to.equal("mute");
    expect(detail.by?.name).to.equal("Ana");
    const mic = () => button(bo, "Microphone")!;
    await until(() => mic().getAttribute("aria-pressed") === "false", "Bo's mic off");
    expect(root(bo).querySelector('[part~="notice"]')!.textContent).to.contain(
      "Ana muted your microphone",
    );
    await until(() => tileOf(ana, "Bo")!.audioMuted, "Bo shown muted at Ana");
    mic().click();
    await until(() => !tileOf(ana, "Bo")!.audioMuted, "Bo unmuted himself");
    ana.leave();
    bo.leave();
  });

  it("Escape closes a menu and gives the focus back to its button", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    await press(ana, "Host controls");
    const menu = root(ana).querySelector("[role=menu]")!;
    expect(menu).to.exist;
    menu.querySelector("[role=menuitem]")!.dispatchEvent(
      new KeyboardEvent("keydown", { key: "Escape", bubbles: true }),
    );
    await until(() => !root(ana).querySelector("[role=menu]"), "menu closed");
    await until(() => root(ana).activeElement === button(ana, "Host controls"), "focus back");
    ana.leave();
    bo.leave();
  });

  it("the lobby: a guest knocks and waits, the host admits one and denies another", async () => {
    const { people: [ana, bo], join } = await meeting(["Ana", "Bo"]);
    await press(ana, "Host controls");
    const settings = oneEvent(bo, "room-settings-changed");
    await press(ana, "Turn the lobby on");
    expect((await settings).detail).to.deep.equal({ locked: false, lobby: true });
    await until(() => ana.lobby, "lobby on at Ana");

    const knocked = oneEvent(ana, "knock");
    const cleo = await join("Cleo", "waiting");
    expect((await knocked).detail.peer.name).to.equal("Cleo");
    await until(() => screenText(cleo) === "Waiting for the host to let you in…", "waiting");
    // Not in the room: nobody sees Cleo, Cleo sees nobody.
    expect(tileOf(bo, "Cleo")).to.equal(undefined);
    expect(ana.waiting.map((k) => k.name)).to.deep.equal(["Cleo"]);
    const knocks = await until(() => root(ana).querySelector('[part="knocks"]'), "knocks");
    expect(knocks.textContent).to.contain("Cleo wants to join");
    await press(ana, "Admit Cleo");
    await until(() => cleo.state === "joined", "Cleo admitted");
    await until(() => tileOf(bo, "Cleo") && tileOf(cleo, "Ana"), "Cleo in the room");
    await until(() => !root(ana).querySelector('[part="knocks"]'), "no knocks left");

    const dan = await join("Dan", "waiting");
    await press(ana, "Deny Dan");
    await until(() => dan.state === "failed", "Dan turned away");
    expect(screenText(dan)).to.match(/denied|not let in|turned/i);
    for (const el of [ana, bo, cleo]) el.leave();
  });

  it("Admit all lets everyone waiting in", async () => {
    const { people: [ana], join } = await meeting(["Ana"]);
    ana.setLobby(true);
    await until(() => ana.lobby, "lobby on");
    const eve = await join("Eve", "waiting");
    const fay = await join("Fay", "waiting");
    await until(() => ana.waiting.length === 2, "two knocks");
    await press(ana, "Admit all");
    await until(() => eve.state === "joined" && fay.state === "joined", "both admitted");
    for (const el of [ana, eve, fay]) el.leave();
  });

  it("remove asks first; the removed person is told and gets no way back in", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    await press(ana, "More actions for Bo");
    await press(ana, "Remove");
    const dialog = await until(
      () => root(ana).querySelector<HTMLDialogElement>("dialog[part=confirm]"),
      "the confirmation",
    );
    await until(() => dialog.open, "open as a modal");
    expect(dialog.textContent).to.contain("Remove Bo from the meeting?");
    await press(ana, "Cancel");
    expect(root(ana).querySelector("dialog")).to.equal(null);
    expect(bo.state).to.equal("joined");

    await press(ana, "More actions for Bo");
    await press(ana, "Remove");
    const removed = oneEvent(bo, "removed");
    const confirm = root(ana).querySelector<HTMLButtonElement>("dialog .danger")!;
    confirm.click();
    expect((await removed).detail.by?.name).to.equal("Ana");
    await until(() => bo.state === "removed", "Bo removed");
    expect(screenText(bo)).to.equal("You were removed from the meeting.");
    expect(buttons(bo).length).to.equal(0);
    await until(() => !tileOf(ana, "Bo"), "Bo's tile gone at Ana");
    ana.leave();
  });

  it("lock turns newcomers away; end for all ends the meeting on every screen", async () => {
    const { people: [ana, bo], join } = await meeting(["Ana", "Bo"]);
    await press(ana, "Host controls");
    await press(ana, "Lock the room");
    await until(() => ana.locked && bo.locked, "locked everywhere");
    const cleo = await join("Cleo", "failed");
    expect(screenText(cleo)).to.match(/locked/i);

    await press(ana, "Host controls");
    await press(ana, "End for all");
    const ended = oneEvent(bo, "room-ended");
    root(ana).querySelector<HTMLButtonElement>("dialog .danger")!.click();
    expect((await ended).detail.by?.name).to.equal("Ana");
    await until(() => ana.state === "ended" && bo.state === "ended", "ended for both");
    expect(screenText(bo)).to.equal("The host ended the meeting.");
  });

  it("a guest made host gets the tools", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"]);
    const changed = oneEvent(bo, "role-changed");
    await press(ana, "More actions for Bo");
    await press(ana, "Make host");
    const { detail } = await changed;
    expect(detail).to.deep.include({ role: "host" });
    expect(detail.peer.name).to.equal("Bo");
    expect(bo.role).to.equal("host");
    await until(() => button(bo, "Host controls"), "Bo's host controls");
    await until(() => button(bo, "More actions for Ana"), "a menu on Ana's tile at Bo");
    ana.leave();
    bo.leave();
  });
});
