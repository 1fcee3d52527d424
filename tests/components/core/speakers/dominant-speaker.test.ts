/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import { DominantSpeaker } from "../../../../components/core/speakers/dominant-speaker.ts";

describe("DominantSpeaker", () => {
  it("takes the stage after 1.5 s of speech, not before", () => {
    const d = new DominantSpeaker(1500);
    expect(d.update("ana", true, 0)).to.be.false;
    expect(d.tick(1499)).to.be.false;
    expect(d.current).to.equal(null);
    expect(d.nextChange(1000)).to.equal(1500);
    expect(d.tick(1500)).to.be.true;
    expect(d.current).to.equal("ana");
    expect(d.nextChange(1600)).to.equal(null, "nothing to wait for while she speaks");
  });

  it("a cough does not steal the stage; silence keeps the last speaker", () => {
    const d = new DominantSpeaker(1500);
    d.update("ana", true, 0);
    d.tick(2000);
    d.update("bo", true, 2100); // a cough
    d.update("bo", false, 2400);
    expect(d.tick(5000)).to.be.false;
    expect(d.current).to.equal("ana");
    d.update("ana", false, 6000); // everyone quiet
    expect(d.tick(20000)).to.be.false;
    expect(d.current).to.equal("ana");
  });

  it("the one on stage keeps it while speaking; when they stop, the longest speaker takes over", () => {
    const d = new DominantSpeaker(1500);
    d.update("ana", true, 0);
    d.tick(1500);
    d.update("bo", true, 1000);
    d.update("cleo", true, 2000);
    expect(d.tick(4000)).to.be.false; // Ana still speaks
    d.update("ana", false, 4000);
    expect(d.current).to.equal("bo", "Bo has spoken longer than Cleo");
  });

  it("someone who leaves gives the stage up", () => {
    const d = new DominantSpeaker(1500);
    d.update("ana", true, 0);
    d.tick(1500);
    expect(d.remove("ana", 1600)).to.be.true;
    expect(d.current).to.equal(null);
    expect(d.remove("nobody", 1700)).to.be.false;
  });
});
