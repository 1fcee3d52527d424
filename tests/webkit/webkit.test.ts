/**
 * <video-room> in WebKit (Safari's engine), as far as Debian's WebKitGTK can
 * show it: that build has no WebRTC, so these are the pre-join screen, the
 * mock camera through our media code, a browser that cannot make calls
 * joining a Chromium person for chat (told so, never dialled, no uncaught
 * error), and the layout at a desktop's and a phone's size. Screenshots go
 * to a temporary folder (printed), for a person to look at.
 */
import assert from "node:assert/strict";
import { startTestServer } from "../server/test-server.ts";
import { DEFAULT_MOUNTS } from "../../server/signaling-server.ts";
import { launchBrowser, openPeer } from "../e2e/harness.ts";
import { press, shownChat, shownTiles, typeInto } from "../e2e/by-hand.ts";
import { launchWebKit, webkitAvailable, type WebKitPage } from "../shared/webkit-driver.ts";
import { until } from "../shared/until.ts";

const pages = new URL("./pages/", import.meta.url).pathname;

/** What a person sees in the element, read from the rendered shadow DOM. */
interface Seen {
  banner: string;
  prejoin: boolean;
  /** Names of the buttons in the call's control bar (menus' items aside), and their tops. */
  bar: Array<{ name: string; top: number; width: number; height: number }>;
  tiles: Array<{ name: string; status: string }>;
  /** The element's box, and whether anything spills out of it sideways. */
  box: { width: number; height: number };
  overflow: boolean;
  caught: string[];
  errors: string[];
}

function seen(page: WebKitPage): Promise<Seen> {
  return page.evaluate<Seen>(`
    const el = document.querySelector("video-room");
    const root = el.shadowRoot;
    const name = (b) => (b.getAttribute("aria-label") ?? b.textContent).replace(/\\s+/g, " ").trim();
    const box = el.getBoundingClientRect();
    return {
      banner: root?.querySelector('[part~="banner"]')?.textContent.replace(/\\s+/g, " ").trim() ?? "",
      prejoin: !!root?.querySelector('[part="prejoin"]'),
      bar: [...(root?.querySelectorAll('[part="controls"] button') ?? [])]
        .filter((b) => !b.closest("[role=menu]"))
        .map((b) => { const r = b.getBoundingClientRect();
          return { name: name(b), top: Math.round(r.top), width: r.width, height: r.height }; }),
      tiles: [...(root?.querySelectorAll("peer-tile:not([part=preview])") ?? [])].map((t) => ({
        name: t.name,
        status: t.shadowRoot.querySelector('[part="status"]')?.textContent.trim() ?? "",
      })),
      box: { width: box.width, height: box.height },
      overflow: [...(root?.querySelectorAll("*") ?? [])].some((x) => {
        const r = x.getBoundingClientRect();
        return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
      }),
      caught: window.caught,
      errors: window.events.filter((e) => e.type === "room-error").map((e) => e.detail.code),
    };`);
}

Deno.test({
  name: "WebKit: told it cannot make calls, joins a Chromium person for chat, and fits a phone",
  ignore: !webkitAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const server = startTestServer({}, [...DEFAULT_MOUNTS.slice(0, 1), {
      prefix: "/webkit/",
      dir: pages,
    }, ...DEFAULT_MOUNTS.slice(1)]);
    const webkit = await launchWebKit();
    const chromium = await launchBrowser();
    const shots = await Deno.makeTempDir({ prefix: "webkit-shots-" });
    const shoot = async (name: string) => {
      // The page, not the element: WebKitGTK's element screenshots come out shifted.
      await Deno.writeFile(`${shots}/${name}.png`, await webkit.screenshot());
    };
    const room = `wk-${crypto.randomUUID().slice(0, 8)}`;
    const url = (w: number, h: number) =>
      `${server.origin}/webkit/room.html?room=${room}&w=${w}&h=${h}`;
    try {
      await webkit.resize(1400, 1000);

      await t.step(
        "before joining: the pre-join screen says this browser cannot make calls, and what to do",
        async () => {
          await webkit.goto(url(1280, 800));
          const s = await until(async () => {
            const s = await seen(webkit);
            return s.prejoin && s.banner && s;
          }, "the pre-join screen with its banner");
          assert(s.banner.startsWith("Cannot make video calls in this browser"), s.banner);
          assert(s.banner.includes("You can still join to chat"), s.banner);
          assert(s.banner.includes("Chrome, Edge, Firefox or Safari"), s.banner);
          assert.deepEqual(s.errors, ["unsupported"]); // the page hears it once, as a room-error
          assert.deepEqual(s.caught, []);
          assert(!s.overflow, "nothing spills out of the element at 1280×800");
          await shoot("prejoin-1280x800");
          // The toggles cannot help here: nothing could be sent.
          const disabled = await webkit.evaluate<boolean[]>(
            `return ["Microphone", "Camera"].map((n) => document.querySelector("video-room").shadowRoot
            .querySelector('[aria-label="' + n + '"]').disabled)`,
          );
          assert.deepEqual(disabled, [true, true]);
        },
      );

      await t.step(
        "the pre-join screen at a phone's size: all of it within the element",
        async () => {
          await webkit.goto(url(390, 844));
          const s = await until(async () => {
            const s = await seen(webkit);
            return s.prejoin && s.banner && s;
          }, "the pre-join screen at 390×844");
          assert(!s.overflow, "nothing spills out of the element at 390×844");
          const join = await webkit.evaluate<{ bottom: number; height: number }>(
            `const b = [...document.querySelector("video-room").shadowRoot.querySelectorAll("button")]
            .find((b) => b.textContent.trim() === "Join").getBoundingClientRect();
          return { bottom: b.bottom, height: innerHeight };`,
          );
          assert(join.bottom <= join.height, "Join is in view without scrolling");
          await shoot("prejoin-390x844");
        },
      );

      await t.step(
        "the mock camera and microphone through our media code, one capture at a time",
        async () => {
          const r = await webkit.evaluateAsync<
            { tracks: string[]; width: number; labels: number; switched: boolean; off: string }
          >(`
          const { RoomSession } = await import("/dist/modules/room-session.js");
          const session = new RoomSession({
            room: "x", name: "x", server: "ws://127.0.0.1:9/ws",
            support: { calls: true, devices: true, problem: null },
          });
          await session.startMedia();
          const tracks = session.media.stream.getTracks().map((t) => t.kind + ":" + t.readyState).sort();
          const video = session.media.stream.getVideoTracks()[0];
          const width = video.getSettings().width;
          const cams = session.devices.videoInputs;
          await session.useDevice("video", cams[cams.length - 1].deviceId);
          const switched = video.readyState === "ended" &&
            session.media.stream.getVideoTracks()[0]?.readyState === "live";
          await session.toggleVideo(false);
          const off = session.media.stream.getVideoTracks().length + ":" + session.media.videoEnabled;
          session.close();
          return { tracks, width, labels: cams.filter((c) => c.label).length, switched, off };
        `);
          assert.deepEqual(r.tracks, ["audio:live", "video:live"]);
          assert(r.width > 0, `a camera width (${r.width})`);
          assert(r.labels > 0, "the cameras have names once access was granted");
          assert(r.switched, "the camera switched: the old one let go, the new one live");
          assert.deepEqual(r.off, "0:false"); // camera off: its track stopped and gone
        },
      );

      await t.step(
        "joins a Chromium person for chat; nobody dials it; chat both ways",
        async () => {
          const ana = await openPeer(chromium, `${server.origin}/?room=${room}&name=Ana`);
          await until(async () => (await shownTiles(ana.page)).length === 1, "Ana in the room");
          await webkit.goto(url(390, 844));
          await webkit.typeInto("Your name", "Bo");
          await webkit.press("Join");
          const atBo = await until(async () => {
            const s = await seen(webkit);
            return s.tiles.some((x) => x.name === "Ana") && s;
          }, "Ana's tile at Bo");
          assert.deepEqual(
            atBo.tiles.find((x) => x.name === "Ana")!.status,
            "No audio or video in this browser",
          );
          const boAtAna = await until(
            async () => (await shownTiles(ana.page)).find((x) => x.label === "Bo"),
            "Bo's tile at Ana",
          );
          await until(async () => {
            const bo = (await shownTiles(ana.page)).find((x) => x.label === "Bo");
            return bo?.status === "No audio or video in this browser";
          }, `Bo shown as without media at Ana (${boAtAna.status})`);
          // A phone-sized call: one row of controls, each 44 px or more.
          const s = await seen(webkit);
          assert.deepEqual(s.bar.map((b) => b.name), [
            "Microphone",
            "Camera",
            "More options",
            "Leave",
          ]);
          assert.deepEqual(new Set(s.bar.map((b) => b.top)).size, 1);
          for (const b of s.bar) assert(Math.min(b.width, b.height) >= 44, `${b.name} is 44 px`);
          assert(!s.overflow, "nothing spills out of the element at 390×844");
          await shoot("call-390x844");
          // Chat from Bo, through the More sheet, by hand.
          await webkit.press("More options");
          await webkit.press("Chat", "menuitem");
          await webkit.typeInto("Write a message", "Hello from WebKit");
          await webkit.press("Send");
          await press(ana.page, "Chat, 1 unread"); // waits for the message's unread count
          await until(
            async () => (await shownChat(ana.page)).some((m) => m.text === "Hello from WebKit"),
            "Bo's message at Ana",
          );
          await typeInto(ana.page, "Write a message", "Hi Bo");
          await press(ana.page, "Send");
          await until(
            () =>
              webkit.evaluate<boolean>(`return [...document.querySelector("video-room").shadowRoot
              .querySelector("chat-panel").shadowRoot.querySelectorAll('[part="text"]')]
              .some((m) => m.textContent === "Hi Bo")`),
            "Ana's reply in Bo's open chat",
          );
          await shoot("chat-390x844");
          const end = await seen(webkit);
          assert.deepEqual(end.caught, [], "no uncaught error in WebKit, whatever the signals");
          assert.deepEqual(end.errors, ["unsupported"]);
          await ana.close();
        },
      );

      console.log(`WebKit screenshots: ${shots}`);
    } finally {
      await webkit.close();
      await chromium.close();
      await server.shutdown();
    }
  },
});
