/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import { type Participant, Roster } from "../../../../components/core/session/roster.ts";

const person = (id: string, name = id): Participant => ({
  id,
  name,
  local: false,
  state: { audio: true, video: true, screen: false },
  stream: null,
  screen: null,
  connection: "new",
  speaking: false,
  role: "guest",
  hand: null,
  reaction: null,
  quality: null,
});

describe("Roster", () => {
  it("changes by replacement: new objects and arrays, so a view sees every change", () => {
    const roster = new Roster();
    let changes = 0;
    roster.on("change", () => changes++);
    roster.set(person("a", "Ana"));
    roster.set(person("b", "Bo"));
    const list = roster.participants;
    const [ana, bo] = list;
    expect(roster.update("a", { state: { audio: false, video: true, screen: false } })).to.be.true;
    expect(roster.participants).to.not.equal(list);
    expect(roster.get("a")).to.not.equal(ana);
    expect(roster.get("a")!.state.audio).to.be.false;
    expect(ana.state.audio).to.be.true; // the old object is untouched
    expect(roster.get("b")).to.equal(bo); // unchanged: same identity
    expect(changes).to.equal(3);
    // Nothing changed: no new objects, no event.
    expect(roster.update("b", { speaking: false })).to.be.false;
    expect(roster.update("nobody", { speaking: true })).to.be.false;
    expect(changes).to.equal(3);
  });

  it("the chat log is a new array for every message", () => {
    const roster = new Roster();
    const empty = roster.chat;
    roster.addChat({ from: "a", name: "Ana", text: "hi", ts: 1, local: false });
    const one = roster.chat;
    expect(one).to.not.equal(empty);
    expect(empty).to.have.length(0);
    roster.addChat({ from: "b", name: "Bo", text: "hello", ts: 2, local: true });
    expect(roster.chat).to.not.equal(one);
    expect(roster.chat.map((m) => m.text)).to.deep.equal(["hi", "hello"]);
  });

  it("renames keep the place in the order; removal returns who left", () => {
    const roster = new Roster();
    for (const id of ["self", "a", "b"]) roster.set(person(id));
    roster.rename("a", "a2", { name: "Ana" });
    expect(roster.participants.map((p) => p.id)).to.deep.equal(["self", "a2", "b"]);
    expect(roster.get("a2")!.name).to.equal("Ana");
    expect(roster.has("a")).to.be.false;
    expect(roster.remove("b")!.id).to.equal("b");
    expect(roster.remove("b")).to.equal(undefined);
    expect(roster.participants.map((p) => p.id)).to.deep.equal(["self", "a2"]);
  });
});
