/**
 * The participants panel: everyone in the meeting (in participantOrder:
 * you, raised hands in order, then by name) with their microphone, camera
 * and hand; lowering a hand for oneself, and for hosts anyone's.
 */
import { html, nothing } from "lit";
import { tm } from "../../internal/meeting-strings.ts";
import { t } from "../../internal/strings.ts";
import type { MeetingToolsView } from "./meeting-controls.ts";
import { participantOrder } from "./tile-layout.ts";

/** Everyone in the meeting, with their microphone, camera and hand. */
export function participantsPanel(v: MeetingToolsView) {
  const s = v.strings;
  const list = participantOrder(v.session.participants);
  const host = v.session.role === "host";
  return html`
    <aside part="participants" class="side" aria-labelledby="people-title">
      <header>
        <h2 id="people-title">${tm(s, "participants")} (${list.length})</h2>
        <button type="button" class="close" aria-label=${tm(s, "close")} @click=${v
          .onPeople}>✕</button>
      </header>
      <ul>
        ${list.map((p) => {
          const tags = [
            p.role === "host" ? tm(s, "host") : "",
            p.hand !== null ? tm(s, "handUp") : "",
            p.state.audio ? "" : tm(s, "micOffShort"),
            p.state.video ? "" : tm(s, "cameraOffShort"),
          ].filter(Boolean);
          return html`
            <li data-peer=${p.id}>
              <span class="who" dir="auto">${p.local
                ? t(s, "you", { name: p.name })
                : p.name}</span>
              <span class="tags">${tags.join(", ")}</span>
              ${p.hand !== null && (p.local || host)
                ? html`
                  <button type="button" @click=${() =>
                    p.local ? v.session.lowerHand() : v.session.moderate("lower-hand", p.id)}>${tm(
                      s,
                      "lowerHand",
                    )}</button>
                `
                : nothing}
            </li>
          `;
        })}
      </ul>
    </aside>
  `;
}
