/// <reference path="../../mocha-globals.d.ts" />
// Recording in <video-room>, against the real signaling server: a host starts it from the host
// menu, everyone (a late joiner too) sees the badge and hears it said, a guest cannot start it,
// and the host gets the file to download when it stops.
import { expect, oneEvent } from "@open-wc/testing";
import type { VideoRoom } from "../../../../components/video-room/video-room.ts";
import { until } from "../../test-helpers.ts";
import { choose, meeting, press, root } from "../room-by-hand.ts";

const badge = (el: VideoRoom) => root(el).querySelector('[part="recording"]')?.textContent?.trim();
const said = (el: VideoRoom) => root(el).querySelector('[part="announcer"]')?.textContent ?? "";

describe("<video-room> recording", () => {
  it("a host records from the menu; everyone sees and hears it; the host gets the file", async () => {
    const { join } = await meeting([], "rec");
    const ana = await join("Ana");
    const bo = await join("Bo");
    await until(() => root(bo).querySelectorAll("peer-tile").length === 2, "Bo sees Ana");
    expect(badge(ana)).to.equal(undefined);

    const started = oneEvent(bo, "recording-started");
    await choose(ana, "Host controls", "Record the meeting");
    const t0 = performance.now();
    expect((await started).detail.by?.name).to.equal("Ana");
    await until(() => badge(bo) === "Recording", "the badge at Bo", 1000);
    expect(performance.now() - t0).to.be.below(1000);
    expect(bo.recording).to.equal(true);
    expect(bo.hasAttribute("recording")).to.equal(true);
    await until(() => said(bo).includes("Ana started recording the meeting"), "said to Bo");
    await until(() => badge(ana) === "Recording", "the badge at Ana");

    // A late joiner is told at once; a guest cannot start or stop it.
    const cy = await join("Cy");
    await until(() => badge(cy) === "Recording", "the badge at Cy");
    const refused = oneEvent(bo, "room-error");
    bo.stopRecording();
    expect((await refused).detail.code).to.equal("forbidden");
    expect(badge(ana)).to.equal("Recording");
    await expect(bo).to.be.accessible();

    await new Promise((r) => setTimeout(r, 2500));
    const ready = oneEvent(ana, "recording-ready");
    const stopped = oneEvent(cy, "recording-stopped");
    await choose(ana, "Host controls", "Stop recording");
    expect((await stopped).detail.by?.name).to.equal("Ana");
    const file = (await ready).detail;
    expect(file.mode).to.equal("browser");
    expect(file.durationMs).to.be.within(2000, 10000);
    expect(file.bytes).to.be.above(10_000);
    await until(() => badge(cy) === undefined && !cy.hasAttribute("recording"), "badge gone");
    await until(() => said(cy).includes("The recording stopped"), "said to Cy");
    // The file, as the host gets it: a download link to a WebM with something in it.
    const link = await until(
      () => root(ana).querySelector<HTMLAnchorElement>('[part="download"]'),
      "the download link",
    );
    expect(link.textContent!.trim()).to.equal("Download the recording");
    expect(link.href).to.equal(file.url);
    expect(link.download).to.match(/^rec-[\w-]+\.(webm|mp4)$/);
    const blob = await (await fetch(link.href)).blob();
    expect(blob.size).to.equal(file.bytes);
    // WebM starts with the EBML magic number.
    const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
    expect([...head]).to.deep.equal([0x1a, 0x45, 0xdf, 0xa3]);
    await expect(ana).to.be.accessible();
    // Put aside: the notice goes.
    await press(ana, "Dismiss");
    expect(root(ana).querySelector('[part="download"]')).to.equal(null);
    for (const el of [ana, bo, cy]) el.leave();
  });

  it("the recording host leaving ends it for everyone, and their page still offers the file", async () => {
    const { join } = await meeting([], "rec");
    const ana = await join("Ana");
    const bo = await join("Bo");
    ana.startRecording();
    await until(() => badge(bo) === "Recording", "recording");
    await new Promise((r) => setTimeout(r, 1500));
    const ready = oneEvent(ana, "recording-ready");
    ana.leave();
    await until(() => badge(bo) === undefined, "the badge gone at Bo");
    expect((await ready).detail.bytes).to.be.above(0);
    await until(() => root(ana).querySelector('[part="download"]'), "the file after leaving");
    bo.leave();
  });

  it("a browser that cannot record says so, and the room stops showing Recording", async () => {
    const { people: [ana, bo] } = await meeting(["Ana", "Bo"], "rec");
    const real = globalThis.MediaRecorder;
    globalThis.MediaRecorder = class {
      static isTypeSupported = () => false;
      constructor() {
        throw new DOMException("no recorder here", "NotSupportedError");
      }
    } as unknown as typeof MediaRecorder;
    try {
      const failed = oneEvent(ana, "room-error");
      const stopped = oneEvent(bo, "recording-stopped");
      ana.startRecording();
      const { detail } = await failed;
      expect(detail.code).to.equal("recording-failed");
      expect(detail.message).to.equal("Cannot record: no recorder here");
      await stopped;
      await until(() => badge(bo) === undefined && !bo.recording, "no badge at Bo");
    } finally {
      globalThis.MediaRecorder = real;
    }
    ana.leave();
    bo.leave();
  });
});
