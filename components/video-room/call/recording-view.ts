/**
 * What everyone sees of a recording: a "Recording" badge for as long as one
 * runs (started by any host, told to late joiners too), and, on the page
 * that recorded, its file to download once it stopped. Templates only.
 */
import { html, nothing } from "lit";
import type { RoomSession } from "../../core/room-session.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { t, type Texts } from "../../internal/strings.ts";

/** The badge while the meeting is recorded. */
export function recordingBadge(session: RoomSession, s: Texts | undefined) {
  if (!session.settings.recording) return nothing;
  return html`<div part="recording" class="recording-badge"><span class="dot"></span>${
    tm(
      s,
      "recordingNow",
    )
  }</div>`;
}

/** Our recording's file, to download (after Stop, or after leaving). */
export function recordingFileNotice(session: RoomSession, s: Texts | undefined, room: string) {
  const file = session.recording?.file;
  if (!file) return nothing;
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
  const extension = file.type.includes("mp4") ? "mp4" : "webm";
  return html`
    <div part="recording-file" class="recording-file" role="status">
      <span>${tm(s, "recordingReady")}</span>
      <a part="download" href=${file.url} download=${`${room}-${stamp}.${extension}`}>${tm(
        s,
        "downloadRecording",
      )}</a>
      <button type="button" @click=${() => session.recording?.putAside()}>${t(
        s,
        "dismiss",
      )}</button>
    </div>
  `;
}

/**
 * Asked of a guest who joined while the meeting is recorded (RECORDING_CONSENT=required): their
 * microphone and camera stay off until they agree; or they leave. A modal dialog: nothing else
 * of the call can be used before an answer, and Escape is not one.
 */
export function consentDialog(session: RoomSession, s: Texts | undefined, onLeave: () => void) {
  const recording = session.recording;
  if (!recording?.asking) return nothing;
  return html`
    <dialog part="consent" aria-labelledby="consent-title" aria-describedby="consent-text"
      @cancel=${(
        e: Event,
      ) => e.preventDefault()}>
      <h2 id="consent-title">${tm(s, "consentTitle")}</h2>
      <p id="consent-text">${tm(s, "consentText")}</p>
      <div class="row">
        <button type="button" @click=${onLeave}>${t(s, "leave")}</button>
        <button type="button" class="primary" @click=${() => recording.agree()}>${tm(
          s,
          "consentAgree",
        )}</button>
      </div>
    </dialog>
  `;
}
