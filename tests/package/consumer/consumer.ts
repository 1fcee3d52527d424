// Type-checked against the installed tarball by tests/package/package.test.ts, under strict with
// moduleResolution "bundler" and "node16". Every @ts-expect-error must hold: a wrong use fails.
import { PeerTile, RoomSession, VideoRoom } from "video-room";
import type { ChatMessageDetail, PeerSummary, VideoRoomEventMap } from "video-room";
import "video-room/chat-panel";
import { LIMITS, REACTIONS } from "video-room/protocol";
import type { ServerMessage } from "video-room/protocol";

const found = document.querySelector("video-room");
if (found) {
  const el: VideoRoom = found;
  el.room = "team-sync";
  el.server = "wss://signal.example.com/ws";
  el.layout = "speaker";
  void el.join();
  el.leave();
  el.addEventListener("room-joined", (e) => {
    const id: string = e.detail.id;
    const room: string = e.detail.room;
    console.log(id, room);
  });
  el.addEventListener("peer-joined", (e) => {
    const peer: PeerSummary = e.detail.peer;
    console.log(peer.name, peer.state.audio, peer.hand);
  });
  el.addEventListener("chat-message", (e) => {
    const message: ChatMessageDetail = e.detail;
    console.log(message.text);
  });
  // @ts-expect-error: room-joined's detail has no peer
  el.addEventListener("room-joined", (e) => console.log(e.detail.peer));
  // @ts-expect-error: a reaction's emoji is a string, not a number
  el.addEventListener("reaction", (e) => Math.abs(e.detail.emoji));
  // @ts-expect-error: no such method
  el.joinRoom();
}

const created: VideoRoom = document.createElement("video-room");
const tile: PeerTile = document.createElement("peer-tile");
const panel = document.createElement("chat-panel");
panel.messages = [];
// Any element's listener knows the events' details too.
document.body.addEventListener("room-error", (e) => console.log(e.detail.code, e.detail.message));

type Joined = VideoRoomEventMap["room-joined"]["detail"];
const joined: Joined = { id: "a", room: "b" };
const session: typeof RoomSession = RoomSession;
const limit: number = LIMITS.nameMax;
const firstReaction: string = REACTIONS[0];
function describe(m: ServerMessage): string {
  return m.type;
}
console.log(created, tile, joined, session, limit, firstReaction, describe);
