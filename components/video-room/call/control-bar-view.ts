/**
 * The call's control bar: microphone and camera, screen share, chat, the
 * meeting tools' controls, and leave. On a phone, one row: microphone,
 * camera, the More sheet (everything else) and leave. Real buttons with
 * labels and aria-pressed; templates only, the call screen owns the state.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../../core/room-session.ts";
import { canShareScreen } from "../../core/media/can-share-screen.ts";
import { chatIcon, leaveIcon } from "./call-icons.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { formatNumber, t } from "../../internal/strings.ts";
import { mediaToggles, type MediaTogglesView } from "../media-toggles-view.ts";

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
  /** More controls before Leave (the meeting tools; on a phone, the More sheet). */
  extra?: unknown;
  /** Phone-sized: screen share and chat live in the More sheet (`extra`). */
  compact: boolean;
}

export function controlBarView(v: ControlBarView) {
  const s = v.strings;
  return html`
    <div part="controls" role="toolbar" aria-label=${t(s, "roomLabel", { name: v.room })}>
      ${mediaToggles(v)}
      ${v.compact ? nothing : wideControls(v)}
      ${v.extra ?? nothing}
      <button part="control leave" type="button" @click=${v.onLeave}>
        ${leaveIcon}<span>${t(s, "leave")}</span>
      </button>
    </div>
  `;
}

/** Whether a screen can be shared from here: phones cannot, nor browsers without WebRTC. */
export function screenShareOffered(session: RoomSession): boolean {
  return canShareScreen() && session.support.calls;
}

function wideControls(v: ControlBarView) {
  const s = v.strings;
  return html`
    ${// No control the device cannot use.
    screenShareOffered(v.session)
      ? html`
        <screen-share-button
          .strings=${s}
          ?sharing=${v.session.screenStream !== null}
          ?disabled=${!v.joined}
          @screen-share-toggle=${v.onScreenToggle}
        ></screen-share-button>
      `
      : nothing}
    <button
      part="control"
      type="button"
      class="chat"
      aria-pressed=${v.chatOpen ? "true" : "false"}
      aria-label=${v.unread ? tm(s, "chatUnread", { n: v.unread }) : t(s, "chat")}
      @click=${v.onChat}
    >
      ${chatIcon}<span>${t(s, "chat")}</span>
      ${v.unread
        ? html`<span part="badge" aria-hidden="true">${formatNumber(s, v.unread)}</span>`
        : nothing}
    </button>
  `;
}
