/**
 * The call screen of <video-room>: the stage (featured tile, grid or
 * filmstrip, pages), the side panels (chat, participants), the control bar
 * with the meeting tools, and for hosts their menus, the lobby's knocks and
 * confirmations. A chunk: the pre-join screen does not need it, so it is
 * fetched while that screen idles (or on join), and the element draws it
 * from then on. One per session; it keeps the call's view state (page,
 * panel, menus, picture-in-picture) and tells the session what shows.
 */
import { html, nothing, type ReactiveController } from "lit";
import type { ReactiveControllerHost } from "lit";
import type { ChatEntry, Participant, RoomSession, TileSize } from "../../core/room-session.ts";
import { adoptStyles } from "../../internal/adopt-styles.ts";
import { loadChatPanel } from "../../internal/chunks.ts";
import { fire } from "../../internal/events.ts";
import { LANG, t, type Texts } from "../../internal/strings.ts";
import { callScreenStyles } from "./call-screen.styles.ts";
import { callStageView } from "./call-stage-view.ts";
import { controlBarView, screenShareOffered } from "./control-bar-view.ts";
import { playCue } from "./hand-cue.ts";
import type { Confirming, HostToolsView } from "./host-tools.ts";
import { CallAnnouncer } from "./call-announcer.ts";
import { chatNotice } from "./chat-notice-view.ts";
import { consentDialog, recordingBadge, recordingFileNotice } from "./recording-view.ts";
import { menu } from "../../internal/menu.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { meetingControls, type MeetingToolsView, phoneMenu, tileMenu } from "./meeting-controls.ts";
import { meetingControlsStyles } from "./meeting-controls.styles.ts";
import { participantsPanel } from "./participants-panel.ts";
import type { BreakoutPanel, BreakoutWatch } from "./breakout-panel.ts";
import type { PipView, PipWindow } from "./picture-in-picture.ts";
import { phoneLayoutStyles } from "./phone-layout.styles.ts";
import {
  type CompactShape,
  type LayoutMode,
  LAYOUTS,
  layoutTiles,
  type TileLayout,
} from "./tile-layout.ts";

type HostTools = typeof import("./host-tools.ts");

// Loaded with the call screen: one is only ever out of a room one tried to join.
export { outsideView } from "../outside-view.ts";

/** How long a preview of a new chat message shows. */
const CHAT_NOTICE_MS = 6000;

/**
 * Below this width, or this height, the call is phone-sized (a phone either
 * way up, or an embed as small): one row of controls, tiles that fill it.
 */
const COMPACT_WIDTH = 600;
const COMPACT_HEIGHT = 440;

/** Phone-sized or not, and which way up: from the element's own size, not the window's. */
export function compactShape(width: number, height: number): CompactShape | null {
  if (width >= COMPACT_WIDTH && height >= COMPACT_HEIGHT) return null;
  return height > width ? "portrait" : "landscape";
}

/** What the call screen uses of its element. */
export interface CallHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly room: string;
  /** The texts in use (the language's, with the page's `strings` on top). */
  readonly texts: Texts;
  layout: LayoutMode;
  /** The effects, which the settings panel sets. */
  noiseSuppression: boolean;
  background: string;
  /** Shows a notice in the element's banner. */
  notify(text: string): void;
  leave(): void;
  toggleAudio(): boolean;
  toggleVideo(): Promise<boolean>;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  sendChat(text: string): boolean;
}

/** Whether this browser can show picture-in-picture at all (the window itself is a chunk). */
function canPictureInPicture(): boolean {
  return "documentPictureInPicture" in globalThis || document.pictureInPictureEnabled === true;
}

// The call screen's own chunks, loaded once: here rather than in internal/chunks.ts, which is
// in the entry (and only the call screen needs these).
let hostTools: Promise<typeof import("./host-tools.ts")> | undefined;
let pip: Promise<typeof import("./picture-in-picture.ts")> | undefined;

/** The host tools (menus, the lobby's knocks, confirmations): loaded once someone hosts. */
function loadHostTools(): Promise<typeof import("./host-tools.ts")> {
  return hostTools ??= import("./host-tools.ts");
}

/** Picture-in-picture: loaded when someone asks for it. */
function loadPictureInPicture(): Promise<typeof import("./picture-in-picture.ts")> {
  return pip ??= import("./picture-in-picture.ts");
}

export class CallScreen implements ReactiveController {
  /** Pinned for this viewer only (the page's `pin()` too). */
  #pinned: string | null;
  #chatOpen = false;
  /** Messages from others not seen (those before this screen loaded too). */
  #unread: number;
  #page = 0;
  #peopleOpen = false;
  /** The settings panel (cameras, microphones, effects): open, and its chunk once loaded. */
  #settingsOpen = false;
  #settings: typeof import("../media-settings-view.ts") | null = null;
  #menu: string | null = null;
  /**
   * The speaker on stage when a menu opened: the stage holds still while a tile's menu is
   * open, so the tile being chosen from does not move away under the pointer.
   */
  #heldSpeaker: string | null = null;
  #confirm: Confirming | null = null;
  #chatNotice: ChatEntry | null = null;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #pip: PipWindow | null = null;
  #hostTools: HostTools | null = null;
  /** The layout as last drawn, the view last announced, and the sizes last told. */
  #laid: TileLayout<Participant> | null = null;
  #lastView: string | undefined;
  #lastMode: LayoutMode | undefined;
  #toldSizes = "";
  /** The element's size, as last measured. */
  #box: { width: number; height: number };
  readonly #off: Array<() => void>;
  readonly #resized: ResizeObserver;
  readonly #announcer: CallAnnouncer;
  /**
   * Breakout groups' panel and bar, and what is fired and said of them (a
   * chunk, once groups open or a host plans them); whether the panel shows.
   */
  #groups: { panel: BreakoutPanel; watch: BreakoutWatch } | null = null;
  #groupsLoading: Promise<unknown> | null = null;
  #groupsOpen = false;
  #disposed = false;

  constructor(
    readonly host: CallHost,
    readonly session: RoomSession,
    pinned: string | null = null,
  ) {
    host.addController(this);
    adoptStyles(host, callScreenStyles, meetingControlsStyles, phoneLayoutStyles);
    this.#pinned = pinned;
    this.#unread = session.chat.filter((m) => !m.local).length;
    this.#box = host.getBoundingClientRect();
    // A resized (or turned) element resizes the tiles: laid out, measured and told again.
    this.#resized = new ResizeObserver(() => {
      this.#box = host.getBoundingClientRect();
      host.requestUpdate();
    });
    this.#resized.observe(host);
    this.#announcer = new CallAnnouncer(
      session,
      () => host.texts,
      () => this.#chatOpen,
      () => host.requestUpdate(),
      (name) => this.#hostTools?.knockText(host.texts, name) ?? null,
    );

    this.#off = [
      session.on("chat", (m) => {
        if (this.#chatOpen || m.local) return;
        this.#unread++;
        this.#chatNotice = m;
        clearTimeout(this.#noticeTimer);
        this.#noticeTimer = setTimeout(
          () => this.#set(() => (this.#chatNotice = null)),
          CHAT_NOTICE_MS,
        );
      }),
      session.on("hand", ({ participant, raised }) => {
        if (raised && !participant.local) playCue();
      }),
    ];
  }

  /** Features someone for this viewer only (null: nobody pinned). */
  pin(id: string | null): void {
    this.#set(() => {
      this.#pinned = id;
      this.#page = 0;
    });
  }

  /** The session is over for this element (a new one, or it left the page). */
  dispose(): void {
    this.#disposed = true;
    for (const off of this.#off.splice(0)) off();
    this.#resized.disconnect();
    this.#announcer.dispose();
    this.#groups?.watch.dispose();
    clearTimeout(this.#noticeTimer);
    this.#closePip();
    this.host.removeController(this);
  }

  get #inCall(): boolean {
    return this.session.status === "joined" || this.session.status === "reconnecting";
  }

  /** Changes view state and redraws. */
  #set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    const { host, session } = this;
    const root = host.renderRoot;
    if (!this.#inCall) {
      this.#closePip();
      this.#menu = this.#confirm = null;
      return;
    }
    const laid = this.#laid;
    if (laid) {
      // Tell the transport how large each person shows (and how many device pixels wide), so
      // no one is sent more than shows, and what shows is sent at its size from the start.
      const sizes = new Map<string, TileSize>(
        [...laid.sizes].filter(([id]) => id !== session.self.id),
      );
      const widths = new Map<string, number>();
      for (const tile of root.querySelectorAll<HTMLElement>("peer-tile[data-peer]:not([screen])")) {
        const id = tile.dataset.peer!;
        if (!sizes.has(id)) continue;
        widths.set(id, Math.round(tile.getBoundingClientRect().width * devicePixelRatio));
      }
      const key = JSON.stringify([...sizes, ...[...widths].map(([id, w]) => [id, w >> 6])]);
      if (key !== this.#toldSizes) {
        this.#toldSizes = key;
        session.setView(sizes, widths);
      }
      const mode = this.#mode();
      // `auto` decided differently (someone joined, or shares): a remote change, so an event;
      // never for the host page setting `layout`.
      if (mode === this.#lastMode && this.#lastView && laid.view !== this.#lastView) {
        fire(host, "layout-changed", { layout: laid.view, mode });
      }
      this.#lastMode = mode;
      this.#lastView = laid.view;
    }
    if (this.#pip) {
      const v = this.#pipView();
      if (v) this.#pip.update(v);
    }
    // Through the CSSOM, not a style attribute: pages with a strict CSP allow this.
    const grid = root.querySelector<HTMLElement>("[part~=grid]");
    grid?.style.setProperty("--cols", grid.dataset.cols ?? "1");
    // Whoever hosts (from the start, or once made host) gets the tools.
    if (session.role === "host" && !this.#hostTools) {
      void loadHostTools().then((tools) => {
        adoptStyles(host, tools.hostToolsStyles);
        this.#set(() => (this.#hostTools = tools));
      });
    }
    // Groups open (or a host's broadcast): their bar and panel come.
    if (!this.#groups && (session.breakouts?.state || session.breakouts?.broadcast)) {
      void this.#loadGroups();
    }
    const dialog = root.querySelector<HTMLDialogElement>(
      "dialog[part=confirm], dialog[part=consent]",
    );
    if (dialog && !dialog.open) dialog.showModal();
  }

  #mode(): LayoutMode {
    const l = this.host.layout;
    return (LAYOUTS as readonly string[]).includes(l) ? l : "auto";
  }

  #shape(): CompactShape | null {
    return compactShape(this.#box.width, this.#box.height);
  }

  /** Whether `menu` is a tile's (its id is the person's) whose person is here: the stage holds. */
  #holds(menu: string | null): boolean {
    return this.session.participants.some((p) => p.id === menu);
  }

  #layout(): TileLayout<Participant> {
    return layoutTiles(this.session.participants, {
      mode: this.#mode(),
      pinned: this.#pinned,
      speaker: this.#holds(this.#menu) ? this.#heldSpeaker : this.session.stageSpeaker,
      page: this.#page,
      shape: this.#shape(),
    });
  }

  #onMenu = (id: string | null, refocus = true) => {
    const closing = this.#menu;
    // The stage as shown now: held already (from one tile's menu to another's), or live.
    if (!this.#holds(closing)) this.#heldSpeaker = this.session.stageSpeaker;
    this.#set(() => (this.#menu = id));
    if (id === "more") void loadPictureInPicture(); // ready before a click asks for it
    void this.host.updateComplete.then(() => {
      const root = this.host.renderRoot;
      // An opened menu takes the focus to its first item; closed from inside, back to its button.
      if (id) root.querySelector<HTMLElement>("[role=menu] button")?.focus();
      else if (closing && refocus) {
        root.querySelector<HTMLElement>(`[data-menu="${closing}"]`)?.focus();
      }
    });
  };

  #meetingView(laid: TileLayout<Participant>): MeetingToolsView {
    const { host, session } = this;
    return {
      session,
      strings: host.texts,
      openMenu: this.#menu,
      onMenu: this.#onMenu,
      pinned: this.#pinned,
      onPin: (id) => this.pin(id),
      mode: this.#mode(),
      view: laid.view,
      onLayout: (mode) => {
        host.layout = mode;
        const layout = this.#layout().view;
        [this.#lastMode, this.#lastView] = [mode, layout];
        fire(host, "layout-changed", { layout, mode });
      },
      peopleOpen: this.#peopleOpen,
      onPeople: () => {
        this.#set(() => {
          this.#peopleOpen = !this.#peopleOpen;
          if (this.#peopleOpen) this.#chatOpen = this.#groupsOpen = this.#settingsOpen = false;
        });
        if (!this.#peopleOpen) this.#refocus('button[part~="participants"]');
      },
      onSettings: this.#toggleSettings,
      onPip: canPictureInPicture() ? () => void this.#togglePip() : null,
      chatNotice: this.#chatOpen ? null : this.#chatNotice,
      onChatNotice: (open) => {
        this.#set(() => (this.#chatNotice = null));
        if (open && !this.#chatOpen) void this.#toggleChat();
      },
    };
  }

  #hostView(): HostToolsView | null {
    if (!this.#hostTools || this.session.role !== "host") return null;
    return {
      session: this.session,
      strings: this.host.texts,
      act: (action, to, name) => {
        if (action === "remove" || action === "end") {
          this.#set(() => (this.#confirm = { action, to, name }));
        } else this.session.moderate(action, to);
      },
      confirming: this.#confirm,
      onBreakouts: () => void this.#toggleGroups(),
      onConfirm: (yes) => {
        const c = this.#confirm;
        this.#set(() => (this.#confirm = null));
        if (yes && c) this.session.moderate(c.action, c.to);
      },
    };
  }

  #toggleChat = async () => {
    const host = this.host;
    this.#set(() => {
      this.#chatOpen = !this.#chatOpen;
      if (!this.#chatOpen) return;
      this.#unread = 0;
      this.#chatNotice = null; // read: its preview does not come back when the chat closes
      this.#peopleOpen = this.#groupsOpen = this.#settingsOpen = false;
    });
    if (this.#chatOpen) {
      await loadChatPanel(); // usually loaded already, at idle time
      await host.updateComplete;
      host.renderRoot.querySelector<HTMLElement>("chat-panel")?.focus();
    } else this.#refocus(".chat");
  };

  /** The breakout panel opens (closing the chat and participants) or closes. */
  #toggleGroups = async () => {
    this.#set(() => {
      this.#groupsOpen = !this.#groupsOpen;
      if (this.#groupsOpen) this.#peopleOpen = this.#chatOpen = this.#settingsOpen = false;
    });
    if (!this.#groupsOpen) return this.#refocus('[part="breakout-bar"] button');
    await this.#loadGroups();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('[part="breakouts"] h2 + button')?.focus();
  };

  /** The settings panel opens (closing the other panels; its chunk loads once) or closes. */
  #toggleSettings = async () => {
    this.#set(() => {
      this.#settingsOpen = !this.#settingsOpen;
      if (this.#settingsOpen) this.#peopleOpen = this.#chatOpen = this.#groupsOpen = false;
    });
    if (!this.#settingsOpen) return this.#refocus('[data-menu="more"]');
    this.#settings ??= await import("../media-settings-view.ts");
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(
      '[part="settings"] select, [part="settings"] button.switch',
    )
      ?.focus();
  };

  /** The breakout chunk: its styles adopted, its panel and its watch made (once). */
  #loadGroups(): Promise<unknown> {
    // Imported here, not in internal/chunks.ts: only the call screen loads it, and the entry
    // (which holds chunks.ts) has no bytes to spare.
    return this.#groupsLoading ??= import("./breakout-panel.ts").then((m) => {
      const { host, session } = this;
      if (this.#disposed) return;
      adoptStyles(host, m.breakoutPanelStyles);
      const redraw = () => host.requestUpdate();
      this.#groups = {
        panel: new m.BreakoutPanel(redraw),
        watch: new m.BreakoutWatch(host, session, (text) => this.#announcer.say(text), redraw),
      };
      redraw();
    });
  }

  /** A panel closed from inside it: the focus goes back to what opens it (on a phone, More). */
  #refocus(selector: string): void {
    void this.host.updateComplete.then(() => {
      const root = this.host.renderRoot;
      (root.querySelector<HTMLElement>(selector) ??
        root.querySelector<HTMLElement>('[data-menu="more"]'))?.focus();
    });
  }

  // ---- picture-in-picture ----

  /** What the window shows: the featured person (or the first other one). */
  #pipView(): PipView | null {
    if (!this.#inCall) return null;
    const { host, session } = this;
    const f = this.#laid?.featured;
    const p = f?.participant ?? session.participants.find((x) => !x.local) ?? session.self;
    const base = host.renderRoot.querySelector("[part=base]");
    return {
      strings: host.texts,
      lang: host.texts[LANG] ?? "en",
      dir: base && getComputedStyle(base).direction === "rtl" ? "rtl" : "ltr",
      stream: f?.screen ? p.screen : p.stream,
      name: f?.screen ? t(host.texts, "screenOf", { name: p.name }) : p.name,
      audio: session.media.wants.audio,
      video: session.media.wants.video,
      onAudio: () => void host.toggleAudio(),
      onVideo: () => void host.toggleVideo(),
      onLeave: () => host.leave(),
    };
  }

  async #togglePip(): Promise<void> {
    if (this.#pip) return this.#closePip();
    const v = this.#pipView();
    if (!v) return;
    const root = this.host.renderRoot;
    try {
      const { openPictureInPicture } = await loadPictureInPicture();
      const pip = await openPictureInPicture(
        v,
        () => {
          const tile = root.querySelector("[part=screen], [part~=featured]") ??
            root.querySelector("peer-tile:not([local])");
          return tile?.shadowRoot?.querySelector("video") ?? null;
        },
        () => {
          if (this.#pip === pip) this.#set(() => (this.#pip = null));
        },
      );
      this.#set(() => (this.#pip = pip));
    } catch (e) {
      this.host.notify(
        tm(this.host.texts, "pipFailed", { reason: (e as Error)?.message ?? String(e) }),
      );
    }
  }

  #closePip(): void {
    const pip = this.#pip;
    this.#pip = null;
    pip?.close();
  }

  // ---- drawing ----

  render() {
    const { host, session } = this;
    const s = host.texts;
    const joined = session.status === "joined";
    const shape = this.#shape();
    const laid = this.#layout();
    this.#laid = laid;
    const mv = this.#meetingView(laid);
    const hv = this.#hostView();
    const tools = this.#hostTools;
    const hostItems = hv && tools ? tools.roomMenuItems(hv) : [];
    const sharing = session.screenStream !== null;
    const toggleScreen = (on: boolean) =>
      on ? void host.startScreenShare() : host.stopScreenShare();
    const wideTools = html`${meetingControls(mv)}${
      hv && tools
        ? menu(
          mv,
          "room",
          tools.hostMenuLabel(s),
          html`<span>${tools.hostMenuLabel(s)}</span>`,
          hostItems,
        )
        : nothing
    }`;
    return html`
      <div
        class="call ${shape ? `compact ${shape}` : ""}">${callStageView({
          layout: laid,
          strings: s,
          chat: this.#chatOpen ? session.chat : null,
          joined,
          onChatSend: (e) => {
            if (!host.sendChat(e.detail.text)) e.preventDefault(); // keep the draft
          },
          onChatClose: this.#toggleChat,
          onPage: (page) => this.#set(() => (this.#page = page)),
          tileActions: (p) => tileMenu(mv, p, hv && tools ? tools.hostTileItems(hv, p) : []),
          side: this.#peopleOpen
            ? participantsPanel(mv)
            : this.#settingsOpen && this.#settings
            ? this.#settings.settingsPanel(host, session, this.#toggleSettings)
            // A guest's panel goes with the groups; a host's stays, to plan the next ones.
            : this.#groupsOpen && this.#groups &&
                (session.breakouts?.state || session.role === "host")
            ? this.#groups.panel.render(session, s, tm(s, "close"), this.#toggleGroups)
            : nothing,
          above: html`${recordingFileNotice(session, s, host.room)}${
            hv && tools ? tools.knockList(hv) : nothing
          }${
            this.#groups?.panel.bar(
              session,
              s,
              this.#groups.watch.secondsLeft,
              this.#groupsOpen,
              this.#toggleGroups,
            ) ?? nothing
          }`,
          badge: recordingBadge(session, s),
        })}${// On a phone the More sheet covers the call: a tap beside it closes it.
        shape && this.#menu === "more"
          ? html`<div class="scrim" @click=${() => this.#onMenu(null)}></div>`
          : nothing}${controlBarView({
            session,
            strings: s,
            room: host.room,
            joined,
            compact: shape !== null,
            chatOpen: this.#chatOpen,
            unread: this.#unread,
            onAudio: () => void host.toggleAudio(),
            onVideo: () => void host.toggleVideo(),
            onScreenToggle: (e) => toggleScreen(e.detail.sharing),
            onChat: this.#toggleChat,
            onLeave: () => host.leave(),
            extra: shape
              ? phoneMenu(mv, {
                unread: this.#unread,
                onChat: this.#toggleChat,
                screen: screenShareOffered(session) && joined
                  ? { sharing, toggle: () => toggleScreen(!sharing) }
                  : null,
                host: hostItems,
              })
              : wideTools,
          })}${hv && tools ? tools.confirmDialog(hv) : nothing}${consentDialog(
            session,
            s,
            () => host.leave(),
          )}${chatNotice(mv)}${this.#announcer
          .render()}</div>
    `;
  }
}
