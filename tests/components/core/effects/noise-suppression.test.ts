/// <reference path="../../mocha-globals.d.ts" />
/**
 * RNNoise in its audio worklet, on the speech-plus-noise fixture: the noise
 * floor between the sentences drops by far more than 10 dB while the speech
 * stays, and releasing a track takes its graph down.
 */
import { expect } from "@open-wc/testing";
import { NoiseSuppression } from "../../../../components/core/effects/noise-suppression.ts";
import { closeAudio, fixtureMicrophone, floorAndSpeech, levels } from "./audio-levels.ts";

describe("NoiseSuppression", () => {
  afterEach(closeAudio);

  it("lowers the noise between words by over 10 dB and keeps the speech", async function () {
    this.timeout(30000);
    const ns = await NoiseSuppression.load();
    const microphone = await fixtureMicrophone();
    const cleaned = ns.apply(microphone);
    expect(cleaned).to.not.equal(microphone);
    expect(cleaned.kind).to.equal("audio");
    // The fixture lasts 8.5 s: both measured side by side over all of it.
    const [raw, out] = await Promise.all([
      levels(new MediaStream([microphone]), 9000),
      levels(new MediaStream([cleaned]), 9000),
    ]);
    const before = floorAndSpeech(raw);
    const after = floorAndSpeech(out);
    console.log(
      `noise floor ${before.floor.toFixed(1)} → ${after.floor.toFixed(1)} dB, speech ${
        before.speech.toFixed(1)
      } → ${after.speech.toFixed(1)} dB`,
    );
    expect(before.speech - before.floor, "the fixture has quiet between words").to.be.above(10);
    expect(after.floor).to.be.below(before.floor - 10);
    expect(after.speech, "the speech is still there").to.be.above(before.speech - 6);
    ns.release(cleaned);
    expect(cleaned.readyState).to.equal("ended");
    expect(microphone.readyState, "the device's own track runs on").to.equal("live");
    microphone.stop();
  });

  it("adds about 20 ms: RNNoise's frame and overlap, and the context's own buffering", async () => {
    const ns = await NoiseSuppression.load();
    expect(ns.latency).to.be.within(0.02, 0.04);
  });
});
