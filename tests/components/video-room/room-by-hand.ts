/**
 * <video-room> in a component test as people use it: controls found by their accessible names
 * in the shadow root and clicked, and a meeting of elements side by side on the real signaling
 * server, joined one after the other (so the first one hosts).
 */
import { fixture, html } from "@open-wc/testing";
import "../../../components/video-room/video-room.ts";
import type { VideoRoom } from "../../../components/video-room/video-room.ts";
import type { PeerTile } from "../../../components/peer-tile/peer-tile.ts";
import { signalingUrl, uniqueRoom, until } from "../test-helpers.ts";

export const root = (el: VideoRoom) => el.shadowRoot!;

/** Someone's camera tile (not their screen) on this element's call screen. */
export const tileOf = (el: VideoRoom, name: string) =>
  [...root(el).querySelectorAll<PeerTile>("peer-tile")].find((t) => t.name === name && !t.screen);

/** A button (menu items too) by its accessible name: its aria-label, else its text. */
export const button = (el: VideoRoom, label: string) =>
  [...root(el).querySelectorAll<HTMLButtonElement>("button")].find((b) =>
    (b.getAttribute("aria-label") ?? b.textContent ?? "").trim() === label
  );

/** Clicks the button named `label`, once it shows. */
export async function press(el: VideoRoom, label: string): Promise<void> {
  const b = await until(() => button(el, label), `a "${label}" button`);
  b.click();
  await el.updateComplete;
}

/** Opens the menu behind `menu` and clicks its item `item` (a menu item, not a button alike). */
export async function choose(el: VideoRoom, menu: string, item: string): Promise<void> {
  await press(el, menu);
  const found = await until(
    () =>
      [...root(el).querySelectorAll<HTMLButtonElement>("[role^=menuitem]")].find((b) =>
        (b.getAttribute("aria-label") ?? b.textContent ?? "").trim() === item
      ),
    `the "${item}" item`,
  );
  found.click();
  await el.updateComplete;
}

/**
 * People joining one room in turn, each in an element of their own, side by side; `join` brings
 * one more and waits until they are `wait` (in, in the lobby, or turned away).
 */
export async function meeting(names: string[], prefix = "meet") {
  const server = await signalingUrl();
  const room = uniqueRoom(prefix);
  const wrap = await fixture<HTMLDivElement>(
    html`
      <div
        style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px"></div>
    `,
  );
  const join = async (name: string, wait: "joined" | "waiting" | "failed" = "joined") => {
    const el = document.createElement("video-room");
    Object.assign(el, { room, name, server, autojoin: true });
    wrap.append(el);
    await until(() => el.state === wait, `${name} ${wait}`);
    return el;
  };
  const people: VideoRoom[] = [];
  for (const name of names) people.push(await join(name));
  return { people, join };
}
