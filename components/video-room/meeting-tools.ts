/**
 * What a call offers beyond joining it: a menu on each tile (pin), raise
 * hand, reactions, the participants panel, the layout and picture-in-picture
 * choices, a preview of new chat messages, and the soft cue of a raised
 * hand. A chunk, loaded while the pre-join screen idles (or on join).
 * Templates only; <video-room> holds the state.
 */
import { css, html, nothing, svg } from "lit";
import { REACTIONS } from "../../protocol/messages.ts";
import type { ChatEntry, Participant, RoomSession } from "../core/room-session.ts";
import { icon, icons } from "../internal/icons.ts";
import { tm } from "../internal/meeting-strings.ts";
import { type RoomStrings, t } from "../internal/strings.ts";
import type { LayoutMode, LayoutView } from "./tile-layout.ts";

// After Lucide's "users" and "smile" (ISC licence).
const people = icon(svg`
  <path
    d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8" />
  <circle cx="9" cy="7" r="4" />
`);
const smile = icon(svg`
  <circle cx="12" cy="12" r="10" />
  <path d="M8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01" />
`);

/** One entry of a menu; with `checked` it is one of a group of choices. */
export interface MenuItem {
  text: string;
  run(): void;
  /** A class, e.g. `danger`. */
  cls?: string;
  checked?: boolean;
  /** An accessible name when the text alone says too little (an emoji). */
  label?: string;
}

export interface MenuView {
  /** The open menu's id, or null. */
  openMenu: string | null;
  /** Opens a menu, or closes it (focus back to its button unless `refocus` is false). */
  onMenu(id: string | null, refocus?: boolean): void;
}

export interface MeetingToolsView extends MenuView {
  session: RoomSession;
  strings: Partial<RoomStrings> | undefined;
  pinned: string | null;
  onPin(id: string | null): void;
  mode: LayoutMode;
  view: LayoutView;
  onLayout(mode: LayoutMode): void;
  peopleOpen: boolean;
  onPeople(): void;
  /** Offered where the browser can (`null`: it cannot). */
  onPip: (() => void) | null;
  chatNotice: ChatEntry | null;
  /** Opens the chat (true) or just dismisses the preview. */
  onChatNotice(open: boolean): void;
}

/** Arrow keys move through a menu's items; Escape closes it. */
function menuKeys(v: MenuView) {
  return (e: KeyboardEvent) => {
    const items = [
      ...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>("button"),
    ];
    const at = items.indexOf(e.target as HTMLButtonElement);
    if (e.key === "Escape") {
      e.preventDefault();
      v.onMenu(null);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };
}

/** A button that opens a menu of items: keyboard-reachable, closed by Escape or leaving it. */
export function menu(
  v: MenuView,
  id: string,
  label: string,
  trigger: unknown,
  items: readonly MenuItem[],
) {
  const open = v.openMenu === id;
  // Focus leaving the menu (a click elsewhere, Tab away) closes it.
  const leave = (e: FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (open && !(to && (e.currentTarget as Node).contains(to))) v.onMenu(null, false);
  };
  return html`
    <div class="menu" @focusout=${leave}>
      <button
        part="control menu-button"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${open ? "true" : "false"}
        aria-label=${label}
        title=${label}
        data-menu=${id}
        @click=${() => v.onMenu(open ? null : id)}
      >${trigger}</button>
      ${open
        ? html`
          <div role="menu" aria-label=${label} @keydown=${menuKeys(v)}>
            ${items.map((item) =>
              html`
                <button
                  role=${item.checked === undefined ? "menuitem" : "menuitemradio"}
                  aria-checked=${item.checked === undefined ? nothing : String(item.checked)}
                  aria-label=${item.label ?? nothing}
                  type="button"
                  class=${item.cls ?? ""}
                  @click=${() => {
                    v.onMenu(null);
                    item.run();
                  }}
                >${item.text}</button>
              `
            )}
          </div>
        `
        : nothing}
    </div>
  `;
}

/** The menu on another person's tile: pin for everyone, and a host's items after it. */
export function tileMenu(v: MeetingToolsView, p: Participant, hostItems: readonly MenuItem[]) {
  const s = v.strings;
  const pinned = v.pinned === p.id;
  return html`
    <div slot="actions">
      ${menu(v, p.id, tm(s, "tileMenu", { name: p.name }), "⋮", [
        { text: tm(s, pinned ? "unpin" : "pin"), run: () => v.onPin(pinned ? null : p.id) },
        ...hostItems,
      ])}
    </div>
  `;
}

/** The call's extra controls: participants, hand, reactions, and the layout menu. */
export function meetingControls(v: MeetingToolsView) {
  const s = v.strings;
  const hand = v.session.self.hand !== null;
  const n = v.session.participants.length;
  return html`
    <button
      part="control participants"
      type="button"
      aria-pressed=${v.peopleOpen ? "true" : "false"}
      aria-label=${tm(s, "participantCount", { n })}
      title=${t(s, "participants")}
      @click=${v.onPeople}
    >${people}<span part="count">${n}</span></button>
    <button
      part="control hand"
      type="button"
      aria-pressed=${hand ? "true" : "false"}
      aria-label=${tm(s, "raiseHand")}
      title=${tm(s, hand ? "lowerHand" : "raiseHand")}
      @click=${() => (hand ? v.session.lowerHand() : v.session.raiseHand())}
    >${icons.hand}</button>
    ${menu(
      v,
      "reactions",
      tm(s, "reactions"),
      smile,
      REACTIONS.map((emoji) => ({
        text: emoji,
        label: tm(s, "react", { emoji }),
        cls: "emoji",
        run: () => v.session.react(emoji),
      })),
    )}
    ${menu(v, "more", tm(s, "more"), "⋯", [
      ...(["grid", "speaker", "auto"] as const).map((mode) => ({
        text: tm(s, mode === "grid" ? "gridView" : mode === "speaker" ? "speakerView" : "autoView"),
        checked: v.mode === mode,
        run: () => v.onLayout(mode),
      })),
      ...(v.onPip ? [{ text: tm(s, "pictureInPicture"), run: v.onPip }] : []),
    ])}
  `;
}

/** Self first, then raised hands in the order raised, then everyone else by name. */
export function participantOrder(list: readonly Participant[]): Participant[] {
  const rank = (p: Participant) => (p.local ? 0 : p.hand !== null ? 1 : 2);
  return [...list].sort((a, b) =>
    rank(a) - rank(b) ||
    (a.hand ?? 0) - (b.hand ?? 0) ||
    a.name.localeCompare(b.name)
  );
}

/** Everyone in the meeting, with their microphone, camera and hand. */
export function participantsPanel(v: MeetingToolsView) {
  const s = v.strings;
  const list = participantOrder(v.session.participants);
  const host = v.session.role === "host";
  return html`
    <aside part="participants" aria-labelledby="people-title">
      <header>
        <h2 id="people-title">${t(s, "participants")} (${list.length})</h2>
        <button type="button" class="close" aria-label=${tm(s, "close")} @click=${v
          .onPeople}>✕</button>
      </header>
      <ul>
        ${list.map((p) => {
          const tags = [
            p.role === "host" ? tm(s, "host") : "",
            p.hand !== null ? tm(s, "handUp") : "",
            p.state.audio ? "" : tm(s, "micOffShort"),
            p.state.video ? "" : tm(s, "cameraOffShort"),
          ].filter(Boolean);
          return html`
            <li data-peer=${p.id}>
              <span class="who">${p.local ? t(s, "you", { name: p.name }) : p.name}</span>
              <span class="tags">${tags.join(", ")}</span>
              ${p.hand !== null && (p.local || host)
                ? html`
                  <button type="button" @click=${() =>
                    p.local ? v.session.lowerHand() : v.session.moderate("lower-hand", p.id)}>${tm(
                      s,
                      "lowerHand",
                    )}</button>
                `
                : nothing}
            </li>
          `;
        })}
      </ul>
    </aside>
  `;
}

/** A new message while the chat is closed: who and its first line, to open or dismiss. */
export function chatNotice(v: MeetingToolsView) {
  const m = v.chatNotice;
  if (!m) return nothing;
  const s = v.strings;
  const line = m.text.split("\n")[0];
  return html`
    <div part="chat-notice" role="status">
      <button type="button" class="open" aria-label=${`${tm(s, "openChat")}: ${m.name}: ${line}`}
        @click=${() => v.onChatNotice(true)}>
        <b>${m.name}</b> <span>${line}</span>
      </button>
      <button type="button" aria-label=${t(s, "dismiss")} @click=${() =>
        v.onChatNotice(false)}>✕</button>
    </div>
  `;
}

/** The notice when the window would not open. */
export function pipFailed(s: Partial<RoomStrings> | undefined, reason: string): string {
  return tm(s, "pipFailed", { reason });
}

/** Whether this browser can show picture-in-picture at all. */
export function canPictureInPicture(): boolean {
  return "documentPictureInPicture" in globalThis || document.pictureInPictureEnabled === true;
}

let cue: AudioContext | null = null;

/** A soft two-note chime: someone raised a hand. */
export function playCue(): void {
  try {
    cue ??= new AudioContext();
    const at = cue.currentTime;
    const gain = cue.createGain();
    gain.connect(cue.destination);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.08, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
    for (const [freq, start] of [[660, 0], [880, 0.15]]) {
      const tone = cue.createOscillator();
      tone.frequency.value = freq;
      tone.connect(gain);
      tone.start(at + start);
      tone.stop(at + start + 0.3);
    }
  } catch {
    // No sound is no harm: the hand shows on the tile and in the list.
  }
}

export const meetingToolsStyles = css`
  .menu {
    position: relative;
  }
  [part~="menu-button"] {
    min-width: 36px;
    justify-content: center;
  }
  [slot="actions"] [part~="menu-button"] {
    padding: 2px 8px;
    background: rgb(0 0 0 / 55%);
    color: #fff;
  }
  [role="menu"] {
    position: absolute;
    right: 0;
    z-index: 2;
    display: grid;
    min-width: 180px;
    padding: 4px;
    border-radius: 8px;
    background: var(--_panel);
    color: var(--_fg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 30%);
  }
  [part="controls"] [role="menu"] {
    bottom: calc(100% + 6px);
  }
  [role="menu"]:has(.emoji) {
    grid-template-columns: repeat(3, auto);
    min-width: 0;
  }
  [role^="menuitem"] {
    padding: 8px 10px;
    border: 0;
    border-radius: 6px;
    background: none;
    color: inherit;
    text-align: left;
    cursor: pointer;
    white-space: nowrap;
  }
  [role="menuitemradio"]::before {
    content: "";
    display: inline-block;
    width: 1.4em;
  }
  [role="menuitemradio"][aria-checked="true"]::before {
    content: "✓";
  }
  .emoji {
    font-size: 1.4em;
    text-align: center;
  }
  [role^="menuitem"]:hover,
  [role^="menuitem"]:focus-visible {
    background: var(--_control);
  }
  .danger {
    color: var(--_danger);
  }
  [part~="control"][aria-pressed="true"]:is([part~="participants"], [part~="hand"]) {
    background: var(--_accent);
    color: #fff;
  }
  [part="participants"] {
    flex: 0 0 min(280px, 40%);
    display: flex;
    flex-direction: column;
    min-height: 0;
    padding: 10px;
    border-radius: var(--_radius);
    background: var(--_panel);
  }
  [part="participants"] header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  [part="participants"] h2 {
    margin: 0;
    font-size: 1em;
  }
  [part="participants"] ul {
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    overflow-y: auto;
    display: grid;
    gap: 6px;
  }
  [part="participants"] li {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: center;
  }
  .who {
    font-weight: 600;
  }
  .tags {
    flex: 1;
    opacity: 0.75;
    font-size: 0.85em;
  }
  [part="participants"] button,
  [part="chat-notice"] button {
    border: 0;
    border-radius: 6px;
    padding: 4px 8px;
    background: var(--_control);
    color: inherit;
    cursor: pointer;
  }
  [part="chat-notice"] {
    position: absolute;
    right: calc(var(--_gap) * 2);
    bottom: 72px;
    z-index: 3;
    display: flex;
    gap: 4px;
    max-width: min(360px, 80%);
    padding: 6px;
    border-radius: 10px;
    background: var(--_panel);
    box-shadow: 0 6px 24px rgb(0 0 0 / 25%);
  }
  [part="chat-notice"] .open {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: left;
    background: none;
  }
  @media (max-width: 640px) {
    [part="participants"] {
      flex: 0 0 45%;
    }
  }
`;
