/**
 * The transport of a browser that cannot make calls (no WebRTC): it shows
 * everyone, connects to no one (nobody connects to it either: the server told
 * them `media: "none"`), and never touches RTCPeerConnection, which is not
 * there. Chat, hands and reactions go over signaling as always.
 */
import type { PeerInfo } from "../../../protocol/messages.ts";
import { Emitter } from "../emitter.ts";
import type { JoinedRoom, MediaTransport, MediaTransportEvents } from "./media-transport.ts";

export class ChatOnlyTransport extends Emitter<MediaTransportEvents> implements MediaTransport {
  joined(room: JoinedRoom): void {
    for (const peer of room.peers) this.peerJoined(peer);
  }

  peerJoined(peer: PeerInfo): void {
    this.emit("admit", peer);
    this.emit("connection", { peer: peer.id, state: "none" });
  }

  peerLeft(): void {}
  signal(): void {}
  replaceTrack(): void {}
  setScreen(): void {}
  setView(): void {}

  connections(): Array<{ peers: string[]; pc: RTCPeerConnection }> {
    return [];
  }

  close(): void {}
}
