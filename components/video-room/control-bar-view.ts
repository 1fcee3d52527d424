/**
 * The room's buttons: microphone and camera (also on the pre-join screen),
 * and in the call the screen share, chat and leave. Real buttons with labels
 * and aria-pressed; templates only, the element owns the state.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../core/room-session.ts";
import { icons } from "../internal/icons.ts";
import { type RoomStrings, t } from "../internal/strings.ts";

export interface MediaTogglesView {
  session: RoomSession | null;
  strings: Partial<RoomStrings> | undefined;
  onAudio(): void;
  onVideo(): void;
}

export interface ControlBarView extends MediaTogglesView {
  session: RoomSession;
  room: string;
  /** Controls that need the room (sharing, chat) are disabled while not joined. */
  joined: boolean;
  chatOpen: boolean;
  unread: number;
  onScreenToggle(e: CustomEvent<{ sharing: boolean }>): void;
  onChat(): void;
  onLeave(): void;
  /** More controls before Leave (a host's room menu). */
  extra?: unknown;
}

/** A mic/camera toggle: labelled, aria-pressed, red when off. */
function toggle(
  strings: Partial<RoomStrings> | undefined,
  label: "microphone" | "camera",
  on: boolean,
  icon: unknown,
  onClick: () => void,
  disabled = false,
) {
  const text = t(strings, label);
  return html`
    <button
      part="control"
      type="button"
      class=${on ? "" : "off"}
      aria-pressed=${on ? "true" : "false"}
      aria-label=${text}
      title=${text}
      ?disabled=${disabled}
      @click=${onClick}
    >${icon}</button>
  `;
}

export function mediaToggles(v: MediaTogglesView) {
  const state = v.session?.self.state;
  return html`
    ${toggle(
      v.strings,
      "microphone",
      !!state?.audio,
      state?.audio ? icons.mic : icons.micOff,
      v.onAudio,
      !v.session?.has("audio"),
    )}
    ${toggle(
      v.strings,
      "camera",
      !!state?.video,
      state?.video ? icons.cam : icons.camOff,
      v.onVideo,
    )}
  `;
}

export function controlBarView(v: ControlBarView) {
  const s = v.strings;
  return html`
    <div part="controls" role="toolbar" aria-label=${t(s, "roomLabel", { name: v.room })}>
      ${mediaToggles(v)}
      <screen-share-button
        .strings=${s}
        ?sharing=${v.session.screenStream !== null}
        ?disabled=${!v.joined}
        @screen-share-toggle=${v.onScreenToggle}
      ></screen-share-button>
      <button
        part="control"
        type="button"
        class="chat"
        aria-pressed=${v.chatOpen ? "true" : "false"}
        aria-label=${v.unread
          ? `${t(s, "chat")}, ${t(s, "unread", { n: v.unread })}`
          : t(s, "chat")}
        @click=${v.onChat}
      >
        ${icons.chat}<span>${t(s, "chat")}</span>
        ${v.unread ? html`<span part="badge" aria-hidden="true">${v.unread}</span>` : nothing}
      </button>
      ${v.extra ?? nothing}
      <button part="control leave" type="button" @click=${v.onLeave}>
        ${icons.leave}<span>${t(s, "leave")}</span>
      </button>
    </div>
  `;
}
