import { html, LitElement, nothing, type PropertyValues } from "lit";
import type { Knock, ModerateAction, Reaction, Role } from "../../protocol/messages.ts";
import type { RoomErrorDetail } from "../core/room-error.ts";
import type { RoomSession, RoomStatus } from "../core/room-session.ts";
import "../peer-tile/peer-tile.ts";
import { loadCallScreen, loadScreenShareButton, whenIdle } from "../internal/chunks.ts";
import { fire, type PeerSummary } from "../internal/events.ts";
import { RoomController } from "../internal/room-controller.ts";
import { LanguageController } from "../internal/i18n/language-controller.ts";
import type { Language } from "../internal/i18n/languages.ts";
import type { TokenProvider } from "../core/signaling/token-source.ts";
import type {
  BreakoutGroup,
  BreakoutPlan,
  BreakoutState,
} from "../core/session/breakout-groups.ts";
import type { RoomStrings, Texts } from "../internal/strings.ts";
import type { CallScreen } from "./call/call-screen.ts";

type CallScreenModule = typeof import("./call/call-screen.ts");
type MediaSettingsModule = typeof import("./media-settings-view.ts");
import type { LayoutMode } from "./call/tile-layout.ts";
import { prejoinView } from "./prejoin/prejoin-view.ts";
import { bannerView } from "./room-banner-view.ts";
import { forwardSessionEvents, summary } from "./room-events.ts";
import { resolveServerUrl, setupError } from "./room-setup.ts";
import { videoRoomStyles } from "./video-room.styles.ts";

export { resolveServerUrl } from "./room-setup.ts";

/**
 * @tagname video-room
 * @summary A complete video meeting in one tag: pre-join screen, tiles for
 * everyone, screen sharing, chat and controls. Media flows browser to browser
 * (WebRTC mesh); the server only brokers the room.
 *
 * @attr lang - The language to speak (`de`, `pt-BR`, `ar`, …); without it the
 * nearest ancestor's `lang`, then the browser's languages, then English.
 * Changes live. Arabic and Hebrew are laid out right to left.
 * @attr noise-suppression - Removes background noise from the microphone
 * (RNNoise, in this browser) before it is sent.
 * @attr background - `none`, `blur`, or an image's URL to show behind the
 * person instead of their room. An effect that fails, or that this device
 * cannot keep up, turns its property off (`room-error` says why).
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
 * @fires role-changed - Someone's role changed, this page's own too; `detail: {peer, role}`.
 * @fires moderated - A host turned this page's microphone or camera off; `detail: {action, by}`.
 * @fires removed - A host removed this page from the meeting; `detail: {by}`.
 * @fires room-ended - A host ended the meeting; `detail: {by}`.
 * @fires knock - Someone waits in the lobby (fired on hosts' pages); `detail: {peer}`.
 * @fires room-settings-changed - The room was locked or unlocked, or its lobby turned on or off; `detail: {locked, lobby}`.
 * @fires layout-changed - The view changed between grid and speaker (a choice in the menu, or `auto` deciding); `detail: {layout, mode}`.
 * @fires active-speaker-changed - Someone took the stage by speaking; `detail: {peer}` (null: nobody).
 * @fires hand-raised - Someone raised a hand (this page too); `detail: {peer}`.
 * @fires hand-lowered - Someone's hand went down; `detail: {peer}`.
 * @fires reaction - Someone reacted (this page too); `detail: {peer, emoji}`.
 * @fires media-mode-changed - The call moved to the media server or back to peer to peer; `detail: {mode}`.
 * @fires recording-started - A host started recording the meeting (late joiners hear it too); `detail: {by, mode}`.
 * @fires recording-stopped - The recording ended (stopped by a host, its host left, or this page left); `detail: {by}`.
 * @fires recording-ready - The file: on the recording host's page at a `blob:` URL (`mode: "browser"`), or, of a server recording, on every host's page at a signed, expiring link with each person's file in `people`; `detail: {url, bytes, durationMs, mode, people?}`.
 * @fires breakouts-changed - Breakout groups opened, changed (who is where) or closed; `detail: {breakouts}` (`{groups, choose, endsAt}` or null).
 * @fires breakout-changed - This page went into a breakout group, or back to the main room; `detail: {breakout, by}` (`{id, name, people}` or null).
 *
 * @csspart base - The whole room.
 * @csspart banner - Connection and error notices.
 * @csspart prejoin - The pre-join screen.
 * @csspart preview - The camera preview tile on the pre-join screen.
 * @csspart stage - The area holding the tiles.
 * @csspart grid - The grid of participant tiles.
 * @csspart tile - Each participant tile (`<peer-tile>`).
 * @csspart screen - The large tile of a shared screen.
 * @csspart featured - The large tile of the pinned person or the speaker.
 * @csspart filmstrip - The row of small tiles in the speaker view (also part `grid`).
 * @csspart pager - Previous and next page, when the tiles take more than one.
 * @csspart participants - The participants panel.
 * @csspart breakouts - The breakout groups' panel.
 * @csspart breakout-bar - Above the stage while groups are open: one's group, the time left.
 * @csspart breakout-timer - The time left, in the breakout bar.
 * @csspart broadcast - A host's message to every group.
 * @csspart chat-notice - The preview of a new message while the chat is closed.
 * @csspart chat - The `<chat-panel>`.
 * @csspart controls - The control bar.
 * @csspart control - Each control button (mic, camera, chat).
 * @csspart leave - The leave button.
 * @csspart badge - The unread-messages badge.
 * @csspart notice - A notice that a host muted you or turned your camera off.
 * @csspart menu-button - Buttons that open a menu (on tiles; Reactions, More and Host controls).
 * @csspart knocks - The lobby's knocks, with Admit and Deny (hosts).
 * @csspart confirm - The confirmation before removing someone or ending the meeting.
 * @csspart recording - The "Recording" badge over the call while the meeting is recorded.
 * @csspart recording-file - On the recording host's page: the recording's file, ready.
 * @csspart download - Its download link.
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
    tokenUrl: { type: String, attribute: "token-url" },
    tokenProvider: { attribute: false },
    iceTransportPolicy: { type: String, attribute: "ice-transport-policy" },
    layout: { type: String },
    keepHandRaised: { type: Boolean, attribute: "keep-hand-raised" },
    noiseSuppression: { type: Boolean, attribute: "noise-suppression" },
    background: { type: String },
    strings: { attribute: false },
    _draftName: { state: true },
    _dismissed: { state: true },
    _setupError: { state: true },
    _settingsOpen: { state: true },
    _settings: { state: true },
    _notice: { state: true },
    _call: { state: true },
    _callModule: { state: true },
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
  /**
   * The site's URL that gives a token for each join (and rejoin, once the
   * last runs out): POSTed `{room, name}` as JSON with the page's cookies,
   * it answers `{"token": "…"}`.
   */
  declare tokenUrl: string;
  /** The site's own function giving a token for each join: `({room, name}) => token` (or a promise). */
  declare tokenProvider: TokenProvider | undefined;
  /** `relay` sends media only through TURN (hides client IPs); default `all`. */
  declare iceTransportPolicy: RTCIceTransportPolicy;
  /**
   * `grid`, `speaker` (the speaker large, the others in a filmstrip) or `auto`
   * (the grid for up to 4 people with nobody sharing, else the speaker view).
   */
  declare layout: LayoutMode;
  /** Keep a raised hand up while speaking (by default it goes down once you hold the stage). */
  declare keepHandRaised: boolean;
  /**
   * Removes background noise from the microphone before it is sent (RNNoise,
   * run in this browser; the browser's own suppression when off). A
   * visitor's own choice in Settings is remembered for the site and wins.
   */
  declare noiseSuppression: boolean;
  /**
   * What others see behind the person: `none`, `blur`, or an image's URL
   * (replacement). Processed in this browser; remembered like
   * `noiseSuppression`.
   */
  declare background: string;
  /**
   * Replacement texts, on top of the language in use: `{ join: "Enter" }`.
   * The language itself follows `lang` (see `language`).
   */
  declare strings: Partial<RoomStrings> | undefined;
  /** @internal */
  declare _draftName: string;
  /** @internal */
  declare _dismissed: RoomErrorDetail | null;
  /** A join refused before any connection: the attributes are wrong. */
  declare _setupError: RoomErrorDetail | null;
  /** @internal */
  declare _settingsOpen: boolean;
  /** @internal The media settings' module (a chunk), once Settings was opened. */
  declare _settings: MediaSettingsModule | null;
  /** @internal A notice in the banner (a host muted us), until dismissed. */
  declare _notice: string | null;
  /** @internal The call screen (a chunk), once loaded for this session. */
  declare _call: CallScreen | null;
  /** @internal The call screen's module, once loaded (it draws the screens outside a room too). */
  declare _callModule: CallScreenModule | null;

  readonly #room = new RoomController(this, (session) => forwardSessionEvents(this, session));
  readonly #language = new LanguageController(this);
  /** Pinned before the call screen was there to take it. */
  #pin: string | null = null;
  /** The session whose browser limits were told (`room-error` `unsupported`). */
  #told: RoomSession | null = null;

  constructor() {
    super();
    this.room = "";
    this.name = "";
    this.server = "";
    this.autojoin = false;
    this.token = "";
    this.tokenUrl = "";
    this.iceTransportPolicy = "all";
    this._draftName = "";
    this._dismissed = null;
    this._setupError = null;
    this._settingsOpen = false;
    this._notice = null;
    this.layout = "auto";
    this.keepHandRaised = false;
    this.noiseSuppression = false;
    this.background = "none";
    this._settings = null;
    this._call = null;
    this._callModule = null;
  }

  /**
   * `idle` (pre-join), `connecting`, `waiting` (in the lobby), `joined`,
   * `reconnecting`, `left`, `failed`, `removed` (by a host) or `ended` (by a host).
   */
  get state(): RoomStatus {
    return this.#room.session?.status ?? "idle";
  }

  /**
   * How the call's media travels: `mesh` (browser to browser) or `sfu`
   * (through the media server, for bigger rooms). Read-only; reflected as the
   * `media-mode` attribute. The server switches it as people come and go.
   */
  get mediaMode(): "mesh" | "sfu" {
    return this.#room.session?.mediaMode ?? "mesh";
  }

  /** The other participants. */
  get peers(): PeerSummary[] {
    return (this.#room.session?.participants ?? []).filter((p) => !p.local).map((p) => summary(p));
  }

  /**
   * The language the element speaks (read-only): its `lang` attribute, else
   * the nearest ancestor's (`<html lang="fr">`), else the browser's
   * languages, else English; matched by prefix (`pt-PT` is Portuguese). It
   * follows `lang` when that changes. Bundled: en, de, fr, es, it, pt, nl,
   * pl, tr, ru, uk, ja, ko, zh, ar, he (Arabic and Hebrew right to left).
   */
  get language(): Language {
    return this.#language.language;
  }

  /** @internal The texts the views use: the language's, with `strings` on top. */
  get texts(): Texts {
    return this.#language.texts(this.strings);
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
    void loadCallScreen();
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
    return s?.media.wants.audio ?? false;
  }

  /** Turns the camera off (light off) or on; resolves with whether it is now on. */
  async toggleVideo(): Promise<boolean> {
    const s = this.#room.session;
    await s?.toggleVideo();
    return s?.media.wants.video ?? false;
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

  /**
   * This page's role in the meeting: `host` (may moderate) or `guest`.
   * It shadows the ARIA `role` property of HTMLElement; setting it still sets
   * the ARIA `role` attribute, so a page's markup keeps working.
   */
  override get role(): Role {
    return this.#room.session?.role ?? "guest";
  }
  override set role(value: string | null) {
    if (value === null) this.removeAttribute("role");
    else this.setAttribute("role", value);
  }

  /**
   * Whether the meeting is being recorded (reflected as the `recording`
   * attribute): everyone sees it.
   */
  get recording(): boolean {
    return !!this.#room.session?.settings.recording;
  }

  /** Whether the room is locked: guests cannot join. */
  get locked(): boolean {
    return this.#room.session?.settings.locked ?? false;
  }

  /** Whether the room's lobby is on: guests wait until a host admits them. */
  get lobby(): boolean {
    return this.#room.session?.settings.lobby ?? false;
  }

  /** Who waits in the lobby (hosts only): `[{id, name}]`. */
  get waiting(): readonly Knock[] {
    return this.#room.session?.waiting ?? [];
  }

  // Hosts' actions. The server refuses them (a room-error "forbidden") for guests.
  /** Turns someone's microphone off; they may turn it on again. */
  mute(id: string): void {
    this.#moderate("mute", id);
  }
  /** Turns everyone else's microphone off. */
  muteAll(): void {
    this.#moderate("mute-all");
  }
  /** Turns someone's camera off; they may turn it on again. */
  stopVideo(id: string): void {
    this.#moderate("stop-video", id);
  }
  /**
   * `remove(id)` removes someone from the meeting (they cannot resume their
   * seat). Called with no argument it is the DOM's `Element.remove()`, so
   * ordinary page code that takes the element off the page keeps working.
   */
  override remove(...args: [] | [id: string]): void {
    if (args.length === 0) return super.remove();
    this.#moderate("remove", args[0]);
  }
  /**
   * Hosts: records the meeting in this browser, everyone told; the file
   * comes in `recording-ready` when it stops (or this page leaves).
   */
  startRecording(): void {
    this.#moderate("record-start");
  }
  /** Hosts: stops the recording (anyone's). */
  stopRecording(): void {
    this.#moderate("record-stop");
  }
  /** Locks the room: guests cannot join. */
  lock(): void {
    this.#moderate("lock");
  }
  unlock(): void {
    this.#moderate("unlock");
  }
  /** Turns the lobby on (guests wait to be admitted) or off (everyone waiting is let in). */
  setLobby(on: boolean): void {
    this.#moderate(on ? "lobby-on" : "lobby-off");
  }
  /** Lets someone waiting in the lobby in. */
  admit(id: string): void {
    this.#moderate("admit", id);
  }
  /** Turns someone waiting in the lobby away. */
  deny(id: string): void {
    this.#moderate("deny", id);
  }
  /** Makes someone a host. */
  promote(id: string): void {
    this.#moderate("promote", id);
  }
  /** Ends the meeting for everyone. */
  endForAll(): void {
    this.#moderate("end");
  }

  #moderate(action: ModerateAction, to?: string): void {
    this.#room.session?.moderate(action, to);
  }

  /**
   * The open breakout groups, `{groups: [{id, name, people: [{id, name}]}],
   * choose, endsAt}`, or null (everyone is together).
   */
  get breakouts(): BreakoutState | null {
    return this.#groups()?.state ?? null;
  }
  /** The breakout group this page is in (`{id, name, people}`), or null: the main room. */
  get breakout(): BreakoutGroup | null {
    return this.#groups()?.group ?? null;
  }
  /**
   * Hosts: opens breakout groups, `{rooms: [{name, people?}], assign:
   * "hand" | "auto" | "choose", seconds?}` (people by id when assigned by hand).
   */
  openBreakouts(plan: BreakoutPlan): void {
    this.#groups()?.open(plan);
  }
  /** Hosts: moves someone into a group (its id or name; null: the main room). */
  moveToBreakout(id: string, group: string | null): void {
    this.#groups()?.move(id, group);
  }
  /** Goes into a group (its id or name; null: back to the main room) when guests may choose. */
  joinBreakout(group: string | null): void {
    this.#groups()?.join(group);
  }
  /** Hosts: a line to every group, shown as a banner and in the chat. */
  broadcast(text: string): void {
    this.#groups()?.say(text);
  }
  /** Hosts: brings everyone back to the main room. */
  closeBreakouts(): void {
    this.#groups()?.close();
  }
  #groups() {
    return this.#room.session?.breakouts;
  }

  /** Features someone for this viewer only (unless a screen is shared). */
  pin(id: string): void {
    this.#pinTo(id);
  }
  unpin(): void {
    this.#pinTo(null);
  }

  #pinTo(id: string | null): void {
    this.#pin = id;
    this._call?.pin(id);
  }

  /** @internal Shows a notice in the banner (a host muted us; picture-in-picture failed). */
  notify(text: string): void {
    this._notice = text;
  }
  /** Raises this page's hand: everyone sees it on the tile and in the list, in order. */
  raiseHand(): void {
    this.#room.session?.raiseHand();
  }
  lowerHand(): void {
    this.#room.session?.lowerHand();
  }
  /** Floats a reaction (👍 👏 😂 ❤️ 🎉 😮) on this page's tile for everyone. */
  react(emoji: Reaction): void {
    this.#room.session?.react(emoji);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Defer so attributes set right after creation are seen.
    queueMicrotask(() => {
      if (!this.isConnected || this.#room.session) return;
      // The visitor's own effects, chosen on an earlier visit to this site.
      try {
        // Written by the media settings (media-settings-view.ts): `1blur` is suppression and blur.
        const saved = localStorage.getItem("video-room-effects");
        if (saved) [this.noiseSuppression, this.background] = [saved[0] === "1", saved.slice(1)];
      } catch { /* no storage here (a sandboxed frame): the page's choice stands */ }
      if (this.autojoin) void this.join();
      else {
        const session = this.#session();
        void session?.startMedia(); // the pre-join preview
        // The call's own code, fetched while the visitor looks at the preview.
        if (session) {
          whenIdle(() => {
            void session.prepare();
            void loadCallScreen();
          });
        }
      }
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
    const session = this.#room.session;
    if (session) {
      session.lowerHandWhenSpeaking = !this.keepHandRaised;
      // Effects follow the properties; their chunk loads once one is on.
      const media = session.media;
      const effects = (this.noiseSuppression ? "1" : "0") + this.background;
      if (media.effects !== effects) {
        media.effects = effects;
        void import("../core/effects/media-effects.ts").then((m) => m.applyEffects(media, this));
      }
    }
    // One call screen per session, from when the call starts.
    if (this._call && this._call.session !== session) {
      this._call.dispose();
      this._call = null;
    }
    if (session && !this._call && (this.state === "joined" || this.state === "reconnecting")) {
      void loadCallScreen().then(({ CallScreen }) => {
        if (this.#room.session === session && !this._call) {
          this._call = new CallScreen(this, session, this.#pin);
        }
      });
    }
    if (this.state !== "idle" && !this._callModule) {
      void loadCallScreen().then((m) => (this._callModule = m));
    }
  }

  #session(): RoomSession | null {
    const error = setupError(this.room, this.server);
    this._setupError = error;
    if (error) {
      fire(this, "room-error", error);
      console.error(`<video-room>: ${error.message}`);
      return null;
    }
    const session = this.#room.ensure({
      room: this.room,
      name: (this._draftName || this.name).trim() || "Guest",
      server: resolveServerUrl(this.server, location.href),
      // Read when it connects (the element's own token, tokenUrl and tokenProvider): a page may
      // give its token, or how to get one, after the preview began.
      tokens: () => this,
      iceTransportPolicy: this.iceTransportPolicy === "relay" ? "relay" : "all",
    });
    // What this browser cannot do is said once per session, before anyone joins.
    const problem = session.support.problem;
    if (problem && this.#told !== session) fire(this, "room-error", { ...problem });
    this.#told = session;
    return session;
  }

  // ---- rendering ----

  /** Nothing is drawn until the language's texts are here: no flash of English. */
  protected override shouldUpdate(): boolean {
    return this.#language.ready;
  }

  override render() {
    const session = this.#room.session;
    const state = this.state;
    const s = this.texts;
    let body;
    if (!session || state === "idle") {
      body = prejoinView({
        session,
        strings: s,
        name: this._draftName || this.name,
        settingsOpen: this._settingsOpen,
        onName: (name) => (this._draftName = name),
        onJoin: () => void this.join(),
        settings: this._settings?.mediaSettingsView(this, session) ?? nothing,
        onSettings: () => {
          this._settingsOpen = !this._settingsOpen;
          void import("./media-settings-view.ts").then((m) => (this._settings = m));
        },
        onAudio: this.#toggleAudio,
        onVideo: this.#toggleVideo,
      });
    } else if (state === "joined" || state === "reconnecting" || state === "connecting") {
      body = this._call?.render() ?? nothing;
    } else {
      body = this._callModule?.outsideView(session, state, s, {
        rejoin: this.#rejoin,
        leave: () => this.leave(),
      }, this.room) ?? nothing;
    }
    const banner = bannerView({
      session,
      state,
      strings: s,
      notice: this._notice,
      onNoticeDismiss: () => (this._notice = null),
      setupError: this._setupError,
      dismissed: this._dismissed,
      onErrorDismiss: (error) => (this._dismissed = error),
    });
    return html`<div part="base" lang=${this.#language.tag} dir=${
      this.#language.dir ?? nothing
    }>${banner}${body}</div>`;
  }

  #toggleAudio = () => void this.toggleAudio();
  #toggleVideo = () => void this.toggleVideo();

  #rejoin = () => {
    const session = this.#room.session;
    if (session?.status === "failed") this.#room.reset(); // start clean after a failure
    void this.join();
  };
}
