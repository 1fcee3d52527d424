import { html, LitElement, nothing, type PropertyValues } from "lit";
import { LIMITS } from "../../protocol/messages.ts";
import { charCount, hasVisibleText } from "../../protocol/text-rules.ts";
import type { ChatMessageDetail } from "../internal/events.ts";
import { fire } from "../internal/events.ts";
import { LANG, type RoomStrings, type Texts } from "../internal/strings.ts";
import { tc } from "../internal/chat-strings.ts";
import { chatPanelStyles } from "./chat-panel.styles.ts";

/** Chat times as the language writes them (the browser's own when no language is given). */
const timeFormats = new Map<string | undefined, Intl.DateTimeFormat>();
function timeFormat(lang: string | undefined): Intl.DateTimeFormat {
  let f = timeFormats.get(lang);
  if (!f) timeFormats.set(lang, f = new Intl.DateTimeFormat(lang, { timeStyle: "short" }));
  return f;
}

/**
 * @tagname chat-panel
 * @summary The room's chat: messages with name, local time and text (always
 * plain text), and an input where Enter sends and Shift+Enter adds a line.
 *
 * @fires chat-send - The user submitted a message; `detail.text`. Cancel it to keep the text.
 *
 * @csspart list - The message list.
 * @csspart message - One message.
 * @csspart text - A message's text.
 * @csspart form - The input area.
 * @csspart input - The text area.
 * @csspart send - The send button.
 * @csspart counter - The characters-left counter.
 *
 * @cssprop --chat-panel-background - Panel background.
 * @cssprop --chat-panel-color - Text color.
 * @cssprop --chat-panel-accent - Send button and focus color.
 * @cssprop --chat-panel-radius - Corner radius.
 * @cssprop --chat-panel-gap - Inner spacing.
 */
export class ChatPanel extends LitElement {
  static override styles = chatPanelStyles;
  static override properties = {
    messages: { attribute: false },
    maxLength: { type: Number, attribute: "max-length" },
    disabled: { type: Boolean, reflect: true },
    strings: { attribute: false },
    _draft: { state: true },
  };

  /** Messages to show, oldest first. */
  declare messages: readonly ChatMessageDetail[];
  /** Longest message, in characters. */
  declare maxLength: number;
  /** Disables sending (e.g. while reconnecting). */
  declare disabled: boolean;
  /** Replacement texts. */
  declare strings: Texts | Partial<RoomStrings> | undefined;
  /** @internal */
  declare _draft: string;
  #stickToBottom = true;

  constructor() {
    super();
    this.messages = [];
    this.maxLength = LIMITS.chatMax;
    this.disabled = false;
    this._draft = "";
  }

  get #list(): HTMLElement | null {
    return this.renderRoot.querySelector("[part=list]");
  }

  override render() {
    const s = this.strings;
    const left = this.maxLength - charCount(this._draft);
    const canSend = !this.disabled && hasVisibleText(this._draft) && left >= 0;
    return html`
      <ol part="list" aria-live="polite" aria-relevant="additions" @scroll=${this.#onScroll}>
        ${this.messages.length === 0
          ? html`<li class="empty">${tc(s, "noMessages")}</li>`
          : nothing}
        ${this.messages.map((m) =>
          html`
            <li part="message">
              <span class="meta">
                <span class="who" dir="auto">${m.name}</span>
                <time datetime=${new Date(m.ts).toISOString()}>${timeFormat(
                  (s as Texts | undefined)?.[LANG],
                ).format(m.ts)}</time>
              </span>
              <span part="text" dir="auto">${m.text}</span>
            </li>
          `
        )}
      </ol>
      <form part="form" @submit=${this.#onSubmit}>
        <textarea
          part="input"
          rows="1"
          aria-label=${tc(s, "messagePlaceholder")}
          placeholder=${tc(s, "messagePlaceholder")}
          .value=${this._draft}
          ?disabled=${this.disabled}
          @input=${this.#onInput}
          @keydown=${this.#onKeyDown}
        ></textarea>
        <button part="send" type="submit" ?disabled=${!canSend}>${tc(s, "send")}</button>
        ${left <= 200
          ? html`
            <span part="counter" class=${left < 0 ? "over" : ""} aria-live="polite">
              ${tc(s, "charactersLeft", { n: left })}
            </span>
          `
          : nothing}
      </form>
    `;
  }

  /** Moves keyboard focus to the message input. */
  override focus(): void {
    this.renderRoot.querySelector("textarea")?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("messages")) {
      const list = this.#list;
      // Follow new messages unless the reader scrolled up to read older ones.
      this.#stickToBottom = !list || list.scrollHeight - list.scrollTop - list.clientHeight < 24;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const list = this.#list;
    if (changed.has("messages") && list && this.#stickToBottom) {
      list.scrollTop = list.scrollHeight;
    }
  }

  #onScroll = () => {
    const list = this.#list!;
    this.#stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  };

  #onInput = (e: Event) => {
    this._draft = (e.target as HTMLTextAreaElement).value;
  };

  #onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#send();
    }
  };

  #onSubmit = (e: Event) => {
    e.preventDefault();
    this.#send();
  };

  #send(): void {
    const text = this._draft;
    if (this.disabled || !hasVisibleText(text) || charCount(text) > this.maxLength) return;
    if (fire(this, "chat-send", { text })) this._draft = "";
  }
}
