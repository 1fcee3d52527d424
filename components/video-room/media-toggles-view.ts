/**
 * The microphone and camera toggles, on the pre-join screen and in the
 * call's control bar: real buttons with labels and aria-pressed, red when
 * off. Templates only.
 */
import { html } from "lit";
import type { RoomSession } from "../core/room-session.ts";
import { icons } from "../internal/icons.ts";
import { type RoomStrings, t } from "../internal/strings.ts";

export interface MediaTogglesView {
  session: RoomSession | null;
  strings: Partial<RoomStrings> | undefined;
  onAudio(): void;
  onVideo(): void;
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
  // What the person chose, even while the devices are still starting.
  const media = v.session?.media;
  const wants = media?.wants;
  // Nothing could be sent from this browser (no WebRTC, or no camera access): no toggle works.
  const useless = v.session ? !v.session.support.calls || !v.session.support.devices : false;
  return html`
    ${toggle(
      v.strings,
      "microphone",
      !!wants?.audio,
      wants?.audio ? icons.mic : icons.micOff,
      v.onAudio,
      useless || (!media?.starting && !v.session?.has("audio")),
    )}
    ${toggle(
      v.strings,
      "camera",
      !!wants?.video,
      wants?.video ? icons.cam : icons.camOff,
      v.onVideo,
      useless,
    )}
  `;
}
