/// <reference path="../mocha-globals.d.ts" />
import { expect, fixture, html } from "@open-wc/testing";
import "../../../components/peer-tile/peer-tile.ts";
import { initials, type PeerTile } from "../../../components/peer-tile/peer-tile.ts";
import { frameRendered, until } from "../test-helpers.ts";

const part = (el: PeerTile, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`);

describe("<peer-tile>", () => {
  it("initials: up to two letters from first and last word", () => {
    expect(initials("Ana Maria Lopez")).to.equal("AL");
    expect(initials("  bo ")).to.equal("B");
    expect(initials("Émile zola")).to.equal("ÉZ");
    expect(initials("")).to.equal("?");
  });

  it("shows the initials avatar and indicators when video and mic are off", async () => {
    const el = await fixture<PeerTile>(html`
      <peer-tile name="Ana Lopez" audio-muted video-off connection="connected"></peer-tile>
    `);
    expect(part(el, "avatar")!.textContent!.trim()).to.equal("AL");
    expect(part(el, "video")!.hasAttribute("hidden")).to.be.true;
    const labels = [...el.shadowRoot!.querySelectorAll('[part="indicator"]')].map((i) =>
      i.getAttribute("aria-label")
    );
    expect(labels).to.deep.equal(["Microphone off", "Camera off"]);
    expect(part(el, "label")!.textContent).to.contain("Ana Lopez");
    expect(part(el, "status")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("plays a stream: own tile mirrored and muted", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    try {
      const el = await fixture<PeerTile>(html`
        <peer-tile name="Me" local .stream=${stream} connection="self"></peer-tile>
      `);
      const video = part(el, "video") as HTMLVideoElement;
      expect(video.srcObject).to.equal(stream);
      expect(video.muted).to.be.true;
      // Safari's rules: inline (no fullscreen takeover on iPhones), autoplaying, muted when ours.
      expect(video.autoplay && video.hasAttribute("playsinline")).to.be.true;
      expect(getComputedStyle(video).transform).to.equal("matrix(-1, 0, 0, 1, 0, 0)");
      expect(part(el, "avatar")).to.equal(null);
      expect(part(el, "label")!.textContent).to.contain("Me (you)");
      await frameRendered(video);
      await expect(el).to.be.accessible();
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it("a remote tile plays sound; a screen tile is not mirrored and is labelled", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    try {
      const el = await fixture<PeerTile>(html`
        <peer-tile name="Bo" .stream=${stream} connection="connected"></peer-tile>
      `);
      const video = part(el, "video") as HTMLVideoElement;
      await frameRendered(video);
      expect(video.muted).to.be.false;
      el.screen = true;
      await el.updateComplete;
      expect(getComputedStyle(video).transform).to.equal("none");
      expect(getComputedStyle(video).objectFit).to.equal("contain");
      expect(part(el, "label")!.textContent).to.contain("Bo's screen");
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it("shows speaking and connection state", async () => {
    const el = await fixture<PeerTile>(
      html`<peer-tile name="Bo" connection="connecting"></peer-tile>`,
    );
    expect(part(el, "status")!.textContent).to.equal("Connecting…");
    el.connection = "failed";
    el.speaking = true;
    await el.updateComplete;
    expect(part(el, "status")!.textContent).to.equal("Connection lost");
    expect(getComputedStyle(part(el, "base")!).boxShadow).to.not.equal("none");
  });

  it("where sound waits for a gesture: the picture plays muted, and a tap anywhere brings the sound to every tile", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const realPlay = HTMLMediaElement.prototype.play;
    let blocked = true; // Safari's rule until the person touches the page
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      return blocked && !this.muted
        ? Promise.reject(new DOMException("needs a gesture", "NotAllowedError"))
        : realPlay.call(this);
    };
    try {
      const box = await fixture<HTMLElement>(html`
        <div>
          <peer-tile name="Bo" .stream=${stream} connection="connected"></peer-tile>
          <peer-tile name="Cy" .stream=${stream} connection="connected"></peer-tile>
        </div>
      `);
      const [bo, cy] = [...box.querySelectorAll("peer-tile")] as PeerTile[];
      const button = () => bo.shadowRoot!.querySelector("button");
      await until(() => button() !== null, "the sound button");
      expect(button()!.textContent).to.equal("Play sound from Bo");
      const video = part(bo, "video") as HTMLVideoElement;
      await frameRendered(video); // the picture is not held back with the sound
      expect(video.muted).to.be.true;
      await expect(bo).to.be.accessible();
      blocked = false;
      document.body.click(); // a tap elsewhere on the page
      await until(() => button() === null && !video.muted, "sound after the gesture");
      await until(() => !(part(cy, "video") as HTMLVideoElement).muted, "the other tile too");
      expect(cy.shadowRoot!.querySelector("button")).to.equal(null);
    } finally {
      HTMLMediaElement.prototype.play = realPlay;
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it("a video the system paused while the page was hidden plays again when it is back in view", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    try {
      const el = await fixture<PeerTile>(html`
        <peer-tile name="Bo" .stream=${stream} connection="connected"></peer-tile>
      `);
      const video = part(el, "video") as HTMLVideoElement;
      await frameRendered(video);
      video.pause(); // what iOS does to a call behind the lock screen
      document.dispatchEvent(new Event("visibilitychange"));
      await until(() => !video.paused, "playing again");
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it("uses replacement strings", async () => {
    const el = await fixture<PeerTile>(html`
      <peer-tile name="Ana" local audio-muted .strings=${{
        you: "{name} (du)",
        micOff: "Stumm",
      }}></peer-tile>
    `);
    expect(part(el, "label")!.textContent).to.contain("Ana (du)");
    expect(part(el, "indicator")!.getAttribute("aria-label")).to.equal("Stumm");
  });
});
