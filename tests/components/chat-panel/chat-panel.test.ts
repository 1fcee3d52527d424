/// <reference path="../mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent } from "@open-wc/testing";
import "../../../components/chat-panel/chat-panel.ts";
import type { ChatPanel } from "../../../components/chat-panel/chat-panel.ts";
import type { ChatMessageDetail } from "../../../components/internal/events.ts";
import { LANG } from "../../../components/internal/strings.ts";

const msg = (text: string, name = "Ana", ts = Date.UTC(2026, 0, 1, 9, 30)): ChatMessageDetail => ({
  from: "p1",
  name,
  text,
  ts,
  local: false,
});

function input(el: ChatPanel): HTMLTextAreaElement {
  return el.shadowRoot!.querySelector("textarea")!;
}

function type(el: ChatPanel, text: string) {
  const ta = input(el);
  ta.value = text;
  ta.dispatchEvent(new Event("input"));
}

describe("<chat-panel>", () => {
  it("shows name, local time and text", async () => {
    const ts = Date.UTC(2026, 0, 1, 9, 30);
    const el = await fixture<ChatPanel>(
      html`<chat-panel .messages=${[msg("hello", "Ana", ts)]}></chat-panel>`,
    );
    const item = el.shadowRoot!.querySelector('[part="message"]')!;
    expect(item.querySelector(".who")!.textContent).to.equal("Ana");
    expect(item.querySelector('[part="text"]')!.textContent).to.equal("hello");
    const time = item.querySelector("time")!;
    expect(time.getAttribute("datetime")).to.equal(new Date(ts).toISOString());
    expect(time.textContent).to.equal(
      new Intl.DateTimeFormat(undefined, { timeStyle: "short" }).format(ts),
    );
    await expect(el).to.be.accessible();
  });

  it("writes times the way the chosen language does", async () => {
    const ts = Date.UTC(2026, 0, 1, 21, 5);
    const el = await fixture<ChatPanel>(
      html`<chat-panel .strings=${{ [LANG]: "ko" }} .messages=${[
        msg("hi", "Ana", ts),
      ]}></chat-panel>`,
    );
    const time = el.shadowRoot!.querySelector("time")!.textContent!;
    expect(time).to.equal(new Intl.DateTimeFormat("ko", { timeStyle: "short" }).format(ts));
    // Korean writes the half of the day as a word (오전/오후), unlike the English default.
    expect(time).to.match(/오전|오후/);
  });

  it("renders HTML in a message as text, never as markup", async () => {
    const evil = `<img src=x onerror="window.__pwned = true"><b>bold</b>`;
    const el = await fixture<ChatPanel>(
      html`<chat-panel .messages=${[msg(evil, "<i>Eve</i>")]}></chat-panel>`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const text = el.shadowRoot!.querySelector('[part="text"]')!;
    expect(text.textContent).to.equal(evil);
    expect(text.querySelector("img, b")).to.equal(null);
    expect(el.shadowRoot!.querySelector(".who")!.textContent).to.equal("<i>Eve</i>");
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it("Enter sends, Shift+Enter does not, and the input clears", async () => {
    const el = await fixture<ChatPanel>(html`<chat-panel></chat-panel>`);
    type(el, "line one");
    await el.updateComplete;
    const shift = new KeyboardEvent("keydown", { key: "Enter", shiftKey: true, cancelable: true });
    input(el).dispatchEvent(shift);
    expect(shift.defaultPrevented).to.be.false; // the textarea adds the newline
    type(el, "line one\nline two");
    await el.updateComplete;
    setTimeout(() =>
      input(el).dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", cancelable: true }))
    );
    const ev = await oneEvent(el, "chat-send");
    expect(ev.detail).to.deep.equal({ text: "line one\nline two" });
    expect(ev.bubbles && ev.composed).to.be.true;
    await el.updateComplete;
    expect(input(el).value).to.equal("");
  });

  it("keeps the draft when the host cancels the send", async () => {
    const el = await fixture<ChatPanel>(
      html`<chat-panel @chat-send=${(e: Event) => e.preventDefault()}></chat-panel>`,
    );
    type(el, "not yet");
    await el.updateComplete;
    (el.shadowRoot!.querySelector('[part="send"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(input(el).value).to.equal("not yet");
  });

  it("shows the length limit and refuses to send past it", async () => {
    const el = await fixture<ChatPanel>(html`<chat-panel max-length="10"></chat-panel>`);
    let sent = 0;
    el.addEventListener("chat-send", () => sent++);
    type(el, "12345678");
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="counter"]')!.textContent!.trim()).to.equal(
      "2 characters left",
    );
    type(el, "12345678901");
    await el.updateComplete;
    const counter = el.shadowRoot!.querySelector('[part="counter"]')!;
    expect(counter.classList.contains("over")).to.be.true;
    expect((el.shadowRoot!.querySelector('[part="send"]') as HTMLButtonElement).disabled).to.be
      .true;
    input(el).dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", cancelable: true }));
    expect(sent).to.equal(0);
  });

  it("follows new messages unless the reader scrolled up", async () => {
    const many = Array.from({ length: 40 }, (_, i) => msg(`message ${i}`));
    const el = await fixture<ChatPanel>(
      html`<chat-panel style="height: 200px" .messages=${many}></chat-panel>`,
    );
    const list = el.shadowRoot!.querySelector('[part="list"]') as HTMLElement;
    const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 2;
    expect(atBottom()).to.be.true;
    el.messages = [...many, msg("new")];
    await el.updateComplete;
    expect(atBottom()).to.be.true;
    list.scrollTop = 0;
    list.dispatchEvent(new Event("scroll"));
    el.messages = [...el.messages, msg("newer")];
    await el.updateComplete;
    expect(list.scrollTop).to.equal(0);
    expect(list.getAttribute("aria-live")).to.equal("polite");
  });
});
