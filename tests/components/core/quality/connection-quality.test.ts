/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import {
  QUALITY_THRESHOLDS,
  rateQuality,
  readStats,
} from "../../../../components/core/quality/connection-quality.ts";

const ok = { loss: 0, rtt: 0.05, jitter: 0.005, fps: 30 };

describe("rateQuality", () => {
  it("good below every fair threshold", () => {
    expect(rateQuality(ok)).to.equal("good");
    expect(rateQuality({ ...ok, fps: null })).to.equal("good", "no video expected");
  });

  it("each measure alone makes it fair, then poor, at its threshold", () => {
    const { fair, poor } = QUALITY_THRESHOLDS;
    for (const key of ["loss", "rtt", "jitter"] as const) {
      expect(rateQuality({ ...ok, [key]: fair[key] * 0.99 })).to.equal("good", key);
      expect(rateQuality({ ...ok, [key]: fair[key] })).to.equal("fair", key);
      expect(rateQuality({ ...ok, [key]: poor[key] })).to.equal("poor", key);
    }
    expect(rateQuality({ ...ok, fps: fair.fps + 1 })).to.equal("good");
    expect(rateQuality({ ...ok, fps: fair.fps })).to.equal("fair");
    expect(rateQuality({ ...ok, fps: poor.fps })).to.equal("poor");
    expect(rateQuality({ ...ok, fps: 0 })).to.equal("poor", "expected video that stopped");
  });

  it("the worst measure wins", () => {
    expect(rateQuality({ loss: 0.04, rtt: 0.7, jitter: 0, fps: 30 })).to.equal("poor");
  });
});

describe("readStats", () => {
  const report = (entries: Record<string, unknown>[]) =>
    new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

  it("loss over the interval, jitter, round trip, frame rate; the uplink from receiver reports", () => {
    const first = readStats(
      report([
        { type: "inbound-rtp", kind: "audio", packetsReceived: 100, packetsLost: 0, jitter: 0.01 },
        {
          type: "inbound-rtp",
          kind: "video",
          packetsReceived: 900,
          packetsLost: 0,
          framesPerSecond: 30,
        },
      ]),
      undefined,
      true,
      true,
    );
    expect(first.inbound.loss).to.equal(0);
    const second = readStats(
      report([
        { type: "inbound-rtp", kind: "audio", packetsReceived: 190, packetsLost: 10, jitter: 0.02 },
        {
          type: "inbound-rtp",
          kind: "video",
          packetsReceived: 1800,
          packetsLost: 0,
          framesPerSecond: 4,
        },
        { type: "candidate-pair", nominated: true, state: "succeeded", currentRoundTripTime: 0.12 },
        { type: "remote-inbound-rtp", fractionLost: 0.2, roundTripTime: 0.1, jitter: 0.004 },
        { type: "outbound-rtp", kind: "video", framesPerSecond: 3, active: true },
        { type: "outbound-rtp", kind: "video", framesPerSecond: 0, active: false },
      ]),
      first.counts,
      true,
      true,
    );
    expect(second.inbound.loss).to.be.closeTo(10 / 1000, 1e-9);
    expect(second.inbound.jitter).to.equal(0.02);
    expect(second.inbound.rtt).to.equal(0.12);
    expect(second.inbound.fps).to.equal(4);
    expect(second.outbound).to.deep.equal({ loss: 0.2, rtt: 0.1, jitter: 0.004, fps: 3 });
    expect(rateQuality(second.inbound)).to.equal("poor");
  });

  it("no video expected: the frame rate does not count", () => {
    const r = readStats(
      report([{ type: "inbound-rtp", kind: "audio", packetsReceived: 5 }]),
      undefined,
      false,
      false,
    );
    expect(r.inbound.fps).to.equal(null);
    expect(r.outbound).to.equal(null, "nothing sent yet: no uplink reading");
  });
});
