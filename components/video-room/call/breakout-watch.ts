/**
 * What the page and its visitor hear of breakout groups: the element's
 * `breakouts-changed` and `breakout-changed` events, what is said (moved
 * into a group, back in the main room, a host's broadcast, one minute
 * left), and the clock that redraws the time left each second while a
 * timer runs. Groups that were open before the call screen loaded (a late
 * joiner) are told once, as it starts.
 */
import type { RoomSession } from "../../core/room-session.ts";
import type { BreakoutState } from "../../core/session/breakout-groups.ts";
import { tb } from "../../internal/breakout-strings.ts";
import { fire } from "../../internal/events.ts";
import type { Texts } from "../../internal/strings.ts";
import { summary } from "../room-events.ts";

/** How close to the end the one-minute warning comes. */
export const WARN_BEFORE_MS = 60_000;

export class BreakoutWatch {
  #told: BreakoutState | null = null;
  #group: string | null = null;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** The end whose warning was given. */
  #warned: number | null = null;
  readonly #off: Array<() => void>;

  constructor(
    readonly host: HTMLElement & { readonly texts: Texts },
    readonly session: RoomSession,
    readonly say: (text: string) => void,
    readonly changed: () => void,
  ) {
    this.#off = [
      // The groups first (their change comes first); ours with who moved us.
      session.on("breakouts", () => this.#follow(null, false)),
      session.on("breakout", ({ by }) => {
        this.#follow(by ? summary(by, session.selfId) : null, true);
      }),
      session.on("broadcast", (b) => {
        this.say(tb(this.host.texts, "broadcastFrom", { name: b.name, text: b.text }));
      }),
    ];
    this.#follow(null, true);
  }

  /** Seconds left on the timer (null: no timer). */
  get secondsLeft(): number | null {
    const endsAt = this.session.breakouts?.state?.endsAt;
    return endsAt == null ? null : Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  }

  #follow(by: ReturnType<typeof summary> | null, ours: boolean): void {
    const groups = this.session.breakouts;
    const state = groups?.state ?? null;
    if (state !== this.#told) {
      this.#told = state;
      fire(this.host, "breakouts-changed", { breakouts: state });
    }
    const group = groups?.group ?? null;
    if (ours && (group?.id ?? null) !== this.#group) {
      const was = this.#group;
      this.#group = group?.id ?? null;
      fire(this.host, "breakout-changed", { breakout: group, by });
      const s = this.host.texts;
      if (group) this.say(tb(s, "movedInto", { name: group.name }));
      else if (was !== null) this.say(tb(s, "backInMain"));
    }
    this.#clock(state?.endsAt ?? null);
    this.changed();
  }

  /** While a timer runs: a redraw each second, and the warning once, a minute before the end. */
  #clock(endsAt: number | null): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    if (endsAt === null) return;
    const tick = () => {
      const left = endsAt - Date.now();
      if (left <= WARN_BEFORE_MS && this.#warned !== endsAt) {
        this.#warned = endsAt;
        this.say(tb(this.host.texts, "closingSoon"));
      }
      // Past the end the server brings everyone back; the clock stops with the groups.
      if (left < -5000) clearInterval(this.#ticker);
      this.changed();
    };
    this.#ticker = setInterval(tick, 1000);
    tick();
  }

  dispose(): void {
    clearInterval(this.#ticker);
    for (const off of this.#off.splice(0)) off();
  }
}
