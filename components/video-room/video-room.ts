import { VideoRoom } from "./video-room-element.ts";

export { resolveServerUrl, VideoRoom } from "./video-room-element.ts";

if (!customElements.get("video-room")) customElements.define("video-room", VideoRoom);

declare global {
  interface HTMLElementTagNameMap {
    "video-room": VideoRoom;
  }
}
