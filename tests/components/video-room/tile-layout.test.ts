/// <reference path="../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import { type LayoutParticipant, layoutTiles } from "../../../components/video-room/tile-layout.ts";

const screen = {} as MediaStream;
const person = (id: string, o: Partial<LayoutParticipant> = {}): LayoutParticipant => ({
  id,
  local: id === "me",
  screen: null,
  ...o,
});
const keys = (l: ReturnType<typeof layoutTiles>) => l.grid.map((t) => t.key);

describe("layoutTiles", () => {
  it("nobody: an empty grid of one column", () => {
    const l = layoutTiles([]);
    expect(l.featured).to.equal(null);
    expect(l.grid).to.deep.equal([]);
    expect(l.columns).to.equal(1);
  });

  it("a grid in the order given, as square as the count allows", () => {
    const cases: Array<[number, number]> = [
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 2],
      [5, 3],
      [9, 3],
      [
        10,
        4,
      ],
      [16, 4],
      [17, 5],
      [50, 8],
    ];
    for (const [n, columns] of cases) {
      const people = Array.from({ length: n }, (_, i) => person(i ? `p${i}` : "me"));
      const l = layoutTiles(people);
      expect(l.columns, `${n} people`).to.equal(columns);
      expect(keys(l)).to.deep.equal(people.map((p) => p.id));
      expect(l.featured).to.equal(null);
    }
  });

  it("a screen share is featured; someone else's before one's own, which joins the grid", () => {
    const l = layoutTiles([person("me", { screen }), person("a"), person("b", { screen })]);
    expect(l.featured?.key).to.equal("b:screen");
    expect(l.featured?.screen).to.be.true;
    expect(keys(l)).to.deep.equal(["me", "a", "b", "me:screen"]);
    expect(l.columns).to.equal(2);
    const own = layoutTiles([person("me", { screen }), person("a")]);
    expect(own.featured?.key).to.equal("me:screen");
    expect(keys(own)).to.deep.equal(["me", "a"]);
  });

  it("the pinned person is featured (and not in the grid) unless someone shares a screen", () => {
    const people = [person("me"), person("a"), person("b")];
    const pinned = layoutTiles(people, { pinned: "b" });
    expect(pinned.featured?.key).to.equal("b");
    expect(pinned.featured?.screen).to.be.false;
    expect(keys(pinned)).to.deep.equal(["me", "a"]);
    expect(layoutTiles(people, { pinned: "gone" }).featured).to.equal(null);
    const sharing = layoutTiles([...people, person("c", { screen })], { pinned: "b" });
    expect(sharing.featured?.key).to.equal("c:screen");
    expect(keys(sharing)).to.contain("b");
  });
});
