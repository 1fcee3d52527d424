/**
 * Breakout groups in the call screen: the panel (beside the stage, like the
 * participants panel) where a host plans and opens groups, moves people,
 * speaks to every group and closes them, and where everyone sees the groups
 * and, when allowed, picks one or goes back; and the bar above the stage
 * (which group we are in, the time left, a host's broadcast). The panel's
 * draft (how many groups, how to fill them, who goes where) lives here
 * until the groups open. A chunk: most meetings never open groups.
 */
import { html, nothing } from "lit";
import type { BreakoutAssignment } from "../../../protocol/messages.ts";
import type { RoomSession } from "../../core/room-session.ts";
import type { BreakoutGroups } from "../../core/session/breakout-groups.ts";
import { tb } from "../../internal/breakout-strings.ts";
import { formatNumber, t, type Texts } from "../../internal/strings.ts";

// A chunk of its own, loaded when groups open or a host plans them: its styles and what is
// said and fired about the groups come with it.
export { breakoutPanelStyles } from "./breakout-panel.styles.ts";
export { BreakoutWatch } from "./breakout-watch.ts";

const ASSIGN = [
  ["auto", "assignAuto"],
  ["hand", "assignHand"],
  ["choose", "assignChoose"],
] as const;

/** "4:05": minutes and seconds left. */
function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export class BreakoutPanel {
  #count = 2;
  #assign: BreakoutAssignment = "auto";
  #minutes = 0;
  /** Who goes where when assigned by hand: a person's id → the group's index (-1: stays). */
  #picks = new Map<string, number>();
  #message = "";

  constructor(readonly changed: () => void) {}

  #set(change: () => void): void {
    change();
    this.changed();
  }

  /** The panel, for a session whose call parts are loaded. */
  render(session: RoomSession, s: Texts, closeLabel: string, onClose: () => void) {
    const groups = session.breakouts;
    if (!groups) return nothing;
    const host = session.role === "host";
    return html`
      <aside part="breakouts" class="side" aria-labelledby="breakouts-title">
        <header>
          <h2 id="breakouts-title">${tb(s, "breakoutRooms")}</h2>
          <button type="button" class="close" aria-label=${closeLabel} @click=${onClose}>✕</button>
        </header>
        ${groups.state
          ? this.#openGroups(session, groups, s, host)
          : host
          ? this.#plan(session, groups, s)
          : nothing}
      </aside>
    `;
  }

  /** A host's plan: how many groups, how to fill them, who goes where, a time limit. */
  #plan(session: RoomSession, groups: BreakoutGroups, s: Texts) {
    const names = Array.from({ length: this.#count }, (_, i) => tb(s, "groupName", { n: i + 1 }));
    const people = session.participants.map((p) => ({
      id: p.local ? session.selfId ?? p.id : p.id,
      name: p.local ? t(s, "you", { name: p.name }) : p.name,
    }));
    const open = (e: Event) => {
      e.preventDefault();
      groups.open({
        rooms: names.map((name, i) => ({
          name,
          ...(this.#assign === "hand"
            ? { people: people.filter((p) => this.#picks.get(p.id) === i).map((p) => p.id) }
            : {}),
        })),
        assign: this.#assign,
        ...(this.#minutes > 0 ? { seconds: Math.round(this.#minutes * 60) } : {}),
      });
    };
    return html`
      <form class="plan" @submit=${open}>
        <label>${tb(s, "groupCount")}
          <input type="number" name="count" min="1" max="50" .value=${String(this.#count)}
            @change=${(e: Event) => {
              const n = Math.round(Number((e.target as HTMLInputElement).value));
              this.#set(() => (this.#count = Math.min(50, Math.max(1, n || 1))));
            }} />
        </label>
        <fieldset>
          <legend>${tb(s, "assignHow")}</legend>
          ${ASSIGN.map(([value, key]) =>
            html`<label class="choice"><input type="radio" name="assign" value=${value}
              .checked=${this.#assign === value}
              @change=${() => this.#set(() => (this.#assign = value))} />${tb(s, key)}</label>`
          )}
        </fieldset>
        ${this.#assign === "hand"
          ? html`<ul class="picks">${
            people.map((p) =>
              html`<li><label><span class="who" dir="auto">${p.name}</span>
              <select aria-label=${tb(s, "groupFor", { name: p.name })}
                @change=${(e: Event) => {
                const i = Number((e.target as HTMLSelectElement).value);
                this.#set(() => this.#picks.set(p.id, i));
              }}>
                <option value="-1" ?selected=${(this.#picks.get(p.id) ?? -1) === -1}>${
                tb(
                  s,
                  "mainRoom",
                )
              }</option>
                ${
                names.map((name, i) =>
                  html`<option value=${i} ?selected=${this.#picks.get(p.id) === i}>${name}</option>`
                )
              }
              </select></label></li>`
            )
          }</ul>`
          : nothing}
        <label>${tb(s, "timeLimit")}
          <input type="number" name="minutes" min="0" max="240" step="any"
            .value=${this.#minutes ? String(this.#minutes) : ""}
            @change=${(e: Event) => {
              const n = Number((e.target as HTMLInputElement).value);
              this.#set(() => (this.#minutes = n > 0 ? Math.min(240, n) : 0));
            }} />
        </label>
        <button type="submit" class="primary">${tb(s, "openBreakouts")}</button>
      </form>
    `;
  }

  /** The open groups: who is where; a host moves people, speaks to all, closes; a guest picks. */
  #openGroups(session: RoomSession, groups: BreakoutGroups, s: Texts, host: boolean) {
    const state = groups.state!;
    const mine = groups.group?.id ?? null;
    const self = session.selfId;
    const mayPick = host || state.choose;
    const move = (id: string) => (e: Event) => {
      const to = (e.target as HTMLSelectElement).value;
      groups.move(id, to || null);
    };
    const mover = (id: string, name: string, at: string | null) =>
      host
        ? html`<select aria-label=${tb(s, "groupFor", { name })} @change=${move(id)}>
          <option value="" ?selected=${at === null}>${tb(s, "mainRoom")}</option>
          ${
          state.groups.map((g) =>
            html`<option value=${g.id} ?selected=${g.id === at}>${g.name}</option>`
          )
        }
        </select>`
        : nothing;
    const person = (id: string, name: string, at: string | null) =>
      html`<li><span class="who" dir="auto">${id === self ? t(s, "you", { name }) : name}</span>${
        mover(id, name, at)
      }</li>`;
    // Those in the main room are known when we are there too (they are our roster then).
    const main = mine === null
      ? session.participants.map((p) => ({
        id: p.local ? self ?? p.id : p.id,
        name: p.name,
      }))
      : null;
    return html`
      <div class="groups">
        ${state.groups.map((g) =>
          html`<section aria-labelledby=${`group-${g.id}`}>
            <h3 id=${`group-${g.id}`} dir="auto">${g.name} (${
            formatNumber(s, g.people.length)
          })</h3>
            <ul>${g.people.map((p) => person(p.id, p.name, g.id))}</ul>
            ${
            mayPick && g.id !== mine
              ? html`<button type="button" @click=${() => groups.join(g.id)}>${
                tb(s, "joinGroup", {
                  name: g.name,
                })
              }</button>`
              : nothing
          }
          </section>`
        )}
        ${main
          ? html`
            <section aria-labelledby="group-main">
              <h3 id="group-main">${tb(s, "mainRoom")} (${formatNumber(s, main.length)})</h3>
              <ul>${main.map((p) => person(p.id, p.name, null))}</ul>
            </section>
          `
          : mayPick
          ? html`<button type="button" @click=${() => groups.join(null)}>${
            tb(s, "returnToMain")
          }</button>`
          : nothing}
      </div>
      ${host
        ? html`
          <form class="broadcast" @submit=${(e: Event) => {
            e.preventDefault();
            const text = this.#message.trim();
            if (!text || !groups.say(text)) return;
            // What was typed never went through a redraw: the form itself empties the box.
            (e.target as HTMLFormElement).reset();
            this.#message = "";
          }}>
            <input type="text" maxlength="2000" aria-label=${tb(s, "broadcastLabel")}
              placeholder=${tb(s, "broadcastLabel")} .value=${this.#message}
              @input=${(e: Event) => (this.#message = (e.target as HTMLInputElement).value)} />
            <button type="submit">${tb(s, "sendBroadcast")}</button>
          </form>
          <button type="button" class="danger end" @click=${() => groups.close()}>${tb(
            s,
            "closeBreakouts",
          )}</button>
        `
        : nothing}
    `;
  }

  /** Above the stage while groups are open: where we are, the time left, a host's broadcast. */
  bar(
    session: RoomSession,
    s: Texts,
    secondsLeft: number | null,
    open: boolean,
    onOpen: () => void,
  ) {
    const groups = session.breakouts;
    const state = groups?.state;
    const b = groups?.broadcast;
    const warn = secondsLeft !== null && secondsLeft <= 60;
    return html`${
      state
        ? html`
          <div part="breakout-bar" class=${warn ? "warn" : ""} role="region"
            aria-label=${tb(s, "breakoutRooms")}>
                  <span dir="auto">${groups!.group
                    ? tb(s, "youAreIn", { name: groups!.group.name })
                    : tb(s, "groupsAreOpen")}</span>
                  ${secondsLeft !== null
                    ? html`<span part="breakout-timer">${
                      tb(s, "timeLeft", { time: clock(secondsLeft) })
                    }</span>`
                    : nothing}
                  <button type="button" aria-pressed=${open
                    ? "true"
                    : "false"} @click=${onOpen}>${tb(
                      s,
                      "breakoutRooms",
                    )}</button>
                </div>
        `
        : nothing
    }${
      b
        ? html`
          <div part="broadcast" role="status">
            <span dir="auto">${tb(s, "broadcastFrom", { name: b.name, text: b.text })}</span>
            <button type="button" @click=${() => groups!.putAside()}>${t(s, "dismiss")}</button>
          </div>
        `
        : nothing
    }`;
  }
}
