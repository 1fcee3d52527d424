/**
 * What the element says above the pre-join screen and the call: the banner
 * (connecting, an unstable connection, a host's notice, an error with
 * Dismiss). Templates only: the element owns the state.
 */
import { html, nothing } from "lit";
import type { RoomErrorDetail } from "../core/room-error.ts";
import type { RoomSession, RoomStatus } from "../core/room-session.ts";
import { type RoomStrings, t, type Texts } from "../internal/strings.ts";

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

/**
 * An error as the visitor reads it: in the language in use when it has a
 * text for the code (a translation, or the page's own), else the error's
 * own message (English, and more precise).
 */
export function errorText(s: Texts | undefined, error: RoomErrorDetail): string {
  const own = s?.[`error-${error.code}` as keyof Texts];
  return typeof own === "string" ? own : error.message;
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
        <span>${errorText(s, error)}</span>
        <button type="button" @click=${() => v.onErrorDismiss(error)}>${t(s, "dismiss")}</button>
      </div>
    `;
  }
  return nothing;
}
