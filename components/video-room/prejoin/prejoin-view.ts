/**
 * The pre-join screen: title, camera preview with its toggles and a Settings
 * toggle for the device pickers, then name and Join. The preview is what
 * gives way when the element is short, so the name field and Join stay in
 * view in a small embed. Templates only.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../../core/room-session.ts";
import { icons } from "../../internal/icons.ts";
import { t } from "../../internal/strings.ts";
import { mediaToggles, type MediaTogglesView } from "../media-toggles-view.ts";

export interface PrejoinView extends MediaTogglesView {
  /** The name in the field. */
  name: string;
  settingsOpen: boolean;
  onName(name: string): void;
  onJoin(): void;
  onSettings(): void;
}

/**
 * A choice of camera or microphone, switched live (no renegotiation). Shown
 * (disabled) until the list arrives, so nothing moves under the pointer.
 */
function deviceSelect(
  v: PrejoinView,
  label: "camera" | "microphone",
  kind: "audio" | "video",
  list?: MediaDeviceInfo[],
) {
  const session: RoomSession | null = v.session;
  if (list && !list.length) return nothing;
  const current = session?.deviceInUse(kind);
  return html`
    <label>
      ${t(v.strings, label)}
      <select ?disabled=${!list} @change=${(e: Event) =>
        session?.useDevice(kind, (e.target as HTMLSelectElement).value)}>
        ${(list ?? [{ deviceId: "", label: "…" }]).map((d, i) =>
          html`
            <option value=${d.deviceId} ?selected=${d.deviceId === current}>${d.label ||
              `${t(v.strings, label)} ${i + 1}`}</option>
          `
        )}
      </select>
    </label>
  `;
}

export function prejoinView(v: PrejoinView) {
  const s = v.strings;
  const self = v.session?.self;
  const devices = v.session?.devices;
  return html`
    <div part="prejoin">
      <h2>${t(s, "joinTitle")}</h2>
      <div class="preview">
        ${self
          ? html`
            <peer-tile
              part="preview"
              local
              .name=${v.name}
              .stream=${self.stream}
              ?video-off=${!self.state.video}
              ?audio-muted=${!self.state.audio}
              .strings=${s}
            ></peer-tile>
          `
          : nothing}
        <div class="row">
          ${mediaToggles(v)}
          <button
            part="control"
            type="button"
            aria-expanded=${v.settingsOpen ? "true" : "false"}
            aria-controls="devices"
            @click=${v.onSettings}
          >${icons.settings}<span>${t(s, "settings")}</span></button>
        </div>
        ${v.settingsOpen
          ? html`
            <div id="devices" class="devices">
              ${deviceSelect(v, "camera", "video", devices?.videoInputs)}
              ${deviceSelect(v, "microphone", "audio", devices?.audioInputs)}
            </div>
          `
          : nothing}
      </div>
      <form @submit=${(e: Event) => {
        e.preventDefault();
        v.onJoin();
      }}>
        <label>
          ${t(s, "yourName")}
          <input
            name="name"
            autocomplete="nickname"
            maxlength="64"
            required
            .value=${v.name}
            @input=${(e: Event) => v.onName((e.target as HTMLInputElement).value)}
          />
        </label>
        <button class="primary" type="submit">${t(s, "join")}</button>
      </form>
    </div>
  `;
}
