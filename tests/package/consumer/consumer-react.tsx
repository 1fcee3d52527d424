// The React wrapper's props and events, type-checked from the installed tarball.
import { VideoRoom } from "video-room/react";

export function Meeting({ onJoined }: { onJoined: (id: string) => void }) {
  return (
    <VideoRoom
      room="team-sync"
      server="wss://signal.example.com/ws"
      layout="grid"
      onRoomJoined={(e) => onJoined(e.detail.id)}
      onPeerLeft={(e) => console.log(e.detail.peer.name)}
    />
  );
}

export function Wrong() {
  return (
    <VideoRoom
      room="team-sync"
      // @ts-expect-error: room-joined's detail has no text
      onRoomJoined={(e) => console.log(e.detail.text.length)}
    />
  );
}
