/**
 * The call in a small floating window. Where the Document Picture-in-Picture
 * API exists (Chromium 116+): a window with the featured video, its name, and
 * microphone, camera and leave buttons. Elsewhere: the featured video's own
 * picture-in-picture. The page keeps the call (and its sound) throughout;
 * closing the window is all it takes to be back. A chunk, loaded on demand.
 */
import { css, html, render } from "lit";
import { icons } from "../../internal/icons.ts";
import { leaveIcon } from "./call-icons.ts";
import { type RoomStrings, t } from "../../internal/strings.ts";

export interface PipView {
  strings: Partial<RoomStrings> | undefined;
  /** The meeting's language and direction, for the window's document. */
  lang: string;
  dir: "ltr" | "rtl";
  /** The featured video and whose it is. */
  stream: MediaStream | null;
  name: string;
  audio: boolean;
  video: boolean;
  onAudio(): void;
  onVideo(): void;
  onLeave(): void;
}

export interface PipWindow {
  /** Draws the window again (the featured person or the toggles changed). */
  update(view: PipView): void;
  close(): void;
}

interface DocumentPip {
  requestWindow(options: { width: number; height: number }): Promise<Window>;
}

const styles = css`
  body {
    margin: 0;
    height: 100vh;
    display: grid;
    grid-template-rows: 1fr auto;
    background: #10131a;
    color: #e9ecf3;
    font: 14px/1.4 system-ui, sans-serif;
  }
  .stage {
    position: relative;
    min-height: 0;
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: #000;
  }
  .name {
    position: absolute;
    inset-inline-start: 8px;
    bottom: 8px;
    padding: 2px 8px;
    border-radius: 6px;
    background: rgb(0 0 0 / 55%);
  }
  .controls {
    display: flex;
    gap: 8px;
    justify-content: center;
    padding: 8px;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 6px 10px;
    border: 0;
    border-radius: 8px;
    background: #2c3242;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .leave svg:dir(rtl) {
    transform: scaleX(-1);
  }
  .off,
  .leave {
    background: #c62f2f;
    color: #fff;
  }
`;

function view(v: PipView) {
  const s = v.strings;
  const toggle = (label: "microphone" | "camera", on: boolean, icon: unknown, run: () => void) =>
    html`
      <button type="button" class=${on ? "" : "off"} aria-pressed=${on ? "true" : "false"}
        aria-label=${t(s, label)} title=${t(s, label)} @click=${run}>${icon}</button>
    `;
  return html`
    <div class="stage">
      <video autoplay playsinline muted .srcObject=${v.stream}></video>
      <span class="name">${v.name}</span>
    </div>
    <div class="controls" role="toolbar">
      ${toggle("microphone", v.audio, v.audio ? icons.mic : icons.micOff, v.onAudio)}
      ${toggle("camera", v.video, v.video ? icons.cam : icons.camOff, v.onVideo)}
      <button type="button" class="leave" @click=${v.onLeave}>${leaveIcon}<span>${t(
        s,
        "leave",
      )}</span></button>
    </div>
  `;
}

/**
 * Opens the window (it must follow a click). `fallback` is the featured
 * <video> on the page, for browsers without Document Picture-in-Picture.
 * `onClosed` runs however it closes.
 */
export async function openPictureInPicture(
  v: PipView,
  fallback: () => HTMLVideoElement | null,
  onClosed: () => void,
): Promise<PipWindow> {
  const dpip = (globalThis as { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;
  if (dpip) {
    const win = await dpip.requestWindow({ width: 360, height: 270 });
    const style = win.document.createElement("style");
    style.textContent = styles.cssText;
    win.document.head.append(style);
    win.document.title = v.name;
    // The window speaks the meeting's language, right to left where it is written so.
    win.document.documentElement.lang = v.lang;
    win.document.documentElement.dir = v.dir;
    render(view(v), win.document.body);
    win.addEventListener("pagehide", () => onClosed(), { once: true });
    return {
      update: (next) => render(view(next), win.document.body),
      close: () => win.close(),
    };
  }
  const video = fallback();
  if (!video) throw new Error("there is no video to show");
  await video.requestPictureInPicture();
  video.addEventListener("leavepictureinpicture", () => onClosed(), { once: true });
  return {
    update: () => {},
    close: () => void document.exitPictureInPicture().catch(() => {}),
  };
}
