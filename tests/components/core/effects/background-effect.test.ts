/// <reference path="../../mocha-globals.d.ts" />
/**
 * The background effect on a camera that films a whiteboard with no person
 * in it (the whole frame is background): blur takes the sharpness
 * away and keeps the frame rate; a picture replaces it (its colours show);
 * releasing a track ends its worker, and the camera's own track runs on.
 */
import { expect } from "@open-wc/testing";
import {
  BackgroundEffect,
  undoPlatformBlur,
} from "../../../../components/core/effects/background-effect.ts";
import { until } from "../../test-helpers.ts";
import { look, patternCamera, stopCameras } from "./video-frames.ts";

describe("BackgroundEffect", () => {
  afterEach(stopCameras);

  it("blur: the background loses its sharpness, at the camera's frame rate", async function () {
    this.timeout(60000);
    const camera = patternCamera();
    const effect = await BackgroundEffect.load("blur");
    const blurred = effect.apply(camera);
    expect(blurred).to.not.equal(camera);
    const [raw, out] = [
      await look(new MediaStream([camera])),
      await look(new MediaStream([blurred])),
    ];
    const stats = effect.stats(blurred);
    console.log(
      `sharpness ${raw.sharpness.toFixed(1)} → ${out.sharpness.toFixed(1)}, ${
        out.fps.toFixed(0)
      } fps shown; worker: ${JSON.stringify(stats)}`,
    );
    expect(raw.sharpness, "the whiteboard is sharp").to.be.above(10);
    expect(out.sharpness, "blurred").to.be.below(raw.sharpness / 4);
    expect(out.fps, "frames per second").to.be.at.least(15);
    effect.release(blurred);
    expect(blurred.readyState).to.equal("ended");
    expect(camera.readyState).to.equal("live");
    effect.dispose();
  });

  it("a picture: its colours replace the background", async function () {
    this.timeout(60000);
    const camera = patternCamera();
    const url = new URL(
      "../../../../components/core/effects/background-2.jpg",
      import.meta.url,
    ).href;
    const effect = await BackgroundEffect.load(url);
    const replaced = effect.apply(camera);
    const out = await look(new MediaStream([replaced]), 2000);
    const [r, g, b] = out.rgb;
    console.log(`mean colour ${out.rgb.map((c) => c.toFixed(0)).join(", ")}`);
    // The picture is orange to yellow; the whiteboard is grey (r = g = b) but for its notes.
    expect(r - b, "warm, like the picture").to.be.above(80);
    expect(g - b).to.be.above(30);
    effect.dispose();
  });

  it("on the page when no worker can be had (the bundle on another origin): blurred all the same", async function () {
    this.timeout(60000);
    const camera = patternCamera();
    const effect = await BackgroundEffect.load("blur", undefined, { inPage: true });
    const blurred = effect.apply(camera);
    const [raw, out] = [
      await look(new MediaStream([camera])),
      await look(new MediaStream([blurred])),
    ];
    console.log(
      `on the page: sharpness ${raw.sharpness.toFixed(1)} → ${out.sharpness.toFixed(1)}, ${
        out.fps.toFixed(0)
      } fps`,
    );
    expect(out.sharpness).to.be.below(raw.sharpness / 4);
    expect(out.fps).to.be.at.least(15);
    effect.dispose();
  });

  it("a device that cannot keep up: fewer masks first, then the page is told", async function () {
    this.timeout(30000);
    const camera = patternCamera();
    // Every frame "too slow": a budget of a hundredth of a millisecond.
    const effect = await BackgroundEffect.load("blur", undefined, { frameMs: 0.01 });
    let told = 0;
    effect.onTooSlow = () => told++;
    const track = effect.apply(camera);
    await look(new MediaStream([track]), 1500); // played, so frames flow
    await until(() => effect.stats(track)?.tier === 2, "the lowest tier (a mask every 3rd frame)");
    await until(() => told > 0, "the page told it is too slow", 10000);
    await new Promise((r) => setTimeout(r, 500));
    expect(told, "told once").to.equal(1);
    effect.dispose();
  });

  it("the camera's own blur, where it has one, instead of ours", () => {
    const asked: unknown[] = [];
    const camera = {
      kind: "video",
      getCapabilities: () => ({ backgroundBlur: [false, true] }),
      applyConstraints: (c: unknown) => (asked.push(c), Promise.resolve()),
    } as unknown as MediaStreamTrack;
    return BackgroundEffect.load("blur").then((effect) => {
      expect(effect.apply(camera), "the camera's own track").to.equal(camera);
      expect(asked).to.deep.equal([{ backgroundBlur: true }]);
      undoPlatformBlur(camera);
      expect(asked[1]).to.deep.equal({ backgroundBlur: false });
    });
  });

  it("a picture that cannot be had is refused, saying why", async () => {
    let error: Error | null = null;
    await BackgroundEffect.load("/no-such-picture.jpg").catch((e) => (error = e));
    expect(error!.message).to.contain("404");
  });
});
