/// <reference path="../../mocha-globals.d.ts" />
import { expect } from "@open-wc/testing";
import {
  GRID_PAGE,
  type LayoutParticipant,
  layoutTiles,
  participantOrder,
  PHONE_GRID_PAGE,
  PHONE_STRIP_PAGE,
  STRIP_PAGE,
} from "../../../../components/video-room/call/tile-layout.ts";

const screen = {} as MediaStream;
const person = (id: string, o: Partial<LayoutParticipant> = {}): LayoutParticipant => ({
  id,
  local: id === "me",
  screen: null,
  ...o,
});
const people = (n: number) => Array.from({ length: n }, (_, i) => person(i ? `p${i}` : "me"));
const keys = (l: ReturnType<typeof layoutTiles>) => l.grid.map((t) => t.key);

describe("layoutTiles", () => {
  it("nobody: an empty grid of one column and one page", () => {
    const l = layoutTiles([]);
    expect(l.view).to.equal("grid");
    expect(l.featured).to.equal(null);
    expect(l.grid).to.deep.equal([]);
    expect([l.columns, l.page, l.pages]).to.deep.equal([1, 0, 1]);
    expect(l.sizes.size).to.equal(0);
  });

  it("grid: in the order given, as square as the count allows, paged by nine", () => {
    const cases: Array<[number, number, number]> = [
      [1, 1, 1],
      [2, 2, 1],
      [3, 2, 1],
      [4, 2, 1],
      [5, 3, 1],
      [9, 3, 1],
      [10, 3, 2],
      [18, 3, 2],
      [19, 3, 3],
      [50, 3, 6],
    ];
    for (const [n, columns, pages] of cases) {
      const all = people(n);
      const l = layoutTiles(all, { mode: "grid" });
      expect(l.view).to.equal("grid");
      expect([l.columns, l.pages], `${n} people`).to.deep.equal([columns, pages]);
      expect(keys(l)).to.deep.equal(all.slice(0, GRID_PAGE).map((p) => p.id));
      expect(l.featured).to.equal(null);
    }
  });

  it("pages: each shows its own people; out of range is clamped; the last may be short", () => {
    const all = people(20);
    const second = layoutTiles(all, { mode: "grid", page: 1 });
    expect(keys(second)).to.deep.equal(all.slice(9, 18).map((p) => p.id));
    const last = layoutTiles(all, { mode: "grid", page: 99 });
    expect(last.page).to.equal(2);
    expect(keys(last)).to.deep.equal(["p18", "p19"]);
    expect(layoutTiles(all, { mode: "grid", page: -3 }).page).to.equal(0);
    // Only those on the page show, so only they are sent video.
    expect([...last.sizes.keys()]).to.deep.equal(["p18", "p19"]);
  });

  it("sizes: a grid of up to four is large; more, or a filmstrip, is small; featured is large", () => {
    const four = layoutTiles(people(4), { mode: "grid" });
    expect([...four.sizes.values()]).to.deep.equal(["large", "large", "large", "large"]);
    const five = layoutTiles(people(5), { mode: "grid" });
    expect(new Set(five.sizes.values())).to.deep.equal(new Set(["small"]));
    const speaker = layoutTiles(people(3), { mode: "speaker", speaker: "p2" });
    expect(Object.fromEntries(speaker.sizes)).to.deep.equal({
      me: "small",
      p1: "small",
      p2: "large",
    });
  });

  it("auto: the grid for up to four with nobody sharing, the speaker view otherwise", () => {
    expect(layoutTiles(people(1)).view).to.equal("grid");
    expect(layoutTiles(people(4)).view).to.equal("grid");
    expect(layoutTiles(people(5)).view).to.equal("speaker");
    expect(layoutTiles([person("me"), person("a", { screen })]).view).to.equal("speaker");
    expect(layoutTiles(people(9), { mode: "grid" }).view).to.equal("grid", "a choice holds");
    expect(layoutTiles(people(2), { mode: "speaker" }).view).to.equal("speaker");
  });

  it("speaker view: the speaker featured, everyone else in a filmstrip of six per page", () => {
    const all = people(12);
    const l = layoutTiles(all, { mode: "speaker", speaker: "p5" });
    expect(l.featured?.key).to.equal("p5");
    expect(keys(l)).to.deep.equal(["me", "p1", "p2", "p3", "p4", "p6"]);
    expect(l.columns).to.equal(STRIP_PAGE);
    expect(l.pages).to.equal(2);
    const next = layoutTiles(all, { mode: "speaker", speaker: "p5", page: 1 });
    expect(keys(next)).to.deep.equal(["p7", "p8", "p9", "p10", "p11"]);
  });

  it("speaker view without a speaker: the first other person; alone: oneself", () => {
    expect(layoutTiles(people(3), { mode: "speaker" }).featured?.key).to.equal("p1");
    expect(layoutTiles(people(3), { mode: "speaker", speaker: "gone" }).featured?.key).to.equal(
      "p1",
    );
    expect(layoutTiles(people(1), { mode: "speaker" }).featured?.key).to.equal("me");
  });

  it("a screen share is featured; someone else's before one's own, which joins the tiles", () => {
    const l = layoutTiles([person("me", { screen }), person("a"), person("b", { screen })], {
      mode: "grid",
    });
    expect(l.featured?.key).to.equal("b:screen");
    expect(l.featured?.screen).to.be.true;
    expect(keys(l)).to.deep.equal(["me", "a", "b", "me:screen"]);
    expect(l.columns).to.equal(2);
    const own = layoutTiles([person("me", { screen }), person("a")]);
    expect(own.featured?.key).to.equal("me:screen");
    expect(keys(own)).to.deep.equal(["me", "a"]);
  });

  it("order of the stage: a screen share, then the pin, then the speaker", () => {
    const all = [person("me"), person("a"), person("b"), person("c")];
    const spoken = layoutTiles(all, { mode: "speaker", speaker: "a" });
    expect(spoken.featured?.key).to.equal("a");
    const pinned = layoutTiles(all, { mode: "speaker", speaker: "a", pinned: "b" });
    expect(pinned.featured?.key).to.equal("b");
    expect(keys(pinned)).to.deep.equal(["me", "a", "c"]);
    const shared = layoutTiles([...all, person("d", { screen })], {
      mode: "speaker",
      speaker: "a",
      pinned: "b",
    });
    expect(shared.featured?.key).to.equal("d:screen");
    expect(keys(shared)).to.include.members(["a", "b", "d"]);
    // A pin in the grid features that person too; a pin of someone gone is ignored.
    expect(layoutTiles(all, { mode: "grid", pinned: "c" }).featured?.key).to.equal("c");
    expect(layoutTiles(all, { mode: "grid", pinned: "gone" }).featured).to.equal(null);
  });

  it("a phone upright: two columns (one for two people), six a page, never the speaker view unless someone shares", () => {
    const shape = "portrait";
    const cases: Array<[number, number, number]> = [[1, 1, 1], [2, 1, 1], [3, 2, 1], [6, 2, 1], [
      7,
      2,
      2,
    ], [13, 2, 3]];
    for (const [n, columns, pages] of cases) {
      const l = layoutTiles(people(n), { shape });
      expect([l.view, l.columns, l.pages], `${n} people`).to.deep.equal(["grid", columns, pages]);
      expect(l.featured).to.equal(null);
    }
    const shared = layoutTiles([person("me"), person("b", { screen })], { shape });
    expect([shared.view, shared.featured?.key]).to.deep.equal(["speaker", "b:screen"]);
    // A layout chosen by hand is kept.
    expect(layoutTiles(people(3), { shape, mode: "speaker" }).view).to.equal("speaker");
  });

  it("a phone on its side: two people side by side; more, the speaker beside a strip of three", () => {
    const shape = "landscape";
    const two = layoutTiles(people(2), { shape });
    expect([two.view, two.columns, two.featured]).to.deep.equal(["grid", 2, null]);
    const five = layoutTiles(people(5), { shape, speaker: "p2" });
    expect(five.view).to.equal("speaker");
    expect(five.featured?.key).to.equal("p2");
    expect(keys(five)).to.deep.equal(["me", "p1", "p3"]);
    expect(five.pages).to.equal(2);
  });

  it("0 to 50 people in every mode and shape: everyone appears exactly once across the pages", () => {
    for (const shape of [null, "portrait", "landscape"] as const) {
      const [gridPage, stripPage] = shape
        ? [PHONE_GRID_PAGE, shape === "landscape" ? PHONE_STRIP_PAGE : STRIP_PAGE]
        : [GRID_PAGE, STRIP_PAGE];
      for (const mode of ["grid", "speaker", "auto"] as const) {
        for (let n = 0; n <= 50; n++) {
          const all = people(n);
          const o = { mode, shape, speaker: n > 3 ? "p3" : null };
          const first = layoutTiles(all, o);
          const seen: string[] = first.featured ? [first.featured.participant.id] : [];
          for (let page = 0; page < first.pages; page++) {
            const l = layoutTiles(all, { ...o, page });
            seen.push(...keys(l));
            expect(l.grid.length).to.be.at.most(l.view === "grid" ? gridPage : stripPage);
          }
          expect(seen.sort(), `${shape} ${mode}, ${n} people`).to.deep.equal(
            all.map((p) => p.id).sort(),
          );
        }
      }
    }
  });
});

/** Someone in the participants list: only what the order reads. */
const who = (o: { name: string; hand?: number; local?: boolean }) => ({
  local: o.local ?? false,
  hand: o.hand ?? null,
  name: o.name,
});

describe("participantOrder", () => {
  it("self first, then raised hands in the order raised, then everyone else by name", () => {
    const list = [
      who({ name: "Zoe" }),
      who({ name: "Bo", hand: 300 }),
      who({ name: "Me", local: true }),
      who({ name: "Ana" }),
      who({ name: "Cleo", hand: 100 }),
    ];
    expect(participantOrder(list).map((p) => p.name)).to.deep.equal([
      "Me",
      "Cleo",
      "Bo",
      "Ana",
      "Zoe",
    ]);
  });
});
