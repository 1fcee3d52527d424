/**
 * End-to-end harness: the real server as a process on a free port, one
 * headless system Chromium, one browser context per peer (separate storage,
 * like separate people), fake camera and microphone.
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";
import { until } from "../shared/until.ts";
import chromiumArgs from "../shared/chromium-args.json" with { type: "json" };
import firefoxPrefs from "../shared/firefox-prefs.json" with { type: "json" };
import { type ListeningProcess, startServerProcess } from "../../scripts/spawn-listening.ts";

export { startServerProcess, until };

/** The flags every test browser runs with (fake media, loopback ICE, no throttling). */
export const CHROMIUM_ARGS: readonly string[] = chromiumArgs;

export type ServerProcess = ListeningProcess;

export async function launchBrowser(): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS], // puppeteer mutates the array: always a fresh copy
    defaultViewport: { width: 1100, height: 700 },
  });
}

/**
 * Debian's Firefox ESR through WebDriver BiDi: fake camera and microphone, no
 * prompts, loopback ICE. One person per Firefox (use its default context).
 */
export async function launchFirefox(): Promise<Browser> {
  return await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    extraPrefsFirefox: firefoxPrefs,
    defaultViewport: { width: 1100, height: 700 },
  });
}

/** A person in their own Firefox, at `url`, connections tracked. */
export async function openFirefoxPeer(browser: Browser, url: string, label = url): Promise<Peer> {
  const page = await browser.newPage();
  await trackConnections(page);
  page.on("pageerror", (err) => console.error(`[${label}: page error] ${err}`));
  await page.goto(url);
  return { context: browser.defaultBrowserContext(), page, close: () => page.close() };
}

export interface Peer {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A new person: their own browser context and page at `url`, connections tracked. */
export async function openPeer(
  browser: Browser,
  url: string,
  label = url,
  before?: (page: Page) => Promise<void>,
): Promise<Peer> {
  return await openPeerIn(await browser.createBrowserContext(), url, label, before);
}

/** A person in a browser context made for them (in Chromium or Firefox), at `url`. */
export async function openPeerIn(
  context: BrowserContext,
  url: string,
  label = url,
  /** Runs before the page loads (an init script, say). */
  before?: (page: Page) => Promise<void>,
): Promise<Peer> {
  const page = await context.newPage();
  await trackConnections(page);
  await before?.(page);
  page.on("pageerror", (err) => console.error(`[${label}: page error] ${err}`));
  await page.goto(url);
  return { context, page, close: () => context.close() };
}

/** What a page's <video-room> shows: read from its rendered tiles. */
export interface TileView {
  name: string;
  local: boolean;
  screen: boolean;
  audioMuted: boolean;
  videoOff: boolean;
  connection: string;
  /** The tile's <video> has a picture and its clock moves. */
  playing: boolean;
  /** Text of the tile's visible label. */
  label: string;
}

export async function tiles(page: Page): Promise<TileView[]> {
  return await page.evaluate(() => {
    const room = document.querySelector("video-room");
    const out: TileView[] = [];
    for (const t of room?.shadowRoot?.querySelectorAll("peer-tile") ?? []) {
      const tile = t as HTMLElement & Omit<TileView, "playing" | "label">;
      const video = tile.shadowRoot?.querySelector("video");
      out.push({
        name: tile.name,
        local: tile.local,
        screen: tile.screen,
        audioMuted: tile.audioMuted,
        videoOff: tile.videoOff,
        connection: tile.connection,
        playing: !!video && !video.hidden && video.videoWidth > 0 && video.currentTime > 0,
        label: tile.shadowRoot?.querySelector('[part="label"]')?.textContent?.trim() ?? "",
      });
    }
    return out;
  });
}

/**
 * Real media counters from every RTCPeerConnection on the page: frames
 * decoded and audio packets received. The page's connections are found by
 * wrapping the constructor before any page script runs.
 */
export async function trackConnections(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const Native = RTCPeerConnection;
    const all: RTCPeerConnection[] = [];
    (globalThis as { __pcs?: RTCPeerConnection[] }).__pcs = all;
    // deno-lint-ignore no-explicit-any
    (globalThis as any).RTCPeerConnection = function (config?: RTCConfiguration) {
      const pc = new Native(config);
      all.push(pc);
      return pc;
    };
    // deno-lint-ignore no-explicit-any
    (globalThis as any).RTCPeerConnection.prototype = Native.prototype;
  });
}

export interface MediaCounters {
  connections: number;
  connected: number;
  /** Per open connection: video frames decoded (all inbound video summed). */
  framesDecoded: number[];
  /** Per open connection: audio packets received. */
  audioPackets: number[];
  /** Per open connection: candidate types of the selected pair, e.g. "host/host". */
  selectedPairs: string[];
}

export async function mediaCounters(page: Page): Promise<MediaCounters> {
  return await page.evaluate(async () => {
    const pcs = ((globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? [])
      .filter((pc) => pc.connectionState !== "closed");
    const framesDecoded: number[] = [];
    const audioPackets: number[] = [];
    const selectedPairs: string[] = [];
    for (const pc of pcs) {
      const stats = await pc.getStats();
      let frames = 0, packets = 0;
      let pair = "";
      const byId = new Map<string, Record<string, unknown>>();
      stats.forEach((s) => byId.set(s.id, s));
      stats.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded ?? 0;
        if (s.type === "inbound-rtp" && s.kind === "audio") packets += s.packetsReceived ?? 0;
        if (s.type === "transport" && s.selectedCandidatePairId) {
          const p = byId.get(s.selectedCandidatePairId as string);
          const l = byId.get(p?.localCandidateId as string);
          const r = byId.get(p?.remoteCandidateId as string);
          pair = `${l?.candidateType}/${r?.candidateType}`;
        }
      });
      framesDecoded.push(frames);
      audioPackets.push(packets);
      selectedPairs.push(pair);
    }
    return {
      connections: pcs.length,
      connected: pcs.filter((pc) => pc.connectionState === "connected").length,
      framesDecoded,
      audioPackets,
      selectedPairs,
    };
  });
}

/** Waits until every open connection on the page decodes video and receives audio, and grows. */
export async function mediaFlowing(page: Page, connections: number, what: string) {
  const first = await until(async () => {
    const c = await mediaCounters(page);
    return c.connected >= connections && c.framesDecoded.every((f) => f > 0) &&
      c.audioPackets.every((p) => p > 0) && c;
  }, `${what}: ${connections} connection(s) with media`);
  await until(async () => {
    const c = await mediaCounters(page);
    return c.framesDecoded.length >= connections &&
      c.framesDecoded.every((f, i) => f > (first.framesDecoded[i] ?? 0) + 5);
  }, `${what}: frames keep arriving`);
}

/** Runs a shadow-DOM action on the page's <video-room>: click a control by its label. */
export async function clickControl(page: Page, label: string): Promise<void> {
  await page.evaluate((label) => {
    const room = document.querySelector("video-room")!;
    const buttons = [...room.shadowRoot!.querySelectorAll<HTMLButtonElement>("button")];
    const b = buttons.find((b) =>
      (b.getAttribute("aria-label") ?? b.textContent ?? "").trim().startsWith(label)
    );
    if (!b) throw new Error(`no control labelled ${label}`);
    b.click();
  }, label);
}

/** Messages shown in the page's <chat-panel>: sender name and text as rendered. */
export async function chatMessages(
  page: Page,
): Promise<{ name: string; text: string; html: string }[]> {
  return await page.evaluate(() => {
    const panel = document.querySelector("video-room")?.shadowRoot?.querySelector("chat-panel");
    return [...(panel?.shadowRoot?.querySelectorAll('[part="message"]') ?? [])].map((m) => ({
      name: m.querySelector(".who")?.textContent ?? "",
      text: m.querySelector('[part="text"]')?.textContent ?? "",
      html: m.querySelector('[part="text"]')?.innerHTML ?? "",
    }));
  });
}

/** A free loopback port (for a server that must know its own URL in advance). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The page's <video-room> state: idle, connecting, joined, reconnecting, left, failed. */
export function roomState(page: Page): Promise<string> {
  return page.evaluate(() =>
    (document.querySelector("video-room") as Element & { state: string }).state
  );
}

/** The explanation the room shows: the error banner or the failure screen. */
export function shownError(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.querySelector("video-room")?.shadowRoot;
    return (root?.querySelector('[part="banner"].error span') ??
      root?.querySelector(".screen-message p"))?.textContent ?? "";
  });
}
