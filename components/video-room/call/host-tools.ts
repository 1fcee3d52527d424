/**
 * What only hosts see: their items on each other person's tile menu (mute,
 * stop video, lower hand, make host, remove), the room menu's items (lock,
 * lobby, mute everyone, end for all), the lobby's knocks with Admit and
 * Deny, and the confirmation asked before removing someone or ending the
 * meeting. A chunk: guests never load it. Templates only; <video-room> holds
 * the state, and the meeting tools draw the menus.
 */
import { css, html, nothing } from "lit";
import type { Knock, ModerateAction } from "../../../protocol/messages.ts";
import type { Participant, RoomSession } from "../../core/room-session.ts";
import { th } from "../../internal/host-strings.ts";
import type { RoomStrings, Texts } from "../../internal/strings.ts";
import type { MenuItem } from "../../internal/menu.ts";

/** An action that needs a yes first. */
export interface Confirming {
  action: "remove" | "end";
  to?: string;
  name?: string;
}

export interface HostToolsView {
  session: RoomSession;
  strings: Partial<RoomStrings> | undefined;
  /** Does it (or asks first, for remove and end). */
  act(action: ModerateAction, to?: string, name?: string): void;
  confirming: Confirming | null;
  onConfirm(yes: boolean): void;
  /** Opens (or closes) the breakout groups' panel. */
  onBreakouts(): void;
}

/** A host's items on another person's tile menu (after Pin). */
export function hostTileItems(v: HostToolsView, p: Participant): MenuItem[] {
  const s = v.strings;
  return [
    { text: th(s, "mute"), run: () => v.act("mute", p.id) },
    { text: th(s, "stopVideo"), run: () => v.act("stop-video", p.id) },
    ...(p.hand !== null
      ? [{ text: th(s, "lowerHand"), run: () => v.act("lower-hand", p.id) }]
      : []),
    ...(p.role !== "host" ? [{ text: th(s, "makeHost"), run: () => v.act("promote", p.id) }] : []),
    { text: th(s, "remove"), run: () => v.act("remove", p.id, p.name), cls: "danger" },
  ];
}

/** The name of the room menu's button. */
/** What a screen reader hears when someone knocks. */
export function knockText(s: Texts | undefined, name: string): string {
  return th(s, "wantsToJoin", { name });
}

export function hostMenuLabel(s: Partial<RoomStrings> | undefined): string {
  return th(s, "hostMenu");
}

/** The room menu's items (the "Host controls" button in the control bar). */
export function roomMenuItems(v: HostToolsView): MenuItem[] {
  const s = v.strings;
  const { locked, lobby, recording } = v.session.settings;
  return [
    // Recording happens in this browser: offered where it can record (and to stop anyone's).
    ...(recording || "MediaRecorder" in globalThis
      ? [{
        text: th(s, recording ? "stopRecording" : "record"),
        run: () => v.act(recording ? "record-stop" : "record-start"),
      }]
      : []),
    { text: th(s, locked ? "unlock" : "lock"), run: () => v.act(locked ? "unlock" : "lock") },
    {
      text: th(s, lobby ? "lobbyOff" : "lobbyOn"),
      run: () => v.act(lobby ? "lobby-off" : "lobby-on"),
    },
    { text: th(s, "breakoutMenu"), run: v.onBreakouts },
    { text: th(s, "muteAll"), run: () => v.act("mute-all") },
    { text: th(s, "endForAll"), run: () => v.act("end"), cls: "danger" },
  ];
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
