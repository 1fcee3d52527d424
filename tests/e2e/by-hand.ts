/**
 * Using the rendered room as a person does: controls found by their role and
 * accessible name (through shadow roots, as a screen reader finds them),
 * clicked with the mouse, text typed on the keyboard. And what a person sees:
 * read from the rendered DOM, never from element properties.
 */
import { Locator, type Page } from "puppeteer-core";

/** A button found by its accessible name, as a person (or screen reader) finds it. */
export function button(page: Page, name: string) {
  return page.locator(`::-p-aria([name="${name}"][role="button"])`);
}

/** Clicks the button with this accessible name: a real mouse click on its rendered box. */
export async function press(page: Page, name: string): Promise<void> {
  await button(page, name).setTimeout(10000).click();
}

/** Opens the menu behind the button `menu` and clicks its item `item`, as a person does. */
export async function choose(page: Page, menu: string, item: string): Promise<void> {
  await press(page, menu);
  await Locator.race([
    page.locator(`::-p-aria([name="${item}"][role="menuitem"])`),
    page.locator(`::-p-aria([name="${item}"][role="menuitemradio"])`),
  ]).setTimeout(10000).click();
}

/**
 * Clicks the button `name` of the open modal dialog (a confirmation): the
 * modal makes the rest of the page inert, so only the dialog's buttons are
 * found, as a screen reader finds them.
 */
export async function answer(page: Page, question: string, name: string): Promise<void> {
  await page.locator(`::-p-aria([name="${question}"][role="dialog"])`).setTimeout(10000).wait();
  await press(page, name);
}

/** Clicks into the text field with this label and types, key by key. */
export async function typeInto(page: Page, label: string, text: string): Promise<void> {
  await page.locator(`::-p-aria([name="${label}"][role="textbox"])`).setTimeout(10000).click();
  await page.keyboard.type(text);
}

/** The focused element, looking into shadow roots. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const label = el.getAttribute("aria-label") ??
      (el as HTMLInputElement).labels?.[0]?.textContent;
    return `${el.localName}${el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : ""} ${
      (label ?? el.textContent ?? "").trim()
    }`;
  });
}

/** Presses Tab until `matches` the focused element (at most `limit` times). */
export async function tabTo(page: Page, matches: (focused: string) => boolean, limit = 20) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (matches(await focusedElement(page))) return;
  }
  throw new Error(`Tab never reached the wanted control (last: ${await focusedElement(page)})`);
}

/** One tile as it looks on screen. */
export interface ShownTile {
  /** The visible name label, e.g. "Ana", "Ana (you)", "Ana's screen". */
  label: string;
  /** Accessible names of the indicators shown, e.g. ["Microphone off", "Good connection"]. */
  indicators: string[];
  /** The reaction floating on the tile now, if any. */
  reaction: string | null;
  /** The initials shown instead of video, or null when video shows. */
  avatar: string | null;
  /** Its video has a picture and its clock moves. */
  playing: boolean;
  screen: boolean;
}

/** Every tile on the page's call screen, read from what is rendered. */
export function shownTiles(page: Page): Promise<ShownTile[]> {
  return page.evaluate(() => {
    const root = document.querySelector("video-room")?.shadowRoot;
    return [...(root?.querySelectorAll("peer-tile:not([part=preview])") ?? [])].map((tile) => {
      const r = tile.shadowRoot!;
      const video = r.querySelector("video");
      const avatar = r.querySelector('[part="avatar"]');
      return {
        label: r.querySelector('[part="label"] .name')?.textContent?.trim() ?? "",
        indicators: [...r.querySelectorAll('[part="indicator"], [part="quality"]')].map((i) =>
          i.getAttribute("aria-label") ?? ""
        ),
        reaction: r.querySelector('[part="reaction"]')?.textContent ?? null,
        avatar: avatar && avatar.getClientRects().length > 0 ? avatar.textContent!.trim() : null,
        playing: !!video && !video.hidden && video.videoWidth > 0 && video.currentTime > 0,
        screen: tile.hasAttribute("screen"),
      };
    });
  });
}

/** The label of the large (featured) tile on the page's call screen, or "" when none. */
export function shownFeatured(page: Page): Promise<string> {
  return page.evaluate(() => {
    const tile = document.querySelector("video-room")?.shadowRoot
      ?.querySelector('peer-tile[part~="featured"], peer-tile[part="screen"]');
    return tile?.shadowRoot?.querySelector('[part="label"] .name')?.textContent?.trim() ?? "";
  });
}

/** The participants panel as shown: one line of text per person, in order. */
export function shownParticipants(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...(document.querySelector("video-room")?.shadowRoot?.querySelectorAll(
        '[part="participants"] li',
      ) ?? []),
    ].map((li) => li.textContent!.replace(/\s+/g, " ").trim())
  );
}

/** The chat panel's messages as shown: name, text, and the text's markup. */
export function shownChat(page: Page): Promise<{ name: string; text: string; html: string }[]> {
  return page.evaluate(() => {
    const panel = document.querySelector("video-room")?.shadowRoot?.querySelector("chat-panel");
    return [...(panel?.shadowRoot?.querySelectorAll('[part="message"]') ?? [])].map((m) => ({
      name: m.querySelector(".who")?.textContent ?? "",
      text: m.querySelector('[part="text"]')?.textContent ?? "",
      html: m.querySelector('[part="text"]')?.innerHTML ?? "",
    }));
  });
}

/** Text shown in the room outside the tiles: notices, knocks, the waiting/left/failed screens. */
export function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector("video-room")?.shadowRoot;
    return [...(root?.querySelectorAll('[part~="banner"], [part="knocks"], .screen-message') ?? [])]
      .map((e) => e.textContent?.replace(/\s+/g, " ").trim()).join(" | ");
  });
}

/** The unread badge on the Chat button, or null when none shows. */
export function shownBadge(page: Page): Promise<string | null> {
  return page.evaluate(() =>
    document.querySelector("video-room")?.shadowRoot?.querySelector('[part="badge"]')
      ?.textContent ?? null
  );
}
