/**
 * The screens of a room one is not in: left, failed, waiting in the lobby,
 * removed, ended; each says what happened and offers the way on (rejoin,
 * retry, leave), if any. Loaded with the call screen (one is only ever out of
 * a room one tried to join). Templates only: the element owns the state.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../core/room-session.ts";
import { t, type Texts } from "../internal/strings.ts";
import { tm } from "../internal/meeting-strings.ts";
import { errorText } from "./room-banner-view.ts";
import { recordingFileNotice } from "./call/recording-view.ts";

/** The screen of a room one is not in (after leaving, failing, while waiting, once removed). */
export function outsideView(
  session: RoomSession,
  state: "left" | "failed" | "waiting" | "removed" | "ended",
  s: Texts | undefined,
  on: { rejoin(): void; leave(): void },
  room: string,
) {
  switch (state) {
    case "left":
      return html`${messageView(tm(s, "left"), tm(s, "rejoin"), on.rejoin)}${
        recordingFileNotice(
          session,
          s,
          room,
        )
      }`;
    case "failed":
      return messageView(
        session.error ? errorText(s, session.error) : tm(s, "failed"),
        tm(s, "retry"),
        on.rejoin,
      );
    case "waiting":
      return messageView(tm(s, "waitingRoom"), t(s, "leave"), on.leave);
    default:
      return messageView(tm(s, state)); // no way back in from here: a host decided
  }
}

/** A room one is not in: what happened, and the way on (rejoin, retry, leave), if any. */
function messageView(text: string, action?: string, onAction?: () => void) {
  return html`
    <div class="screen-message" role="status">
      <p>${text}</p>
      ${action
        ? html`<div><button class="primary" type="button" @click=${onAction}>${action}</button></div>`
        : nothing}
    </div>
  `;
}
