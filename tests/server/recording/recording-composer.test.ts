/** The meeting's grid: each person in a cell of their own, from when they came; voices mixed. */
import assert from "node:assert/strict";
import { gridFilter } from "../../../server/recording/recording-composer.ts";

Deno.test("three people make a 2×2 grid; a late one starts later; voices mixed from their start", () => {
  const grid = gridFilter(
    [
      { cell: 0, offsetMs: 0, video: true, audio: true, label: "/r/a.label.txt" },
      { cell: 1, offsetMs: 40, video: true, audio: true },
      { cell: 2, offsetMs: 3500, video: false, audio: true },
    ],
    3,
    10_000,
  );
  const steps = grid.filter.split(";");
  assert.equal(steps[0], "color=c=black:s=1280x720:r=15:d=10.000[bg0]");
  assert.ok(
    steps.some((s) => s.startsWith("[0:v]") && s.includes("drawtext=textfile=/r/a.label.txt")),
  );
  assert.ok(steps.includes("[bg0][v0]overlay=0:0:eof_action=pass[bg1]"));
  assert.ok(steps.includes("[bg1][v1]overlay=640:0:eof_action=pass[bg2]"));
  assert.ok(steps.some((s) => s.startsWith("[1:v]") && s.includes("tpad=start_duration=0.040")));
  assert.ok(!steps.some((s) => s.startsWith("[2:v]")), "no camera, no picture");
  assert.ok(steps.includes("[2:a]adelay=3500:all=1[a2]"));
  assert.ok(steps.includes("[a0][a1][a2]amix=inputs=3:duration=longest:normalize=0[aout]"));
  assert.deepEqual([grid.video, grid.audio], ["[vout]", "[aout]"]);
});

Deno.test("one person fills one cell; nobody heard: no audio", () => {
  const grid = gridFilter([{ cell: 0, offsetMs: 0, video: true, audio: false }], 1, 2000);
  assert.match(grid.filter, /^color=c=black:s=640x360:/);
  assert.equal(grid.audio, null);
  const five = gridFilter([], 5, 1000);
  assert.match(five.filter, /s=1920x720/, "five: 3 across, 2 down");
});
