/**
 * The media settings, on the pre-join screen and in the call: camera and
 * microphone (switched live, no renegotiation), noise suppression, and the
 * background. A chunk, loaded when someone opens Settings. Templates only:
 * the element owns the choice, and remembers it for the site.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../core/room-session.ts";
import { PICTURES } from "../core/effects/pictures.ts";
import { adoptStyles } from "../internal/adopt-styles.ts";
import { te } from "../internal/effect-strings.ts";
import { tm } from "../internal/meeting-strings.ts";
import { t, type Texts } from "../internal/strings.ts";
import { mediaSettingsStyles } from "./media-settings.styles.ts";

/** The element, whose effect properties the settings set. */
export interface MediaSettingsHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly texts: Texts;
  noiseSuppression: boolean;
  background: string;
}

/**
 * The visitor's choice: the element's properties (which apply it), and
 * remembered for the site (the element reads it back on the next visit).
 */
function choose(host: MediaSettingsHost, noiseSuppression: boolean, background: string): void {
  host.noiseSuppression = noiseSuppression;
  host.background = background;
  try {
    localStorage.setItem("video-room-effects", (noiseSuppression ? "1" : "0") + background);
  } catch { /* no storage here: the choice lasts for this visit */ }
}

/**
 * A choice of camera or microphone, switched live. Shown (disabled) until
 * the list arrives, so nothing moves under the pointer.
 */
function deviceSelect(
  session: RoomSession | null,
  s: Texts,
  label: "camera" | "microphone",
  kind: "audio" | "video",
  list?: MediaDeviceInfo[],
) {
  if (list && !list.length) return nothing;
  const current = session?.deviceInUse(kind);
  return html`
    <label>
      ${t(s, label)}
      <select ?disabled=${!list} @change=${(e: Event) =>
        session?.useDevice(kind, (e.target as HTMLSelectElement).value)}>
        ${(list ?? [{ deviceId: "", label: "…" }]).map((d, i) =>
          html`
            <option value=${d.deviceId} ?selected=${d.deviceId === current}>${d.label ||
              `${t(s, label)} ${i + 1}`}</option>
          `
        )}
      </select>
    </label>
  `;
}

/**
 * None, blur, or a picture (ours, and the page's own when its `background`
 * is another): buttons of which one is pressed, the pictures as thumbnails.
 */
function backgroundChoices(host: MediaSettingsHost) {
  const s = host.texts;
  const { noiseSuppression, background } = host;
  const pictures = [...PICTURES];
  if (!["none", "blur", ...pictures].includes(background)) pictures.push(background);
  const choice = (value: string, label: string, content: unknown = label) =>
    html`
      <button
        type="button"
        part="control"
        class="choice"
        aria-pressed=${background === value ? "true" : "false"}
        aria-label=${label}
        @click=${() => choose(host, noiseSuppression, value)}
      >${content}</button>
    `;
  return html`
    <div class="backgrounds" role="group" aria-labelledby="background-label">
      <span id="background-label">${te(s, "background")}</span>
      ${choice("none", te(s, "backgroundNone"))} ${choice("blur", te(s, "backgroundBlur"))}
      ${pictures.map((url, i) =>
        choice(url, te(s, "backgroundPicture", { n: i + 1 }), html`<img src=${url} alt="" />`)
      )}
    </div>
  `;
}

export function mediaSettingsView(host: MediaSettingsHost, session: RoomSession | null) {
  adoptStyles(host, mediaSettingsStyles);
  const s = host.texts;
  const devices = session?.devices;
  const { noiseSuppression, background } = host;
  return html`
    ${deviceSelect(session, s, "camera", "video", devices?.videoInputs)}
    ${deviceSelect(session, s, "microphone", "audio", devices?.audioInputs)}
    <button
      type="button"
      part="control"
      class="switch"
      aria-pressed=${noiseSuppression ? "true" : "false"}
      @click=${() => choose(host, !noiseSuppression, background)}
    >${te(s, "noiseSuppression")}</button>
    ${backgroundChoices(host)}
  `;
}

/** The same settings in the call, as a side panel (from the More menu). */
export function settingsPanel(
  host: MediaSettingsHost,
  session: RoomSession,
  onClose: () => void,
) {
  const s = host.texts;
  return html`
    <aside part="settings" class="side" aria-labelledby="settings-title">
      <header>
        <h2 id="settings-title">${t(s, "settings")}</h2>
        <button type="button" class="close" aria-label=${tm(
          s,
          "close",
        )} @click=${onClose}>✕</button>
      </header>
      <div class="devices">${mediaSettingsView(host, session)}</div>
    </aside>
  `;
}
