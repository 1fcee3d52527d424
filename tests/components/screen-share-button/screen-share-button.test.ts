/// <reference path="../mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent } from "@open-wc/testing";
import "../../../components/screen-share-button/screen-share-button.ts";
import type { ScreenShareButton } from "../../../components/screen-share-button/screen-share-button.ts";

const button = (el: ScreenShareButton) => el.shadowRoot!.querySelector("button")!;

describe("<screen-share-button>", () => {
  it("asks to start, then to stop; aria-pressed follows sharing", async () => {
    const el = await fixture<ScreenShareButton>(html`<screen-share-button></screen-share-button>`);
    expect(button(el).getAttribute("aria-pressed")).to.equal("false");
    expect(button(el).textContent!.trim()).to.equal("Share screen");
    setTimeout(() => button(el).click());
    const start = await oneEvent(el, "screen-share-toggle");
    expect(start.detail).to.deep.equal({ sharing: true });
    expect(start.bubbles && start.composed).to.be.true;
    el.sharing = true;
    await el.updateComplete;
    expect(el.hasAttribute("sharing")).to.be.true;
    expect(button(el).getAttribute("aria-pressed")).to.equal("true");
    expect(button(el).textContent!.trim()).to.equal("Stop sharing");
    setTimeout(() => button(el).click());
    expect((await oneEvent(el, "screen-share-toggle")).detail).to.deep.equal({ sharing: false });
    await expect(el).to.be.accessible();
  });

  it("works from the keyboard", async () => {
    const el = await fixture<ScreenShareButton>(html`<screen-share-button></screen-share-button>`);
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(button(el));
  });

  it("is disabled with the reason where getDisplayMedia does not exist", async () => {
    const proto = MediaDevices.prototype as { getDisplayMedia?: unknown };
    const original = Object.getOwnPropertyDescriptor(proto, "getDisplayMedia")!;
    delete proto.getDisplayMedia;
    try {
      const el = await fixture<ScreenShareButton>(
        html`<screen-share-button></screen-share-button>`,
      );
      expect(button(el).disabled).to.be.true;
      const reason = el.shadowRoot!.querySelector('[part="reason"]')!;
      expect(reason.textContent).to.equal("Screen sharing is not supported in this browser");
      expect(button(el).getAttribute("aria-describedby")).to.equal(reason.id);
      await expect(el).to.be.accessible();
    } finally {
      Object.defineProperty(proto, "getDisplayMedia", original);
    }
  });
});
