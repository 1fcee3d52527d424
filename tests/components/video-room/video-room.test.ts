/// <reference path="../mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent } from "@open-wc/testing";
import "../../../components/video-room/video-room.ts";
import { resolveServerUrl, type VideoRoom } from "../../../components/video-room/video-room.ts";
import type { PeerTile } from "../../../components/peer-tile/peer-tile.ts";
import type { ChatPanel } from "../../../components/chat-panel/chat-panel.ts";
import { canCaptureScreen, signalingUrl, uniqueRoom, until } from "../test-helpers.ts";

const $ = <T extends Element>(el: VideoRoom, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element>(el: VideoRoom, sel: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(sel),
];
const tiles = (el: VideoRoom) => $$<PeerTile>(el, "peer-tile");
const tileOf = (el: VideoRoom, name: string) => tiles(el).find((t) => t.name === name && !t.screen);
const control = (el: VideoRoom, label: string) =>
  $$<HTMLButtonElement>(el, '[part~="control"]').find((b) =>
    (b.getAttribute("aria-label") ?? b.textContent ?? "").includes(label)
  )!;

/** Two rooms on one page, joined to the same meeting. */
async function twoRooms() {
  const server = await signalingUrl();
  const room = uniqueRoom();
  const wrap = await fixture<HTMLDivElement>(html`
    <div
      style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
      <video-room id="a" room=${room} name="Ana" server=${server} autojoin></video-room>
      <video-room id="b" room=${room} name="Bo" server=${server} autojoin></video-room>
    </div>
  `);
  const a = wrap.querySelector<VideoRoom>("#a")!;
  const b = wrap.querySelector<VideoRoom>("#b")!;
  await until(() => tileOf(a, "Bo") && tileOf(b, "Ana"), "each sees the other");
  return { a, b, room };
}

describe("<video-room>", () => {
  it("resolves the server URL", () => {
    expect(resolveServerUrl("", "https://site.example/blog/post")).to.equal(
      "wss://site.example/ws",
    );
    expect(resolveServerUrl(null, "http://localhost:8000/")).to.equal("ws://localhost:8000/ws");
    expect(resolveServerUrl("wss://sig.example/ws", "https://x/")).to.equal("wss://sig.example/ws");
    expect(resolveServerUrl("/signal", "https://x/a")).to.equal("wss://x/signal");
  });

  it("shows a pre-join screen: camera preview, name field, Join", async () => {
    const el = await fixture<VideoRoom>(
      html`<video-room room=${uniqueRoom()} server=${await signalingUrl()}></video-room>`,
    );
    expect(el.state).to.equal("idle");
    const preview = await until(() => $<PeerTile>(el, '[part="preview"]'), "preview");
    await until(() => el.localStream?.getVideoTracks().length, "camera preview stream");
    expect(preview.stream).to.equal(el.localStream);
    const input = $<HTMLInputElement>(el, "input[name=name]")!;
    expect(input.labels?.[0]?.textContent).to.contain("Your name");
    expect($<HTMLButtonElement>(el, "button[type=submit]")!.textContent).to.equal("Join");
    await expect(el).to.be.accessible();
    // Typing a name and pressing Join joins under that name.
    input.value = "Carla";
    input.dispatchEvent(new Event("input"));
    setTimeout(() => $<HTMLButtonElement>(el, "button[type=submit]")!.click());
    const joined = await oneEvent(el, "room-joined");
    expect(joined.detail.room).to.equal(el.room);
    expect(el.state).to.equal("joined");
    await until(() => tileOf(el, "Carla"), "own tile with the typed name");
    el.leave();
  });

  it("pre-join: Settings shows the cameras and microphones, which switch live", async () => {
    const el = await fixture<VideoRoom>(
      html`<video-room room=${uniqueRoom()} server=${await signalingUrl()}></video-room>`,
    );
    // Behind a toggle, so a small embed keeps the name field and Join in view.
    expect($$<HTMLSelectElement>(el, "select")).to.have.length(0);
    const settings = control(el, "Settings");
    expect(settings.getAttribute("aria-expanded")).to.equal("false");
    settings.click();
    await el.updateComplete;
    expect(settings.getAttribute("aria-expanded")).to.equal("true");
    const selects = await until(() => {
      const found = $$<HTMLSelectElement>(el, "select");
      return found.length === 2 && found.every((s) => !s.disabled) && found;
    }, "device lists");
    const [camera, mic] = selects;
    expect(camera.closest("label")!.textContent).to.contain("Camera");
    expect(mic.closest("label")!.textContent).to.contain("Microphone");
    const before = el.localStream!.getAudioTracks()[0];
    // The one in use is the one chosen.
    expect(mic.value).to.equal(before.getSettings().deviceId);
    // Chromium's fake devices offer several inputs; Firefox's offer one (nothing to switch to).
    const other = [...mic.options].find((o) => o.value !== before.getSettings().deviceId);
    if (other) {
      mic.value = other.value;
      mic.dispatchEvent(new Event("change"));
      await until(() => el.localStream!.getAudioTracks()[0] !== before, "new microphone track");
      expect(el.localStream!.getAudioTracks()[0].getSettings().deviceId).to.equal(other.value);
      expect(before.readyState).to.equal("ended");
    }
    await expect(el).to.be.accessible();
  });

  it("a browser without WebRTC is told so before joining, joins for chat, and nobody dials it", async () => {
    const server = await signalingUrl();
    const room = uniqueRoom();
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 1000px; --video-room-height: 520px"></div>`,
    );
    const errors: string[] = [];
    const uncaught: string[] = [];
    const onError = (e: ErrorEvent) => uncaught.push(String(e.message));
    globalThis.addEventListener("error", onError);
    // Ana's browser can make calls; then one that cannot (as Debian's WebKitGTK).
    const ana = Object.assign(document.createElement("video-room"), { room, server, name: "Ana" });
    ana.autojoin = true;
    wrap.append(ana);
    await until(() => ana.state === "joined", "Ana in");
    const native = Object.getOwnPropertyDescriptor(globalThis, "RTCPeerConnection")!;
    delete (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection;
    let bo: VideoRoom;
    try {
      bo = Object.assign(document.createElement("video-room"), { room, server, name: "Bo" });
      bo.addEventListener("room-error", (e) => errors.push(e.detail.code));
      wrap.append(bo);
      const said = await until(
        () => bo.shadowRoot!.querySelector('[part="banner"].error[role="alert"]')?.textContent,
        "the reason shown before joining",
      );
      expect(said).to.contain("no WebRTC");
      expect(said).to.contain("You can still join to chat");
      expect(errors).to.deep.equal(["unsupported"]);
      expect(bo.localStream!.getTracks()).to.have.length(0); // the camera never came on
      $$<HTMLButtonElement>(bo, "button").find((b) => b.textContent!.trim() === "Join")!.click();
      await until(() => bo.state === "joined", "Bo in, for chat");
      // Ana sees Bo's tile say why there is no picture: no "Connecting…", no retry loop.
      const boAtAna = await until(() => tileOf(ana, "Bo"), "Bo's tile at Ana");
      await until(
        () =>
          boAtAna.shadowRoot!.querySelector('[part="status"]')?.textContent?.includes(
            "No audio or video in this browser",
          ),
        "Bo's tile explains",
      );
      await until(() => tileOf(bo, "Ana")?.connection === "none", "Ana's tile at Bo");
      // Chat crosses both ways.
      setTimeout(() => bo.sendChat("hello from a browser without video"));
      expect((await oneEvent(ana, "chat-message")).detail.text).to.contain("without video");
      const atBo: string[] = [];
      bo.addEventListener("chat-message", (e) => atBo.push(e.detail.text));
      ana.sendChat("we read you");
      await until(() => atBo.includes("we read you"), "Ana's reply at Bo");
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      Object.defineProperty(globalThis, "RTCPeerConnection", native);
      globalThis.removeEventListener("error", onError);
    }
    expect(uncaught).to.deep.equal([]);
    // Nobody tried to connect: Ana's transport holds no connection at all.
    expect(ana.peers.find((p) => p.name === "Bo")!.connection).to.equal("none");
    ana.leave();
    bo.leave();
  });

  it("pre-join: a microphone plugged in while Settings is open appears in the list", async () => {
    let extra: MediaDeviceInfo[] = [];
    const original = MediaDevices.prototype.enumerateDevices;
    MediaDevices.prototype.enumerateDevices = async function () {
      return [...(await original.call(this)), ...extra];
    };
    try {
      const el = await fixture<VideoRoom>(
        html`<video-room room=${uniqueRoom()} server=${await signalingUrl()}></video-room>`,
      );
      control(el, "Settings").click();
      const mic = await until(() => {
        const s = $$<HTMLSelectElement>(el, "select")[1];
        return s && !s.disabled && s;
      }, "microphone list");
      const count = mic.options.length;
      extra = [{
        deviceId: "usb-headset",
        groupId: "g",
        kind: "audioinput",
        label: "USB headset",
        toJSON() {},
      }];
      navigator.mediaDevices.dispatchEvent(new Event("devicechange"));
      await until(() => mic.options.length === count + 1, "the new microphone listed");
      expect([...mic.options].map((o) => o.textContent)).to.include("USB headset");
    } finally {
      MediaDevices.prototype.enumerateDevices = original;
    }
  });

  it("two rooms meet: tiles, events, properties, accessibility", async () => {
    const { a, b } = await twoRooms();
    expect(a.peers.map((p) => p.name)).to.deep.equal(["Bo"]);
    expect(tileOf(a, "Ana")!.local).to.be.true;
    await until(() => tileOf(a, "Bo")!.stream?.getVideoTracks().length, "Bo's video at Ana");
    await until(() => tileOf(a, "Bo")!.connection === "connected", "connected");
    const toolbar = $(a, '[part="controls"]')!;
    expect(toolbar.getAttribute("role")).to.equal("toolbar");
    await expect(a).to.be.accessible();
    a.leave();
    b.leave();
  });

  it("mic and camera buttons toggle, and the other side shows indicators", async () => {
    const { a, b } = await twoRooms();
    const mic = control(a, "Microphone");
    expect(mic.getAttribute("aria-pressed")).to.equal("true");
    mic.click();
    await a.updateComplete;
    expect(mic.getAttribute("aria-pressed")).to.equal("false");
    await until(() => tileOf(b, "Ana")!.audioMuted, "muted indicator at Bo");
    control(a, "Camera").click();
    await until(() => tileOf(b, "Ana")!.videoOff, "camera-off at Bo");
    await until(() => tileOf(b, "Ana")!.shadowRoot!.querySelector('[part="avatar"]'), "avatar");
    expect(a.localStream!.getVideoTracks()).to.have.length(0);
    expect(await b.toggleVideo()).to.equal(false);
    await until(() => tileOf(a, "Bo")!.videoOff, "Bo's camera off at Ana");
    a.leave();
    b.leave();
  });

  it("mute and camera off clicked before the devices are up are kept", async () => {
    const original = MediaDevices.prototype.getUserMedia;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A browser slow to grant the devices (a permission prompt, a busy machine).
    MediaDevices.prototype.getUserMedia = async function (c) {
      const stream = await original.call(this, c);
      await gate;
      return stream;
    };
    try {
      const server = await signalingUrl();
      const room = uniqueRoom();
      const wrap = await fixture<HTMLDivElement>(html`
        <div
          style="display: grid; grid-template-columns: 1fr 1fr; width: 1240px; --video-room-height: 520px">
          <video-room id="a" room=${room} name="Ana" server=${server} autojoin></video-room>
          <video-room id="b" room=${room} name="Bo" server=${server}></video-room>
        </div>
      `);
      const a = wrap.querySelector<VideoRoom>("#a")!;
      const b = wrap.querySelector<VideoRoom>("#b")!;
      const mic = await until(() => control(a, "Microphone"), "Ana's call controls");
      expect(mic.getAttribute("aria-pressed")).to.equal("true");
      expect(mic.disabled).to.be.false;
      mic.click();
      control(a, "Camera").click();
      await a.updateComplete;
      expect(mic.getAttribute("aria-pressed")).to.equal("false");
      expect(control(a, "Camera").getAttribute("aria-pressed")).to.equal("false");
      release();
      await b.join();
      await until(
        () => tileOf(b, "Ana")?.audioMuted && tileOf(b, "Ana")?.videoOff,
        "Ana off at Bo",
      );
      await until(() => a.localStream!.getAudioTracks().length === 1, "Ana's mic up");
      expect(a.localStream!.getAudioTracks()[0].enabled).to.be.false;
      expect(a.localStream!.getVideoTracks()).to.have.length(0);
      a.leave();
      b.leave();
    } finally {
      MediaDevices.prototype.getUserMedia = original;
    }
  });

  it("chat: unread badge, panel, message at the other side, HTML as text", async () => {
    const { a, b } = await twoRooms();
    setTimeout(() => a.sendChat("<img src=x onerror=alert(1)> hi"));
    const ev = await oneEvent(b, "chat-message");
    expect(ev.detail.name).to.equal("Ana");
    expect(ev.detail.local).to.be.false;
    await b.updateComplete;
    expect($(b, '[part="badge"]')!.textContent).to.equal("1");
    const chatButton = control(b, "Chat");
    expect(chatButton.getAttribute("aria-label")).to.equal("Chat, 1 unread");
    chatButton.click();
    await b.updateComplete;
    expect(chatButton.getAttribute("aria-pressed")).to.equal("true");
    expect($(b, '[part="badge"]')).to.equal(null);
    const panel = await until(
      () => $<ChatPanel>(b, "chat-panel")?.shadowRoot && $<ChatPanel>(b, "chat-panel")!,
      "the chat panel",
    );
    await panel.updateComplete;
    const text = panel.shadowRoot!.querySelector('[part="text"]')!;
    expect(text.textContent).to.equal("<img src=x onerror=alert(1)> hi");
    expect(text.querySelector("img")).to.equal(null);
    // Replying through the panel's own input.
    const ta = panel.shadowRoot!.querySelector("textarea")!;
    ta.value = "hello Ana";
    ta.dispatchEvent(new Event("input"));
    await panel.updateComplete;
    const atAna: string[] = [];
    a.addEventListener("chat-message", (e) => atAna.push(`${e.detail.name}: ${e.detail.text}`));
    ta.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", cancelable: true }));
    await until(() => atAna.includes("Bo: hello Ana"), "Bo's reply at Ana");
    a.leave();
    b.leave();
  });

  it("chat: a panel that is already open shows new messages as they arrive", async () => {
    const { a, b } = await twoRooms();
    const panelOf = async (el: VideoRoom) => {
      control(el, "Chat").click();
      return await until(
        () => $<ChatPanel>(el, "chat-panel")?.shadowRoot && $<ChatPanel>(el, "chat-panel")!,
        "an open chat panel",
      );
    };
    const shown = (panel: ChatPanel) =>
      [...panel.shadowRoot!.querySelectorAll('[part="text"]')].map((t) => t.textContent);
    const [atA, atB] = [await panelOf(a), await panelOf(b)];
    expect(shown(atB)).to.deep.equal([]);
    a.sendChat("Hello Bo");
    // The panel is open and nothing else happens on Bo's side: it must update by itself.
    await until(() => shown(atB).length === 1, "the message in Bo's open panel");
    expect(shown(atB)).to.deep.equal(["Hello Bo"]);
    await until(() => shown(atA).length === 1, "the message in Ana's open panel");
    b.sendChat("Hi Ana");
    await until(() => shown(atA).length === 2, "the reply in Ana's open panel");
    expect(shown(atA)).to.deep.equal(["Hello Bo", "Hi Ana"]);
    expect($(b, '[part="badge"]')).to.equal(null); // read as it arrived
    a.leave();
    b.leave();
  });

  it("screen share: a large tile at the other side, gone on stop", async function () {
    if (!(await canCaptureScreen())) return this.skip(); // no screen to capture (Firefox headless)
    const { a, b } = await twoRooms();
    const shareButton = $(a, "screen-share-button")!;
    setTimeout(() => shareButton.shadowRoot!.querySelector("button")!.click());
    await oneEvent(a, "screen-share-started");
    const screen = await until(() => $<PeerTile>(b, '[part="screen"]'), "screen tile at Bo");
    expect(screen.name).to.equal("Ana");
    expect(screen.screen).to.be.true;
    await until(() => screen.stream?.getVideoTracks().length, "screen stream");
    expect(tiles(b)).to.have.length(3); // Bo, Ana, Ana's screen
    setTimeout(() => a.stopScreenShare());
    await oneEvent(a, "screen-share-stopped");
    await until(() => !$(b, '[part="screen"]'), "screen tile gone");
    a.leave();
    b.leave();
  });

  it("leaving: room-left here, tile gone there, Rejoin offered", async () => {
    const { a, b } = await twoRooms();
    setTimeout(() => control(a, "Leave").click());
    await oneEvent(a, "room-left");
    const left = await oneEvent(b, "peer-left");
    expect(left.detail.peer.name).to.equal("Ana");
    await until(() => !tileOf(b, "Ana"), "Ana's tile gone");
    await a.updateComplete;
    expect($(a, ".screen-message p")!.textContent).to.equal("You left the room.");
    expect($(a, ".screen-message button")!.textContent).to.equal("Rejoin");
    b.leave();
  });

  it("an unreachable server is explained, with a way to retry", async () => {
    const el = await fixture<VideoRoom>(
      html`<video-room room="r" name="A" server="ws://127.0.0.1:9/ws"></video-room>`,
    );
    setTimeout(() => void el.join());
    const ev = await oneEvent(el, "room-error");
    expect(ev.detail.code).to.equal("server-unreachable");
    await until(() => el.state === "failed", "failed");
    await el.updateComplete;
    expect($(el, ".screen-message p")!.textContent).to.match(/^Cannot connect: /);
    expect($(el, ".screen-message button")!.textContent).to.equal("Try again");
    await expect(el).to.be.accessible();
  });

  it("a refused camera and microphone are explained, never a blank box", async () => {
    const original = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = () =>
      Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    const el = document.createElement("video-room");
    try {
      el.room = uniqueRoom();
      el.name = "A";
      el.server = await signalingUrl();
      el.autojoin = true;
      const errors: string[] = [];
      el.addEventListener("room-error", (e) => errors.push(e.detail.code));
      document.body.append(el);
      await until(() => el.state === "joined", "joined anyway");
      expect(errors).to.include("permission-denied");
      await el.updateComplete;
      const banner = $(el, '[part="banner"][role="alert"]')!;
      expect(banner.textContent).to.contain("permission was denied");
      expect(tileOf(el, "A")!.shadowRoot!.querySelector('[part="avatar"]')).to.exist;
    } finally {
      MediaDevices.prototype.getUserMedia = original;
      el.remove();
    }
  });

  it("a bad room name is a room-error, not a crash", async () => {
    const el = document.createElement("video-room");
    el.setAttribute("room", "no spaces allowed");
    setTimeout(() => document.body.append(el));
    try {
      el.autojoin = true;
      const ev = await oneEvent(el, "room-error");
      expect(ev.detail.code).to.equal("bad-room");
    } finally {
      el.remove();
    }
  });

  it("every string can be replaced", async () => {
    const el = await fixture<VideoRoom>(html`
      <video-room room=${uniqueRoom()} server=${await signalingUrl()}
        .strings=${{ join: "Beitreten", yourName: "Dein Name", joinTitle: "Bereit?" }}></video-room>
    `);
    expect($(el, "h2")!.textContent).to.equal("Bereit?");
    expect($(el, "button[type=submit]")!.textContent).to.equal("Beitreten");
    expect($(el, "label")!.textContent).to.contain("Dein Name");
  });

  it("removing the element leaves the room and turns the camera off", async () => {
    const { a, b } = await twoRooms();
    const stream = a.localStream!;
    a.remove();
    await until(() => !tileOf(b, "Ana"), "Ana gone at Bo");
    expect(stream.getTracks().every((t) => t.readyState === "ended")).to.be.true;
    b.leave();
  });
});
