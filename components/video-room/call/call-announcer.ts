/**
 * What a screen reader hears of the call, in the language in use, through
 * one polite live region: who joined and left (summed up when several come
 * or go together, so a big room does not flood), a raised hand, a chat
 * message while the chat is closed (name and text), a recording started or
 * stopped, and, for hosts, who knocks. Being muted or removed by a host is said by the banner and the
 * screen that follow (themselves live regions).
 */
import { html } from "lit";
import type { RoomSession } from "../../core/room-session.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { t, type Texts } from "../../internal/strings.ts";

/** Joins and leaves this close together are said as one ("12 people joined"). */
export const ANNOUNCE_BATCH_MS = 1000;
export class CallAnnouncer {
  /**
   * Two lines, written in turn, the other emptied: a new text always lands
   * in an empty line, so it is heard even when it repeats the last one.
   */
  said: readonly [string, string] = ["", ""];
  #turn = 0;
  #joined: string[] = [];
  #left: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #off: Array<() => void>;

  constructor(
    session: RoomSession,
    readonly texts: () => Texts,
    /** Whether the chat is open (its messages are read there, not said). */
    chatOpen: () => boolean,
    readonly changed: () => void,
    /** What a knock says (the host tools' text; knocks come only to hosts, who have them). */
    knock: (name: string) => string | null,
  ) {
    this.#off = [
      session.on("peer-joined", (p) => this.#batch(this.#joined, p.name)),
      session.on("peer-left", (p) => this.#batch(this.#left, p.name)),
      session.on("hand", ({ participant, raised }) => {
        if (raised && !participant.local) {
          this.say(tm(this.texts(), "handRaisedBy", { name: participant.name }));
        }
      }),
      session.on("chat", (m) => {
        if (!m.local && !chatOpen()) {
          this.say(tm(this.texts(), "messageFrom", { name: m.name, text: m.text }));
        }
      }),
      session.on("recording", ({ recording, by }) => {
        const s = this.texts();
        this.say(
          recording
            ? tm(s, "recordingStartedBy", { name: by?.name ?? t(s, "aHost") })
            : tm(s, "recordingStopped"),
        );
      }),
      session.on("knock", (k) => {
        const text = knock(k.name);
        if (text) this.say(text);
      }),
    ];
  }

  say(text: string): void {
    this.#turn = 1 - this.#turn;
    this.said = this.#turn ? ["", text] : [text, ""];
    this.changed();
  }

  #batch(list: string[], name: string): void {
    list.push(name);
    this.#timer ??= setTimeout(() => this.#flush(), ANNOUNCE_BATCH_MS);
  }

  #flush(): void {
    this.#timer = undefined;
    const s = this.texts();
    const [joined, left] = [this.#joined.splice(0), this.#left.splice(0)];
    if (joined.length === 1) this.say(tm(s, "personJoined", { name: joined[0] }));
    else if (joined.length) this.say(tm(s, "peopleJoined", { n: joined.length }));
    if (left.length === 1) this.say(tm(s, "personLeft", { name: left[0] }));
    else if (left.length) this.say(tm(s, "peopleLeft", { n: left.length }));
  }

  dispose(): void {
    clearTimeout(this.#timer);
    for (const off of this.#off.splice(0)) off();
  }

  /** The live region: present from the start of the call, so what is said in it is heard. */
  render() {
    return html`
      <div part="announcer" class="visually-hidden" role="log" aria-live="polite">
        <p>${this.said[0]}</p>
        <p>${this.said[1]}</p>
      </div>
    `;
  }
}
