import { html, LitElement, nothing, type PropertyValues } from "lit";
import { mark } from "../core/perf-mark.ts";
import { icons } from "../internal/icons.ts";
import { type RoomStrings, t } from "../internal/strings.ts";
import { peerTileStyles } from "./peer-tile.styles.ts";

/** Up to two initials from a display name, for the avatar shown when video is off. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const chars = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? "?"];
  return chars.map((w) => [...w][0] ?? "").join("").toUpperCase() || "?";
}

/**
 * @tagname peer-tile
 * @summary One participant of a call: video, name, mute and camera-off indicators,
 * an initials avatar when video is off, a speaking highlight and connection state.
 *
 * @csspart base - The tile's frame.
 * @csspart video - The `<video>` element.
 * @csspart avatar - The initials shown when there is no video.
 * @csspart label - The name bar at the bottom.
 * @csspart indicator - The muted-microphone and camera-off icons.
 * @csspart status - The connection state badge (connecting, connection lost).
 *
 * @slot actions - Controls shown in the tile's top corner (e.g. a host's menu for this person).
 *
 * @cssprop --peer-tile-background - Tile background behind the avatar.
 * @cssprop --peer-tile-color - Text color.
 * @cssprop --peer-tile-radius - Corner radius.
 * @cssprop --peer-tile-avatar-background - Avatar circle color.
 * @cssprop --peer-tile-speaking-color - Highlight ring while speaking.
 * @cssprop --peer-tile-muted-color - Color of the muted indicators.
 * @cssprop --peer-tile-accent - Color of the "click to hear" button.
 * @cssprop --peer-tile-fit - `object-fit` of camera video (cover).
 */
export class PeerTile extends LitElement {
  static override styles = peerTileStyles;
  static override properties = {
    name: { type: String },
    stream: { attribute: false },
    local: { type: Boolean, reflect: true },
    screen: { type: Boolean, reflect: true },
    audioMuted: { type: Boolean, attribute: "audio-muted", reflect: true },
    videoOff: { type: Boolean, attribute: "video-off", reflect: true },
    speaking: { type: Boolean, reflect: true },
    connection: { type: String, reflect: true },
    strings: { attribute: false },
    _needsClick: { state: true },
  };

  /** Display name. */
  declare name: string;
  /** The MediaStream to show (camera and microphone, or a screen). */
  declare stream: MediaStream | null;
  /** Own tile: mirrored and muted so you never hear yourself. */
  declare local: boolean;
  /** A shared screen: shown whole (contain), never mirrored, no avatar. */
  declare screen: boolean;
  /** Shows the muted-microphone indicator. */
  declare audioMuted: boolean;
  /** Shows the avatar instead of video. */
  declare videoOff: boolean;
  /** Shows the speaking highlight. */
  declare speaking: boolean;
  /** The WebRTC connection state (`new`, `connecting`, `connected`, `disconnected`, `failed`, or `self`). */
  declare connection: string;
  /** Replacement texts (see the README). */
  declare strings: Partial<RoomStrings> | undefined;
  /** @internal */
  declare _needsClick: boolean;

  constructor() {
    super();
    this.name = "";
    this.stream = null;
    this.local =
      this.screen =
      this.audioMuted =
      this.videoOff =
      this.speaking =
        false;
    this.connection = "new";
    this._needsClick = false;
  }

  get #video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector("video");
  }

  override render() {
    const s = this.strings;
    const showVideo = !!this.stream && (this.screen || !this.videoOff);
    const label = this.screen
      ? t(s, "screenOf", { name: this.name })
      : this.local
      ? t(s, "you", { name: this.name }).trim() // "(you)" while the name is still empty
      : this.name;
    const status = this.connection === "new" || this.connection === "connecting"
      ? t(s, "peerConnecting")
      : this.connection === "failed" || this.connection === "disconnected"
      ? t(s, "peerLost")
      : "";
    return html`
      <div part="base" role="group" aria-label=${label}>
        <video
          part="video"
          autoplay
          playsinline
          ?hidden=${!showVideo}
          @loadeddata=${this.local ? nothing : () => mark("first-frame")}
        ></video>
        ${showVideo ? nothing : html`
          <div part="avatar" aria-hidden="true">${initials(this.name)}</div>
        `}
        ${status && !this.local
          ? html`
            <div part="status" role="status">${status}</div>
          `
          : nothing}
        <div part="label">
          ${!this.screen && this.audioMuted
            ? html`
              <span part="indicator" role="img" aria-label=${t(s, "micOff")}>${icons.micOff}</span>
            `
            : nothing}
          ${!this.screen && this.videoOff
            ? html`
              <span part="indicator" role="img" aria-label=${t(s, "cameraOff")}>${icons
                .camOff}</span>
            `
            : nothing}
          <span class="name">${label}</span>
        </div>
        ${this._needsClick
          ? html`
            <button @click=${this.#play}>${t(s, "playSound", { name: this.name })}</button>
          `
          : nothing}
        <div class="actions"><slot name="actions"></slot></div>
      </div>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const video = this.#video;
    if (!video) return;
    if (changed.has("stream")) video.srcObject = this.stream;
    if (this.stream && (changed.has("stream") || changed.has("local") || changed.has("screen"))) {
      void this.#play();
    }
  }

  /** Starts playback; where the browser blocks sound until a click, offers a button. */
  #play = async () => {
    const video = this.#video;
    if (!video) return;
    video.muted = this.local || this.screen;
    try {
      await video.play();
      this._needsClick = false;
    } catch (err) {
      if ((err as Error).name !== "NotAllowedError" || video.muted) return;
      video.muted = true; // the picture plays muted; the button brings the sound
      this._needsClick = true;
      await video.play().catch(() => {});
    }
  };
}
