/**
 * Using the rendered room as a person does: controls found by their role and
 * accessible name (through shadow roots, as a screen reader finds them),
 * clicked with the mouse, text typed on the keyboard. And what a person sees:
 * read from the rendered DOM, never from element properties.
 */
import { type ElementHandle, Locator, type Page } from "puppeteer-core";

/** A button found by its accessible name, as a person (or screen reader) finds it. */
export function button(page: Page, name: string) {
  return page.locator(`::-p-aria([name="${name}"][role="button"])`);
}

const firefoxPages = new WeakMap<Page, Promise<boolean>>();

/** Whether the page is in Firefox, where puppeteer reaches no accessibility tree (over BiDi). */
function inFirefox(page: Page): Promise<boolean> {
  let known = firefoxPages.get(page);
  if (!known) {
    known = page.browser().version().then((v) => /firefox/i.test(v));
    firefoxPages.set(page, known);
  }
  return known;
}

/**
 * In Firefox: the visible element of `role` whose accessible name is `name`,
 * found through shadow roots the way a screen reader names it (aria-label,
 * aria-labelledby, a field's label, else its text). Chromium uses its own
 * accessibility tree (`::-p-aria`) instead.
 */
async function byRole(
  page: Page,
  role: "button" | "textbox" | "menuitem" | "combobox",
  name: string,
  timeoutMs = 10000,
): Promise<ElementHandle<Element>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const handle = await page.evaluateHandle(
      (role, name) => {
        const selectors: Record<string, string> = {
          button: "button:not([role]), [role=button]",
          textbox: "input:not([type]), input[type=text], input[type=search], textarea",
          menuitem: "[role=menuitem], [role=menuitemradio]",
          combobox: "select",
        };
        const nameOf = (el: Element): string => {
          const label = el.getAttribute("aria-label");
          if (label) return label;
          const by = el.getAttribute("aria-labelledby");
          const root = el.getRootNode() as Document | ShadowRoot;
          if (by) {
            return by.split(" ").map((id) => root.getElementById?.(id)?.textContent ?? "").join(
              " ",
            );
          }
          const labels = (el as HTMLInputElement).labels;
          if (labels?.length) return labels[0].textContent ?? "";
          return el.textContent ?? "";
        };
        const all: Element[] = [];
        const walk = (root: Document | ShadowRoot) => {
          for (const el of root.querySelectorAll("*")) {
            if (el.matches(selectors[role])) all.push(el);
            if (el.shadowRoot) walk(el.shadowRoot);
          }
        };
        walk(document);
        return all.find((el) =>
          nameOf(el).replace(/\s+/g, " ").trim() === name && el.getClientRects().length > 0 &&
          !el.closest("[inert]") && !(el as HTMLButtonElement).disabled
        ) ?? null;
      },
      role,
      name,
    );
    const element = handle.asElement() as ElementHandle<Element> | null;
    if (element) return element;
    await handle.dispose();
    if (Date.now() > deadline) throw new Error(`no ${role} named "${name}" on the page`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a button with this accessible name shows (in either browser). */
export async function buttonShown(page: Page, name: string, timeoutMs = 10000): Promise<void> {
  if (await inFirefox(page)) await (await byRole(page, "button", name, timeoutMs)).dispose();
  else await button(page, name).setTimeout(timeoutMs).wait();
}

/** How long a click may wait for its control to show, hold still and take the click. */
const CLICK_MS = 20000;

/** Clicks the button with this accessible name: a real mouse click on its rendered box. */
export async function press(page: Page, name: string): Promise<void> {
  try {
    if (await inFirefox(page)) return await (await byRole(page, "button", name)).click();
    // Long enough for a page busy decoding six videos on two cores (its clicks land late).
    await button(page, name).setTimeout(CLICK_MS).click();
  } catch (err) {
    // Say which button: a locator's own timeout names none.
    throw new Error(`Cannot press "${name}": ${(err as Error).message}`);
  }
}

/** Opens the menu behind the button `menu` and clicks its item `item`, as a person does. */
export async function choose(page: Page, menu: string, item: string): Promise<void> {
  await press(page, menu);
  await pick(page, item);
}

/** Clicks the item `item` of the menu (or sheet) that is open. */
export async function pick(page: Page, item: string): Promise<void> {
  try {
    if (await inFirefox(page)) return await (await byRole(page, "menuitem", item)).click();
    await Locator.race([
      page.locator(`::-p-aria([name="${item}"][role="menuitem"])`),
      page.locator(`::-p-aria([name="${item}"][role="menuitemradio"])`),
    ]).setTimeout(CLICK_MS).click();
  } catch (err) {
    throw new Error(`Cannot pick "${item}": ${(err as Error).message}`);
  }
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
  if (await inFirefox(page)) await (await byRole(page, "textbox", label)).click();
  else {
    await page.locator(`::-p-aria([name="${label}"][role="textbox"])`).setTimeout(10000).click();
  }
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
  /** The connection badge's text ("Connecting…", "Connection lost", …), "" when none shows. */
  status: string;
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
        status: r.querySelector('[part="status"]')?.textContent?.trim() ?? "",
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

/**
 * Text shown in the room outside the tiles: notices, knocks, the recording badge and file, the
 * breakout bar and a host's broadcast, the waiting/left/failed screens.
 */
export function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector("video-room")?.shadowRoot;
    const parts =
      '[part~="banner"], [part="knocks"], [part="recording"], [part="recording-file"], [part="breakout-bar"], [part="broadcast"], .screen-message';
    return [...(root?.querySelectorAll(parts) ?? [])]
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
