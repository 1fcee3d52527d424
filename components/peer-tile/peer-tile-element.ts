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
 * @summary One participant of a call: video, name, mute, camera-off and raised-hand
 * indicators, an initials avatar when video is off, a speaking highlight, connection
 * state and quality, and reactions floating up.
 *
 * @csspart base - The tile's frame.
 * @csspart video - The `<video>` element.
 * @csspart avatar - The initials shown when there is no video.
 * @csspart label - The name bar at the bottom.
 * @csspart indicator - The muted-microphone, camera-off and raised-hand icons.
 * @csspart quality - The connection quality bars (good, fair, poor).
 * @csspart reaction - A reaction floating up from the tile.
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
 * @cssprop --peer-tile-hand-color - Background of the raised-hand indicator.
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
    hand: { type: Boolean, reflect: true },
    quality: { type: String, reflect: true },
    reaction: { attribute: false },
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
  /**
   * The WebRTC connection state (`new`, `connecting`, `connected`, `disconnected`, `failed`),
   * `self`, or `none` (no media can flow: a browser without WebRTC, theirs or ours).
   */
  declare connection: string;
  /** Shows the raised-hand indicator. */
  declare hand: boolean;
  /** Connection quality: `good`, `fair` or `poor` (bars); empty shows none. */
  declare quality: string;
  /** A reaction to float up from the tile; a new object (`n` differs) floats again. */
  declare reaction: { emoji: string; n: number } | null;
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
      this.hand =
        false;
    this.connection = "new";
    this.quality = "";
    this.reaction = null;
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
      : this.connection === "none"
      ? t(s, "peerNoMedia")
      : "";
    return html`
      <div part="base" role="group" aria-label=${label}>
        <video
          part="video"
          autoplay
          playsinline
          muted
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
          ${!this.screen && this.hand
            ? html`
              <span part="indicator" class="hand" role="img" aria-label=${t(
                s,
                "handRaised",
              )}>${icons.hand}</span>
            `
            : nothing}
          ${!this.screen && (this.quality === "good" || this.quality === "fair" ||
              this.quality === "poor")
            ? html`
              <span part="quality" class=${this.quality} role="img"
                aria-label=${t(
                  s,
                  this.quality === "good"
                    ? "qualityGood"
                    : this.quality === "fair"
                    ? "qualityFair"
                    : "qualityPoor",
                )}><i></i><i></i><i></i></span>
            `
            : nothing}
          <span class="name" dir="auto">${label}</span>
        </div>
        ${// Floats up and fades (CSS): restarted for every new reaction, even the same emoji,
        // as alternate templates make a new element each time.
        !this.reaction
          ? nothing
          : this.reaction.n % 2
          ? html`<span part="reaction" aria-hidden="true">${this.reaction.emoji}</span>`
          : html`<span part="reaction" aria-hidden="true">${this.reaction.emoji}</span>`}
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

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("visibilitychange", this.#onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this.#onVisible);
    this.#waitForGesture(false);
  }

  /** Back from a locked screen or a background tab: a video the system paused plays again. */
  #onVisible = () => {
    if (document.visibilityState === "visible" && this.stream && this.#video?.paused) {
      void this.#play();
    }
  };

  /**
   * Starts playback. Where the browser blocks sound until a gesture (Safari,
   * a page nobody touched yet), the picture plays muted and the tile offers a
   * button; any tap, click or key anywhere on the page brings the sound too.
   */
  #play = async () => {
    const video = this.#video;
    if (!video) return;
    video.muted = this.local || this.screen;
    try {
      await video.play();
      this.#waitForGesture(false);
      this._needsClick = false;
    } catch (err) {
      if ((err as Error).name !== "NotAllowedError" || video.muted) return;
      video.muted = true;
      this._needsClick = true;
      this.#waitForGesture(true);
      await video.play().catch(() => {});
    }
  };

  /** play() must run inside the gesture's handler (Safari): listened for on the whole page. */
  #waitForGesture(on: boolean): void {
    for (const type of ["click", "keydown", "touchend"]) {
      if (on) document.addEventListener(type, this.#play, { capture: true });
      else document.removeEventListener(type, this.#play, { capture: true });
    }
  }
}
