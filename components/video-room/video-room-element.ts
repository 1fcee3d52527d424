import { html, LitElement, nothing, type PropertyValues } from "lit";
import { ROOM_PATTERN } from "../../protocol/messages.ts";
import type { RoomErrorDetail } from "../core/room-error.ts";
import type { Participant, RoomSession, RoomStatus } from "../core/room-session.ts";
import "../peer-tile/peer-tile.ts";
import { loadChatPanel, loadScreenShareButton } from "../internal/chunks.ts";
import { fire, type PeerSummary } from "../internal/events.ts";
import { RoomController } from "../internal/room-controller.ts";
import { type RoomStrings, t } from "../internal/strings.ts";
import { callStageView } from "./call-stage-view.ts";
import { controlBarView } from "./control-bar-view.ts";
import { prejoinView } from "./prejoin-view.ts";
import { layoutTiles } from "./tile-layout.ts";
import { videoRoomStyles } from "./video-room.styles.ts";

/** The signaling URL: the `server` attribute resolved against the page, or `/ws` here. */
export function resolveServerUrl(server: string | null | undefined, base: string): string {
  const url = new URL(server || "/ws", base);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  return url.href;
}

function summary(p: Participant): PeerSummary {
  return { id: p.id, name: p.name, state: { ...p.state }, connection: p.connection };
}

/**
 * @tagname video-room
 * @summary A complete video meeting in one tag: pre-join screen, tiles for
 * everyone, screen sharing, chat and controls. Media flows browser to browser
 * (WebRTC mesh); the server only brokers the room.
 *
 * @fires room-joined - Joined the room; `detail: {id, room}`.
 * @fires room-left - Left the room; `detail: {room}`.
 * @fires peer-joined - Someone joined; `detail: {peer}`.
 * @fires peer-left - Someone left; `detail: {peer}`.
 * @fires chat-message - A chat message arrived (own ones too); `detail: {from, name, text, ts, local}`.
 * @fires screen-share-started - This page started sharing its screen.
 * @fires screen-share-stopped - This page stopped sharing (also from the browser's own bar).
 * @fires room-state - The state changed; `detail: {state, previous}`.
 * @fires room-error - Something failed; `detail: {code, message}`.
 *
 * @csspart base - The whole room.
 * @csspart banner - Connection and error notices.
 * @csspart prejoin - The pre-join screen.
 * @csspart preview - The camera preview tile on the pre-join screen.
 * @csspart stage - The area holding the tiles.
 * @csspart grid - The grid of participant tiles.
 * @csspart tile - Each participant tile (`<peer-tile>`).
 * @csspart screen - The large tile of a shared screen.
 * @csspart chat - The `<chat-panel>`.
 * @csspart controls - The control bar.
 * @csspart control - Each control button (mic, camera, chat).
 * @csspart leave - The leave button.
 * @csspart badge - The unread-messages badge.
 *
 * @cssprop --video-room-background - Room background.
 * @cssprop --video-room-color - Text color.
 * @cssprop --video-room-panel-background - Chat and notice background.
 * @cssprop --video-room-control-background - Control button background.
 * @cssprop --video-room-control-color - Control button text color.
 * @cssprop --video-room-accent - Accent (join, active toggles, focus rings).
 * @cssprop --video-room-danger - Leave button, mic/camera off, errors.
 * @cssprop --video-room-radius - Corner radius of the room and tiles.
 * @cssprop --video-room-gap - Space between tiles and panels.
 * @cssprop --video-room-font - Font shorthand.
 * @cssprop --video-room-height - Height of the element (default min(80vh, 720px)).
 */
export class VideoRoom extends LitElement {
  static override styles = videoRoomStyles;
  static override properties = {
    room: { type: String, reflect: true },
    name: { type: String },
    server: { type: String },
    autojoin: { type: Boolean },
    token: { type: String },
    iceTransportPolicy: { type: String, attribute: "ice-transport-policy" },
    strings: { attribute: false },
    _chatOpen: { state: true },
    _unread: { state: true },
    _draftName: { state: true },
    _dismissed: { state: true },
    _settingsOpen: { state: true },
  };

  /** The room to join (1–64 of A–Z, a–z, 0–9, `_`, `-`). Required. */
  declare room: string;
  /** Display name; asked for on the pre-join screen when missing. */
  declare name: string;
  /** Signaling WebSocket URL; default `/ws` on this page's origin. */
  declare server: string;
  /** Join as soon as the element is on the page, skipping the pre-join screen. */
  declare autojoin: boolean;
  /** Room access token from the host site's backend, when the server requires one. */
  declare token: string;
  /** `relay` sends media only through TURN (hides client IPs); default `all`. */
  declare iceTransportPolicy: RTCIceTransportPolicy;
  /** Replacement texts, e.g. for translation: `{ join: "Beitreten" }`. */
  declare strings: Partial<RoomStrings> | undefined;
  /** @internal */
  declare _chatOpen: boolean;
  /** @internal */
  declare _unread: number;
  /** @internal */
  declare _draftName: string;
  /** @internal */
  declare _dismissed: RoomErrorDetail | null;
  /** @internal */
  declare _settingsOpen: boolean;

  readonly #room = new RoomController(this, (session) => this.#forward(session));

  constructor() {
    super();
    this.room = "";
    this.name = "";
    this.server = "";
    this.autojoin = false;
    this.token = "";
    this.iceTransportPolicy = "all";
    this._chatOpen = false;
    this._unread = 0;
    this._draftName = "";
    this._dismissed = null;
    this._settingsOpen = false;
  }

  /** `idle` (pre-join), `connecting`, `joined`, `reconnecting`, `left` or `failed`. */
  get state(): RoomStatus {
    return this.#room.session?.status ?? "idle";
  }

  /** The other participants. */
  get peers(): PeerSummary[] {
    return (this.#room.session?.participants ?? []).filter((p) => !p.local).map(summary);
  }

  /** Own camera and microphone, once started. */
  get localStream(): MediaStream | null {
    return this.#room.session?.self.stream ?? null;
  }

  /** Joins the room (asks for camera and microphone first if needed). `name` becomes the name used. */
  async join(): Promise<void> {
    const name = (this._draftName || this.name).trim() || "Guest";
    const session = this.#session();
    if (!session) return;
    this.name = name;
    void loadScreenShareButton(); // the call's control bar needs it soon
    await session.join(name);
  }

  /** Leaves the room; the camera stays on for the rejoin screen. */
  leave(): void {
    this.#room.session?.leave();
  }

  /** Mutes or unmutes the microphone; returns whether it is now on. */
  toggleAudio(): boolean {
    const s = this.#room.session;
    s?.toggleAudio();
    return s?.self.state.audio ?? false;
  }

  /** Turns the camera off (light off) or on; resolves with whether it is now on. */
  async toggleVideo(): Promise<boolean> {
    const s = this.#room.session;
    await s?.toggleVideo();
    return s?.self.state.video ?? false;
  }

  startScreenShare(): Promise<void> {
    return this.#room.session?.startScreenShare() ?? Promise.resolve();
  }

  stopScreenShare(): void {
    this.#room.session?.stopScreenShare();
  }

  /** Sends a chat message to everyone; false if it could not be sent. */
  sendChat(text: string): boolean {
    return this.#room.session?.sendChat(text) ?? false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Defer so attributes set right after creation are seen.
    queueMicrotask(() => {
      if (!this.isConnected || this.#room.session) return;
      if (this.autojoin) void this.join();
      else void this.#session()?.startMedia(); // the pre-join preview
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A different room or server (after the first render) is a different meeting.
    if (!this.hasUpdated || !this.#room.session) return;
    if (!changed.has("room") && !changed.has("server")) return;
    const wasIn = this.state !== "idle";
    this.#room.reset();
    if (wasIn && this.autojoin) queueMicrotask(() => void this.join());
  }

  protected override updated(): void {
    // Through the CSSOM, not a style attribute: pages with a strict CSP allow this.
    const grid = this.renderRoot.querySelector<HTMLElement>("[part=grid]");
    grid?.style.setProperty("--cols", grid.dataset.cols ?? "1");
  }

  #session(): RoomSession | null {
    if (!ROOM_PATTERN.test(this.room)) {
      const error = {
        code: "bad-room" as const,
        message:
          `Cannot join: room "${this.room}" must be 1–64 characters of A–Z, a–z, 0–9, _ and -`,
      };
      fire(this, "room-error", error);
      console.error(`<video-room>: ${error.message}`);
      return null;
    }
    return this.#room.ensure({
      room: this.room,
      name: (this._draftName || this.name).trim() || "Guest",
      server: resolveServerUrl(this.server, location.href),
      ...(this.token ? { token: this.token } : {}),
      iceTransportPolicy: this.iceTransportPolicy === "relay" ? "relay" : "all",
    });
  }

  /** Turns session events into the element's DOM events. */
  #forward(session: RoomSession): Array<() => void> {
    let previous: RoomStatus = session.status;
    return [
      session.on("status", (state) => {
        fire(this, "room-state", { state, previous });
        if (state === "joined" && previous === "connecting") {
          fire(this, "room-joined", { id: session.selfId ?? "", room: this.room });
        }
        if (state === "left") fire(this, "room-left", { room: this.room });
        previous = state;
      }),
      session.on("peer-joined", (p) => fire(this, "peer-joined", { peer: summary(p) })),
      session.on("peer-left", (p) => fire(this, "peer-left", { peer: summary(p) })),
      session.on("chat", (m) => {
        if (!this._chatOpen && !m.local) this._unread++;
        fire(this, "chat-message", { ...m });
      }),
      session.on(
        "screen-share",
        (on) => fire(this, on ? "screen-share-started" : "screen-share-stopped", {}),
      ),
      session.on("error", (e) => fire(this, "room-error", { ...e })),
    ];
  }

  // ---- rendering ----

  override render() {
    const session = this.#room.session;
    const state = this.state;
    const s = this.strings;
    let body;
    if (!session || state === "idle") {
      body = prejoinView({
        session,
        strings: s,
        name: this._draftName || this.name,
        settingsOpen: this._settingsOpen,
        onName: (name) => (this._draftName = name),
        onJoin: () => void this.join(),
        onSettings: () => (this._settingsOpen = !this._settingsOpen),
        onAudio: this.#toggleAudio,
        onVideo: this.#toggleVideo,
      });
    } else if (state === "left") body = this.#renderMessage(t(s, "left"), t(s, "rejoin"));
    else if (state === "failed") {
      body = this.#renderMessage(session.error?.message ?? t(s, "failed"), t(s, "retry"));
    } else {
      const joined = state === "joined";
      body = html`${
        callStageView({
          layout: layoutTiles(session.participants),
          strings: s,
          chat: this._chatOpen ? session.chat : null,
          joined,
          onChatSend: this.#onChatSend,
        })
      }${
        controlBarView({
          session,
          strings: s,
          room: this.room,
          joined,
          chatOpen: this._chatOpen,
          unread: this._unread,
          onAudio: this.#toggleAudio,
          onVideo: this.#toggleVideo,
          onScreenToggle: this.#onScreenToggle,
          onChat: this.#toggleChat,
          onLeave: () => this.leave(),
        })
      }`;
    }
    return html`<div part="base">${this.#renderBanner(session)}${body}</div>`;
  }

  #renderBanner(session: RoomSession | null) {
    const s = this.strings;
    const state = this.state;
    if (state === "connecting" || state === "reconnecting") {
      return html`<div part="banner" role="status">${t(s, state)}</div>`;
    }
    const error = session?.error;
    if (error && error !== this._dismissed && state !== "failed") {
      return html`
        <div part="banner" class="error" role="alert">
          <span>${error.message}</span>
          <button type="button" @click=${() => (this._dismissed = error)}>${t(
            s,
            "dismiss",
          )}</button>
        </div>
      `;
    }
    return nothing;
  }

  #renderMessage(text: string, action: string) {
    return html`
      <div class="screen-message" role="status">
        <p>${text}</p>
        <div><button class="primary" type="button" @click=${this.#rejoin}>${action}</button></div>
      </div>
    `;
  }

  #toggleAudio = () => void this.toggleAudio();
  #toggleVideo = () => void this.toggleVideo();

  #rejoin = () => {
    const session = this.#room.session;
    if (session?.status === "failed") this.#room.reset(); // start clean after a failure
    void this.join();
  };

  #toggleChat = async () => {
    this._chatOpen = !this._chatOpen;
    if (this._chatOpen) {
      this._unread = 0;
      await loadChatPanel(); // usually loaded already, at idle time
      await this.updateComplete;
      this.renderRoot.querySelector("chat-panel")?.focus();
    }
  };

  #onChatSend = (e: CustomEvent<{ text: string }>) => {
    if (!this.sendChat(e.detail.text)) e.preventDefault(); // keep the draft
  };

  #onScreenToggle = (e: CustomEvent<{ sharing: boolean }>) => {
    if (e.detail.sharing) void this.startScreenShare();
    else this.stopScreenShare();
  };
}
