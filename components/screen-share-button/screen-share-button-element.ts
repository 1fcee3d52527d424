import { html, LitElement, nothing, svg } from "lit";
import { canShareScreen } from "../core/media/can-share-screen.ts";
import { fire } from "../internal/events.ts";
import { icon } from "../internal/icons.ts";
import type { RoomStrings } from "../internal/strings.ts";
import { tsc } from "../internal/screen-share-strings.ts";
import { screenShareButtonStyles } from "./screen-share-button.styles.ts";

const screenIcon = icon(svg`
  <rect x="3" y="4" width="18" height="12" rx="2" />
  <path d="M8 20h8M12 16v4" />
`);

/**
 * @tagname screen-share-button
 * @summary Toggles screen sharing. Disabled, with the reason, where the browser
 * cannot share a screen (most phones).
 *
 * @fires screen-share-toggle - The user asked to start (`detail.sharing: true`) or stop sharing.
 *
 * @csspart button - The `<button>`.
 * @csspart reason - Why the button is disabled (visually hidden, read by screen readers).
 *
 * @cssprop --screen-share-button-background - Idle background.
 * @cssprop --screen-share-button-active-background - Background while sharing.
 * @cssprop --screen-share-button-color - Text and icon color.
 * @cssprop --screen-share-button-radius - Corner radius.
 * @cssprop --screen-share-button-padding - Inner spacing.
 */
export class ScreenShareButton extends LitElement {
  static override styles = screenShareButtonStyles;
  static override properties = {
    sharing: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    compact: { type: Boolean, reflect: true },
    strings: { attribute: false },
  };

  /** Whether this page is sharing its screen now. */
  declare sharing: boolean;
  /** Disabled by the host (e.g. not joined). */
  declare disabled: boolean;
  /** Icon only; the label stays for screen readers. */
  declare compact: boolean;
  /** Replacement texts. */
  declare strings: Partial<RoomStrings> | undefined;

  constructor() {
    super();
    this.sharing = this.disabled = this.compact = false;
  }

  /** False where `getDisplayMedia` does not exist. */
  get supported(): boolean {
    return canShareScreen();
  }

  override render() {
    const s = this.strings;
    const supported = this.supported;
    const label = this.sharing ? tsc(s, "stopSharing") : tsc(s, "shareScreen");
    return html`
      <button
        part="button"
        type="button"
        aria-pressed=${this.sharing ? "true" : "false"}
        aria-describedby=${supported ? nothing : "reason"}
        title=${supported ? label : tsc(s, "screenUnsupported")}
        ?disabled=${this.disabled || !supported}
        @click=${this.#onClick}
      >
        ${screenIcon}<span class="label">${label}</span>
      </button>
      ${supported
        ? nothing
        : html`<span part="reason" id="reason">${tsc(s, "screenUnsupported")}</span>`}
    `;
  }

  override focus(): void {
    this.renderRoot.querySelector("button")?.focus();
  }

  #onClick = () => {
    fire(this, "screen-share-toggle", { sharing: !this.sharing });
  };
}
