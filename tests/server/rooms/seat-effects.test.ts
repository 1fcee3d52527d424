/** What a seat held here goes through, as both registries apply it, and the settle clock. */
import assert from "node:assert/strict";
import type { Admission, Seat, SeatSink } from "../../../server/rooms/room-registry.ts";
import {
  deliver,
  denyWaiting,
  endMeeting,
  type HeldRoom,
  kickSeat,
} from "../../../server/rooms/seat-effects.ts";
import { SettleClock } from "../../../server/rooms/settle-clock.ts";

/** A sink that writes down what it was told. */
function sink(log: string[], name: string): SeatSink {
  return {
    send: (text) => log.push(`${name} <- ${text}`),
    mediaMoved: (mode) => log.push(`${name} media ${mode}`),
    recordingChanged: (r) => log.push(`${name} recording ${r?.mode ?? "off"}`),
    close: (code, reason) => log.push(`${name} closed ${code} ${reason}`),
    admitted: (a: Admission) => log.push(`${name} admitted ${a.seat.id}`),
    denied: (message) => log.push(`${name} denied ${message}`),
  };
}

function seat(id: string, log: string[]): Seat {
  return {
    id,
    room: "r",
    name: id,
    state: { audio: false, video: false, screen: false },
    role: "guest",
    resumeToken: `t-${id}`,
    sink: sink(log, id),
  };
}

function held(log: string[], ids: string[], waiting: string[] = []): HeldRoom<Seat> {
  return {
    seats: new Map(ids.map((id) => [id, seat(id, log)])),
    lobby: new Map(waiting.map((id) => [id, sink(log, id)])),
  };
}

Deno.test("a media move reaches the session as a call before its message; other news as text only", () => {
  const log: string[] = [];
  const s = seat("a", log);
  assert.ok(
    deliver(s, '{"type":"media-mode","mode":"mesh"}', { type: "media-mode", mode: "mesh" }),
  );
  assert.ok(deliver(s, '{"type":"chat"}'));
  assert.deepEqual(log, [
    "a media mesh",
    'a <- {"type":"media-mode","mode":"mesh"}',
    'a <- {"type":"chat"}',
  ]);
  s.sink = null;
  assert.equal(deliver(s, "{}"), false, "a seat in its grace gets nothing");
});

Deno.test("kick: the seat hears removed, is closed 4003 and forgotten; the others are untouched", () => {
  const log: string[] = [];
  const room = held(log, ["a", "b"]);
  const forgotten: string[] = [];
  kickSeat(room, "a", "h", (s) => forgotten.push(s.id));
  kickSeat(room, "nobody", "h", (s) => forgotten.push(s.id));
  assert.deepEqual(log, ['a <- {"type":"removed","by":"h"}', "a closed 4003 removed by a host"]);
  assert.deepEqual(forgotten, ["a"]);
  assert.deepEqual([...room.seats.keys()], ["b"]);
});

Deno.test("end: every seat hears room-ended and is closed 4004; the lobby is turned away", () => {
  const log: string[] = [];
  const room = held(log, ["a", "b"], ["w"]);
  endMeeting(room, "h", () => {});
  assert.deepEqual(log, [
    'a <- {"type":"room-ended","by":"h"}',
    "a closed 4004 the meeting ended",
    'b <- {"type":"room-ended","by":"h"}',
    "b closed 4004 the meeting ended",
    "w denied Cannot join: the meeting ended",
  ]);
  assert.equal(room.seats.size + room.lobby.size, 0);
});

Deno.test("deny: only that waiting guest hears it", () => {
  const log: string[] = [];
  const room = held(log, [], ["w", "v"]);
  denyWaiting(room, "w", "Cannot join: a host turned you away");
  assert.deepEqual(log, ["w denied Cannot join: a host turned you away"]);
  assert.deepEqual([...room.lobby.keys()], ["v"]);
});

Deno.test("the settle clock runs while a room is down to two, once, and stops when it grows", async () => {
  const settled: string[] = [];
  const clock = new SettleClock((room) => settled.push(room), 30);
  clock.follow("a", { mode: "sfu", low: 1 });
  clock.follow("b", { mode: "sfu", low: 1 });
  clock.follow("b", { mode: "sfu" }); // grew again: no check due
  clock.follow("a", { mode: "sfu", low: 2 }); // restarted, still one timer
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(settled, ["a"]);
  clock.follow("c", { mode: "sfu", low: 1 });
  clock.close();
});
