/** The preview of a new chat message while the chat is closed: open it, or dismiss it. */
import { html, nothing } from "lit";
import { tm } from "../../internal/meeting-strings.ts";
import { t } from "../../internal/strings.ts";
import type { MeetingToolsView } from "./meeting-controls.ts";

/**
 * A new message while the chat is closed: who and its first line, to open or
 * dismiss. Not a live region: the call's announcer says the message.
 */
export function chatNotice(v: MeetingToolsView) {
  const m = v.chatNotice;
  if (!m) return nothing;
  const s = v.strings;
  const line = m.text.split("\n")[0];
  return html`
    <div part="chat-notice">
      <button type="button" class="open" aria-label=${tm(s, "openChatFrom", {
        name: m.name,
        text: line,
      })}
        @click=${() => v.onChatNotice(true)}>
        <b>${m.name}</b> <span>${line}</span>
      </button>
      <button type="button" aria-label=${t(s, "dismiss")} @click=${() =>
        v.onChatNotice(false)}>✕</button>
    </div>
  `;
}
