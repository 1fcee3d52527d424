/**
 * The pre-join screen: title, camera preview with its toggles and a Settings
 * toggle for the media settings (a chunk), then name and Join. The preview is what
 * gives way when the element is short, so the name field and Join stay in
 * view in a small embed. Templates only.
 */
import { html, nothing } from "lit";
import { icons } from "../../internal/icons.ts";
import { t } from "../../internal/strings.ts";
import { mediaToggles, type MediaTogglesView } from "../media-toggles-view.ts";

export interface PrejoinView extends MediaTogglesView {
  /** The name in the field. */
  name: string;
  settingsOpen: boolean;
  /** The media settings (a chunk), once loaded. */
  settings: unknown;
  onName(name: string): void;
  onJoin(): void;
  onSettings(): void;
}

export function prejoinView(v: PrejoinView) {
  const s = v.strings;
  const self = v.session?.self;
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
            <div id="devices" class="devices">${v.settings}</div>
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
