/**
 * The rules of a room, written once: given what a room holds, what a join,
 * a leave or a state change does to it (the changes to store) and who is
 * told what (the notices to deliver). Pure functions, no I/O: the memory
 * registry applies the outcome to its maps, the Redis registry stores it
 * atomically if the room did not change meanwhile (and decides again if it
 * did). Cluster mechanics (sockets, resume tokens, grace, instances) are not
 * rules and stay with the registries.
 */
import {
  ErrorCode,
  type MediaState,
  type PeerInfo,
  type ServerMessage,
} from "../protocol/messages.ts";

/** Someone seated in a room, as everyone else sees them. */
export type Member = PeerInfo;

/** What a room holds that its rules read. */
export interface RoomData {
  /** Everyone seated, in the order they joined (those in their resume grace too). */
  readonly members: readonly Member[];
}

export interface RoomPolicy {
  /** Seats per room. */
  maxPeers: number;
}

/** Who a notice is for. */
export type Audience =
  | { all: true }
  | { allBut: string }
  | { only: string };

export interface Notice {
  to: Audience;
  message: ServerMessage;
}

/** A change to what the room holds. */
export type Change =
  | { op: "add"; member: Member }
  | { op: "remove"; id: string }
  | { op: "update"; member: Member };

export interface Outcome {
  changes: Change[];
  notices: Notice[];
}

export const EMPTY_ROOM: RoomData = { members: [] };

const NOTHING: Outcome = { changes: [], notices: [] };

/** A seat for `joiner`, or the reason there is none. */
export function join(
  room: RoomData,
  joiner: Member,
  policy: RoomPolicy,
): (Outcome & { ok: true }) | { ok: false; code: ErrorCode } {
  if (room.members.length >= policy.maxPeers) return { ok: false, code: ErrorCode.RoomFull };
  return {
    ok: true,
    changes: [{ op: "add", member: joiner }],
    notices: [{ to: { allBut: joiner.id }, message: { type: "peer-joined", peer: joiner } }],
  };
}

/** Someone leaves (or their grace ended): the others are told. */
export function leave(room: RoomData, id: string): Outcome {
  if (!room.members.some((m) => m.id === id)) return NOTHING;
  return {
    changes: [{ op: "remove", id }],
    notices: [{ to: { allBut: id }, message: { type: "peer-left", id } }],
  };
}

/** Someone's microphone, camera or screen changed: the others are told. */
export function setState(room: RoomData, id: string, state: MediaState): Outcome {
  const member = room.members.find((m) => m.id === id);
  if (!member) return NOTHING;
  return {
    changes: [{ op: "update", member: { ...member, state } }],
    notices: [{ to: { allBut: id }, message: { type: "peer-state", id, state } }],
  };
}

/** The room after `changes` (a new object; the old one is untouched). */
export function applyChanges(room: RoomData, changes: readonly Change[]): RoomData {
  let members = room.members;
  for (const change of changes) {
    switch (change.op) {
      case "add":
        members = [...members, change.member];
        break;
      case "remove":
        members = members.filter((m) => m.id !== change.id);
        break;
      case "update":
        members = members.map((m) => (m.id === change.member.id ? change.member : m));
        break;
    }
  }
  return { ...room, members };
}

/** Whether a seat with this id hears a notice. */
export function hears(to: Audience, id: string): boolean {
  return "all" in to || ("allBut" in to ? to.allBut !== id : to.only === id);
}
