/**
 * What the element says outside the call itself: the banner (connecting,
 * an unstable connection, a host's notice, an error with Dismiss) and the
 * screens of a room one is not in (left, failed, waiting in the lobby,
 * removed, ended). Templates only: the element owns the state.
 */
import { html, nothing } from "lit";
import type { RoomErrorDetail } from "../core/room-error.ts";
import type { RoomSession, RoomStatus } from "../core/room-session.ts";
import { type RoomStrings, t } from "../internal/strings.ts";

export interface BannerView {
  session: RoomSession | null;
  state: RoomStatus;
  strings: Partial<RoomStrings> | undefined;
  /** A notice (a host muted us), until dismissed. */
  notice: string | null;
  onNoticeDismiss(): void;
  /** An error of the attributes, found before any connection. */
  setupError: RoomErrorDetail | null;
  /** The error last dismissed (it stays hidden until another comes). */
  dismissed: RoomErrorDetail | null;
  onErrorDismiss(error: RoomErrorDetail): void;
}

export function bannerView(v: BannerView) {
  const { session, state, strings: s } = v;
  if (state === "connecting" || state === "reconnecting") {
    return html`<div part="banner" role="status">${t(s, state)}</div>`;
  }
  if (session?.unstable && state === "joined") {
    return html`<div part="banner notice" role="status">${t(s, "unstable")}</div>`;
  }
  if (v.notice && state === "joined") {
    return html`
      <div part="banner notice" role="status">
        <span>${v.notice}</span>
        <button type="button" @click=${v.onNoticeDismiss}>${t(s, "dismiss")}</button>
      </div>
    `;
  }
  const error = v.setupError ?? session?.error;
  if (error && error !== v.dismissed && state !== "failed") {
    return html`
      <div part="banner" class="error" role="alert">
        <span>${error.message}</span>
        <button type="button" @click=${() => v.onErrorDismiss(error)}>${t(s, "dismiss")}</button>
      </div>
    `;
  }
  return nothing;
}

/** The screen of a room one is not in (after leaving, failing, while waiting, once removed). */
export function outsideView(
  session: RoomSession,
  state: "left" | "failed" | "waiting" | "removed" | "ended",
  s: Partial<RoomStrings> | undefined,
  on: { rejoin(): void; leave(): void },
) {
  switch (state) {
    case "left":
      return messageView(t(s, "left"), t(s, "rejoin"), on.rejoin);
    case "failed":
      return messageView(session.error?.message ?? t(s, "failed"), t(s, "retry"), on.rejoin);
    case "waiting":
      return messageView(t(s, "waitingRoom"), t(s, "leave"), on.leave);
    default:
      return messageView(t(s, state)); // no way back in from here: a host decided
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
