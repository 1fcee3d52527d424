/**
 * Recording in a mesh call, by hand: the host clicks Record in the host menu, the guest sees
 * "Recording", the host's tab spends most of the recording in the background, the host clicks
 * Stop and Download. The file has a video and an audio stream of about the recorded length
 * (ffprobe), and its picture did not freeze while the tab was in the background.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import {
  launchBrowser,
  mediaFlowing,
  openPeer,
  type Peer,
  startServerProcess,
  tiles,
  until,
} from "./harness.ts";
import { choose, press, shownText } from "./by-hand.ts";
import { allowDownloads, downloadRecording, probeRecording } from "../shared/recorded-file.ts";

Deno.test("a host records a mesh call in the browser; the file plays, even from a background tab", async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  const room = `rec-${crypto.randomUUID().slice(0, 8)}`;
  const downloads = await Deno.makeTempDir({ prefix: "vr-recording-" });
  const peers: Peer[] = [];
  try {
    const ana = await openPeer(browser, `${server.origin}/?room=${room}&name=Ana`, "Ana");
    const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`, "Bo");
    peers.push(ana, bo);
    await mediaFlowing(ana.page, 1, "the call");
    await allowDownloads(ana.page, ana.context, downloads);
    await choose(ana.page, "Host controls", "Record the meeting");
    const started = Date.now();
    await until(async () => (await shownText(bo.page)).includes("Recording"), "Bo sees it", 1000);
    await new Promise((r) => setTimeout(r, 2000));
    // Another tab in front: Ana's call is in the background for most of the recording.
    const other = await ana.context.newPage();
    await other.bringToFront();
    const hidden = await ana.page.evaluate(() => document.visibilityState);
    assert.equal(hidden, "hidden", "the call is in a background tab");
    await new Promise((r) => setTimeout(r, 6000));
    await ana.page.bringToFront();
    await other.close();
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - started))));
    await choose(ana.page, "Host controls", "Stop recording");
    await until(async () => !(await shownText(bo.page)).includes("Recording"), "Bo: stopped");

    const file = await downloadRecording(ana.page, downloads);
    const { streams, seconds, fps, gap } = await probeRecording(file);
    assert.deepEqual(streams, ["audio", "video"]);
    assert.ok(seconds > 8.5 && seconds < 13, `about 10 s recorded (${seconds} s)`);
    // Not frozen in the background (a requestAnimationFrame loop leaves a 6 s hole here).
    console.log(
      `page was ${hidden} in the background; ${fps.toFixed(1)} fps, longest gap ${gap} s`,
    );
    assert.ok(fps >= 15, `frames kept coming (${fps.toFixed(1)} fps)`);
    assert.ok(gap < 0.5, `no frozen stretch (longest gap ${gap} s)`);
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
    await Deno.remove(downloads, { recursive: true });
  }
});

Deno.test("RECORDING_CONSENT=required: a guest joining during a recording is asked first, muted and unseen until they agree", async () => {
  const server = await startServerProcess({ RECORDING_CONSENT: "required" });
  const browser = await launchBrowser();
  const room = `consent-${crypto.randomUUID().slice(0, 8)}`;
  const peers: Peer[] = [];
  try {
    const ana = await openPeer(browser, `${server.origin}/?room=${room}&name=Ana`, "Ana");
    const bo = await openPeer(browser, `${server.origin}/?room=${room}&name=Bo`, "Bo");
    peers.push(ana, bo);
    await mediaFlowing(ana.page, 1, "the call");
    await choose(ana.page, "Host controls", "Record the meeting");
    await until(async () => (await shownText(bo.page)).includes("Recording"), "recording");
    // Bo was there before: nobody asks him.
    assert.equal(await consentShown(bo.page), null);

    const cy = await openPeer(browser, `${server.origin}/?room=${room}&name=Cy`, "Cy");
    peers.push(cy);
    await until(async () => (await consentShown(cy.page)) !== null, "Cy is asked", 20000);
    assert.equal(await consentShown(cy.page), "This meeting is being recorded");
    const cyAtAna = async () => (await tiles(ana.page)).find((t) => t.name === "Cy");
    await until(
      async () => {
        const cy = await cyAtAna();
        return cy?.audioMuted && cy.videoOff;
      },
      "Cy shown muted and without camera at Ana",
      20000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const still = await cyAtAna();
    assert.ok(
      still?.audioMuted && still.videoOff && !still.playing,
      "nothing of Cy before consent",
    );

    await press(cy.page, "Agree and continue");
    assert.equal(await consentShown(cy.page), null);
    await until(
      async () => {
        const cy = await cyAtAna();
        return cy && !cy.audioMuted && cy.playing;
      },
      "Cy heard and seen at Ana once he agreed",
      20000,
    );
  } finally {
    for (const p of peers) await p.close().catch(() => {});
    await browser.close();
    await server.stop();
  }
});

/** The consent question's title, when the page shows it. */
function consentShown(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const dialog = document.querySelector("video-room")?.shadowRoot?.querySelector(
      "dialog[part=consent]",
    ) as HTMLDialogElement | null;
    return dialog?.open ? dialog.querySelector("h2")!.textContent!.trim() : null;
  });
}
