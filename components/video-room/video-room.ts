import { VideoRoom } from "./video-room-element.ts";

export { resolveServerUrl, VideoRoom } from "./video-room-element.ts";
// Its events, typed on every element (HTMLElementEventMap), come with it.
export type { VideoRoomEventMap } from "../internal/events.ts";

if (!customElements.get("video-room")) customElements.define("video-room", VideoRoom);

declare global {
  interface HTMLElementTagNameMap {
    "video-room": VideoRoom;
  }
}
