/**
 * What only hosts see: a menu on each other person's tile (mute, stop video,
 * make host, remove), the room menu (lock, lobby, mute everyone, end for
 * all), the lobby's knocks with Admit and Deny, and the confirmation asked
 * before removing someone or ending the meeting. A chunk: guests never load
 * it. Templates only; <video-room> holds the state.
 */
import { css, html, nothing } from "lit";
import type { Knock, ModerateAction } from "../../protocol/messages.ts";
import type { Participant, RoomSession } from "../core/room-session.ts";
import { th } from "../internal/host-strings.ts";
import type { RoomStrings } from "../internal/strings.ts";

/** An action that needs a yes first. */
export interface Confirming {
  action: "remove" | "end";
  to?: string;
  name?: string;
}

export interface HostToolsView {
  session: RoomSession;
  strings: Partial<RoomStrings> | undefined;
  /** The open menu: a participant's id, "room", or null. */
  openMenu: string | null;
  /** Opens a menu, or closes it (focus back to its button unless `refocus` is false). */
  onMenu(id: string | null, refocus?: boolean): void;
  /** Does it (or asks first, for remove and end). */
  act(action: ModerateAction, to?: string, name?: string): void;
  confirming: Confirming | null;
  onConfirm(yes: boolean): void;
}

/** Arrow keys move through a menu's items; Escape closes it. */
function menuKeys(v: HostToolsView) {
  return (e: KeyboardEvent) => {
    const items = [
      ...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>("[role=menuitem]"),
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

function menu(
  v: HostToolsView,
  id: string,
  label: string,
  trigger: unknown,
  items: Array<[string, () => void, string?]>,
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
        part="control host-menu"
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
            ${items.map(([text, run, cls]) =>
              html`
                <button role="menuitem" type="button" class=${cls ?? ""} @click=${() => {
                  v.onMenu(null);
                  run();
                }}>${text}</button>
              `
            )}
          </div>
        `
        : nothing}
    </div>
  `;
}

/** The menu on another person's tile. */
export function tileMenu(v: HostToolsView, p: Participant) {
  const s = v.strings;
  return html`
    <div slot="actions">
      ${menu(v, p.id, th(s, "moreActions", { name: p.name }), "⋮", [
        [th(s, "mute"), () => v.act("mute", p.id)],
        [th(s, "stopVideo"), () => v.act("stop-video", p.id)],
        ...(p.role !== "host"
          ? [[th(s, "makeHost"), () => v.act("promote", p.id)] as [string, () => void]]
          : []),
        [th(s, "remove"), () => v.act("remove", p.id, p.name), "danger"],
      ])}
    </div>
  `;
}

/** The room menu in the control bar. */
export function roomMenu(v: HostToolsView) {
  const s = v.strings;
  const { locked, lobby } = v.session.settings;
  return menu(v, "room", th(s, "hostMenu"), html`<span>${th(s, "hostMenu")}</span>`, [
    [th(s, locked ? "unlock" : "lock"), () => v.act(locked ? "unlock" : "lock")],
    [th(s, lobby ? "lobbyOff" : "lobbyOn"), () => v.act(lobby ? "lobby-off" : "lobby-on")],
    [th(s, "muteAll"), () => v.act("mute-all")],
    [th(s, "endForAll"), () => v.act("end"), "danger"],
  ]);
}

/** Who waits in the lobby, with Admit and Deny (and Admit all). */
export function knockList(v: HostToolsView) {
  const s = v.strings;
  const waiting: readonly Knock[] = v.session.waiting;
  if (waiting.length === 0) return nothing;
  return html`
    <div part="knocks" role="region" aria-label=${th(s, "waitingToJoin")}>
      ${waiting.map((k) =>
        html`
          <div class="knock" role="status">
            <span>${th(s, "wantsToJoin", { name: k.name })}</span>
            <button type="button" class="primary" aria-label=${th(s, "admitName", {
              name: k.name,
            })}
              @click=${() => v.act("admit", k.id)}>${th(s, "admit")}</button>
            <button type="button" aria-label=${th(s, "denyName", { name: k.name })} @click=${() =>
              v.act("deny", k.id)}>${th(s, "deny")}</button>
          </div>
        `
      )}
      ${waiting.length > 1
        ? html`
          <button type="button" class="primary" @click=${() => {
            for (const k of waiting) v.act("admit", k.id);
          }}>${th(s, "admitAll")}</button>
        `
        : nothing}
    </div>
  `;
}

/** The yes-or-no before removing someone or ending the meeting (a modal dialog). */
export function confirmDialog(v: HostToolsView) {
  const c = v.confirming;
  if (!c) return nothing;
  const s = v.strings;
  const question = c.action === "remove"
    ? th(s, "confirmRemove", { name: c.name ?? "" })
    : th(s, "confirmEnd");
  return html`
    <dialog part="confirm" aria-label=${question} @cancel=${(e: Event) => {
      e.preventDefault();
      v.onConfirm(false);
    }}>
      <p>${question}</p>
      <div class="row">
        <button type="button" @click=${() => v.onConfirm(false)}>${th(s, "cancel")}</button>
        <button type="button" class="primary danger" @click=${() => v.onConfirm(true)}>${th(
          s,
          c.action === "remove" ? "remove" : "endForAll",
        )}</button>
      </div>
    </dialog>
  `;
}

export const hostToolsStyles = css`
  .menu {
    position: relative;
  }
  [part~="host-menu"] {
    min-width: 32px;
    justify-content: center;
  }
  [slot="actions"] [part~="host-menu"] {
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
  [role="menuitem"] {
    padding: 8px 10px;
    border: 0;
    border-radius: 6px;
    background: none;
    color: inherit;
    text-align: left;
    cursor: pointer;
  }
  [role="menuitem"]:hover,
  [role="menuitem"]:focus-visible {
    background: var(--_control);
  }
  .danger {
    color: var(--_danger);
  }
  .primary.danger {
    background: var(--_danger);
    color: #fff;
  }
  [part="knocks"] {
    display: grid;
    gap: 6px;
  }
  .knock {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--_panel);
  }
  .knock span {
    flex: 1;
  }
  dialog {
    border: 0;
    border-radius: 12px;
    background: var(--_panel);
    color: var(--_fg);
  }
  dialog .row {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
`;
