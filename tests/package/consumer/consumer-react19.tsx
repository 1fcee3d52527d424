// React 19's own custom-element support, typed as docs/frameworks.md shows.
import "video-room/video-room";
import type { VideoRoom } from "video-room";
import type { DetailedHTMLProps, HTMLAttributes } from "react";

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "video-room": DetailedHTMLProps<HTMLAttributes<VideoRoom>, VideoRoom> & {
        room: string;
        server?: string;
        name?: string;
        layout?: "grid" | "speaker" | "auto";
        "onroom-joined"?: (e: CustomEvent<{ id: string; room: string }>) => void;
      };
    }
  }
}

export function Meeting() {
  return (
    <video-room
      room="team-sync"
      server="wss://signal.example.com/ws"
      onroom-joined={(e) => console.log("joined as", e.detail.id)}
    />
  );
}
