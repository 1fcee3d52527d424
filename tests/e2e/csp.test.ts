/**
 * A page with a strict Content-Security-Policy (the lines docs/cms.md gives, nothing more): two
 * people join by hand and see each other, and the browser reports no violation at all.
 */
import assert from "node:assert/strict";
import { launchBrowser, startServerProcess, tiles, until } from "./harness.ts";
import { press, typeInto } from "./by-hand.ts";

const root = new URL("../..", import.meta.url).pathname;

/**
 * Two people join a page served under `policy` (given the signaling URL); `before` runs on
 * each page before Join (by hand, like the visitor).
 */
async function callUnder(
  policy: (signal: string) => string,
  before: (page: import("puppeteer-core").Page) => Promise<void> = async () => {},
) {
  const server = await startServerProcess();
  const signal = `ws://127.0.0.1:${server.port}`;
  const csp = policy(signal);
  const http = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const { pathname, searchParams } = new URL(req.url);
    if (pathname.startsWith("/dist/") && !pathname.includes("..")) {
      const body = await Deno.readFile(`${root}${pathname}`).catch(() => null);
      return body
        ? new Response(body, { headers: { "content-type": "text/javascript" } })
        : new Response("not found", { status: 404 });
    }
    const page = `<!doctype html><html lang="en"><title>CSP</title>
      <video-room room="${searchParams.get("room")}" server="${signal}/ws"></video-room>
      <script type="module" src="/dist/video-room.js"></script>`;
    return new Response(page, {
      headers: { "content-type": "text/html", "content-security-policy": csp },
    });
  });
  const origin = `http://127.0.0.1:${http.addr.port}`;
  const browser = await launchBrowser();
  const room = `csp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const pages = [];
    for (const name of ["Ana", "Bo"]) {
      const page = await (await browser.createBrowserContext()).newPage();
      // Listening from before the page's first script: an inline one would itself be blocked.
      await page.evaluateOnNewDocument(() => {
        const seen: string[] = [];
        (globalThis as { violations?: string[] }).violations = seen;
        document.addEventListener("securitypolicyviolation", (e) => {
          // The browser's own favicon fetch is not the page's doing.
          if (!e.blockedURI.endsWith("/favicon.ico")) {
            seen.push(`${e.violatedDirective} ${e.blockedURI}`);
          }
        }, true);
      });
      await page.goto(`${origin}/?room=${room}`);
      await typeInto(page, "Your name", name);
      await before(page);
      await press(page, "Join");
      pages.push(page);
    }
    for (const page of pages) {
      await until(
        async () => (await tiles(page)).filter((t) => t.playing).length === 2,
        "both videos playing under the policy",
        30000,
      );
      assert.deepEqual(
        await page.evaluate(() => (globalThis as { violations?: string[] }).violations),
        [],
      );
    }
  } finally {
    await browser.close();
    await http.shutdown();
    await server.stop();
  }
}

Deno.test("a page with a strict CSP: a call works and nothing is blocked", () =>
  callUnder((signal) => `default-src 'none'; script-src 'self'; connect-src 'self' ${signal}`));

Deno.test(
  "a strict CSP with the effects' lines: noise suppression and blur on, nothing blocked",
  () =>
    callUnder(
      (signal) =>
        `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self'; connect-src 'self' ${signal}`,
      async (page) => {
        await press(page, "Settings");
        await press(page, "Noise suppression");
        await press(page, "Blur");
        // Both applied before joining: the preview's tracks are the effects' own, no device's.
        await until(
          () =>
            page.evaluate(async () => {
              const el = document.querySelector("video-room") as unknown as {
                localStream: MediaStream | null;
              };
              const devices = (await navigator.mediaDevices.enumerateDevices()).map((d) =>
                d.deviceId
              );
              const tracks = el.localStream?.getTracks() ?? [];
              return tracks.length === 2 &&
                tracks.every((t) => !devices.includes(t.getSettings().deviceId ?? ""));
            }),
          "the effects in the preview",
          20000,
        );
      },
    ),
);
