/**
 * What the seats a registry holds here go through when the rules say so,
 * written once for both registries: a message delivered (a move of the room's
 * media told to the session as such, not found by reading the text), someone
 * removed, the meeting ended, a waiting guest turned away. The registries
 * differ only in how they forget a seat (a resume token and a grace timer in
 * memory, a local seat in a cluster), which they pass in.
 */
import { CloseCode, type ServerMessage } from "../../protocol/messages.ts";
import type { Seat, SeatSink } from "./room-registry.ts";

/** The seats and lobby a registry holds for one room in this process. */
export interface HeldRoom<S extends Seat> {
  readonly seats: Map<string, S>;
  readonly lobby: Map<string, SeatSink>;
}

/**
 * Sends a message (as `text`) to a seat's socket, if it has one now; true
 * when it was sent. `message` is the same message parsed, when it is news
 * about the room (relayed chat and signals need not be read).
 */
export function deliver(seat: Seat, text: string, message?: ServerMessage): boolean {
  const sink = seat.sink;
  if (!sink) return false;
  // A move into a breakout group (or back) may change the path this seat's media takes.
  if (message?.type === "media-mode") sink.mediaMoved(message.mode);
  else if (message?.type === "moved") sink.mediaMoved(message.media);
  // A server recording takes in (or lets go of) each seat's media where it is held.
  else if (message?.type === "room-settings") sink.recordingChanged(message.recording);
  sink.send(text);
  return true;
}

/** Lets go of a seat's socket with a last message and a close code (no reconnecting after it). */
function closeWith(seat: Seat, text: string, code: number, reason: string): void {
  const sink = seat.sink;
  seat.sink = null;
  sink?.send(text);
  sink?.close(code, reason);
}

/** `id` was removed by a host: they hear `removed` and are closed with 4003. */
export function kickSeat<S extends Seat>(
  room: HeldRoom<S>,
  id: string,
  by: string,
  forget: (seat: S) => void,
): void {
  const seat = room.seats.get(id);
  if (!seat) return;
  room.seats.delete(id);
  forget(seat);
  closeWith(seat, JSON.stringify({ type: "removed", by }), CloseCode.Removed, "removed by a host");
}

/** The meeting ended: everyone hears `room-ended` and is closed with 4004; the lobby is turned away. */
export function endMeeting<S extends Seat>(
  room: HeldRoom<S>,
  by: string,
  forget: (seat: S) => void,
): void {
  const text = JSON.stringify({ type: "room-ended", by });
  for (const seat of [...room.seats.values()]) {
    room.seats.delete(seat.id);
    forget(seat);
    closeWith(seat, text, CloseCode.RoomEnded, "the meeting ended");
  }
  for (const sink of room.lobby.values()) sink.denied("Cannot join: the meeting ended");
  room.lobby.clear();
}

/** A waiting guest is turned away with `message` (an error `denied`). */
export function denyWaiting(room: HeldRoom<Seat>, id: string, message: string): void {
  const sink = room.lobby.get(id);
  room.lobby.delete(id);
  sink?.denied(message);
}
