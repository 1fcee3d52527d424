/**
 * The call's meeting controls in the control bar: the participants button
 * (with the count), raise hand, reactions, and the More menu (layout,
 * picture-in-picture); on a phone, all of it (chat and sharing too) in one
 * More sheet; and the menu on each other person's tile (pin, then a host's
 * items). Templates only: the call screen owns the state.
 */
import { html, nothing, svg } from "lit";
import { REACTIONS } from "../../../protocol/messages.ts";
import type { ChatEntry, Participant, RoomSession } from "../../core/room-session.ts";
import { icon, icons } from "../../internal/icons.ts";
import { menu, type MenuItem, type MenuView } from "../../internal/menu.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { tsc } from "../../internal/screen-share-strings.ts";
import { formatNumber, type RoomStrings, t } from "../../internal/strings.ts";
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
  /** Opens or closes the settings panel (cameras, microphones, effects). */
  onSettings(): void;
  /** Offered where the browser can (`null`: it cannot). */
  onPip: (() => void) | null;
  chatNotice: ChatEntry | null;
  /** Opens the chat (true) or just dismisses the preview. */
  onChatNotice(open: boolean): void;
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

/** The layout choices, picture-in-picture and the settings: the More menu's items. */
function moreItems(v: MeetingToolsView): MenuItem[] {
  const s = v.strings;
  return [
    ...(["grid", "speaker", "auto"] as const).map((mode) => ({
      text: tm(s, mode === "grid" ? "gridView" : mode === "speaker" ? "speakerView" : "autoView"),
      checked: v.mode === mode,
      run: () => v.onLayout(mode),
    })),
    ...(v.onPip ? [{ text: tm(s, "pictureInPicture"), run: v.onPip }] : []),
    { text: t(s, "settings"), run: v.onSettings },
  ];
}

const reactionItems = (v: MeetingToolsView): MenuItem[] =>
  REACTIONS.map((emoji) => ({
    text: emoji,
    label: tm(v.strings, "react", { emoji }),
    cls: "emoji",
    run: () => v.session.react(emoji),
  }));

/** What the phone's More sheet holds beyond the meeting tools. */
export interface PhoneMenuExtras {
  unread: number;
  onChat(): void;
  /** Offered where a screen can be shared (null: it cannot). */
  screen: { sharing: boolean; toggle(): void } | null;
  /** A host's room items (lock, lobby, end). */
  host: readonly MenuItem[];
}

/**
 * On a phone, one More button holds everything but the microphone, camera
 * and leave: chat (with what is unread on the button), participants, hand,
 * sharing where it works, reactions, layout, picture-in-picture and a host's
 * items. It opens as a sheet from the bottom (styles).
 */
export function phoneMenu(v: MeetingToolsView, x: PhoneMenuExtras) {
  const s = v.strings;
  const hand = v.session.self.hand !== null;
  const n = x.unread;
  return menu(
    v,
    "more",
    n ? tm(s, "moreUnread", { n }) : tm(s, "more"),
    html`⋯${
      x.unread
        ? html`<span part="badge" aria-hidden="true">${formatNumber(s, x.unread)}</span>`
        : nothing
    }`,
    [
      { text: n ? tm(s, "chatWithUnread", { n }) : t(s, "chat"), run: x.onChat },
      { text: tm(s, "participantCount", { n: v.session.participants.length }), run: v.onPeople },
      {
        text: tm(s, hand ? "lowerHand" : "raiseHand"),
        run: () => (hand ? v.session.lowerHand() : v.session.raiseHand()),
      },
      ...(x.screen
        ? [{ text: tsc(s, x.screen.sharing ? "stopSharing" : "shareScreen"), run: x.screen.toggle }]
        : []),
      ...reactionItems(v),
      ...moreItems(v),
      ...x.host,
    ],
  );
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
      title=${tm(s, "participants")}
      @click=${v.onPeople}
    >${people}<span part="count">${formatNumber(s, n)}</span></button>
    <button
      part="control hand"
      type="button"
      aria-pressed=${hand ? "true" : "false"}
      aria-label=${tm(s, "raiseHand")}
      title=${tm(s, hand ? "lowerHand" : "raiseHand")}
      @click=${() => (hand ? v.session.lowerHand() : v.session.raiseHand())}
    >${icons.hand}</button>
    ${menu(v, "reactions", tm(s, "reactions"), smile, reactionItems(v))}
    ${menu(v, "more", tm(s, "more"), "⋯", moreItems(v))}
  `;
}
