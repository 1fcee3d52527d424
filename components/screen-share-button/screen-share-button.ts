import { ScreenShareButton } from "./screen-share-button-element.ts";

export { ScreenShareButton } from "./screen-share-button-element.ts";
// Its events, typed on every element (HTMLElementEventMap), come with it.
export type { VideoRoomEventMap } from "../internal/events.ts";

if (!customElements.get("screen-share-button")) {
  customElements.define("screen-share-button", ScreenShareButton);
}

declare global {
  interface HTMLElementTagNameMap {
    "screen-share-button": ScreenShareButton;
  }
}
