import { PeerTile } from "./peer-tile-element.ts";

export { initials, PeerTile } from "./peer-tile-element.ts";
// Its events, typed on every element (HTMLElementEventMap), come with it.
export type { VideoRoomEventMap } from "../internal/events.ts";

if (!customElements.get("peer-tile")) customElements.define("peer-tile", PeerTile);

declare global {
  interface HTMLElementTagNameMap {
    "peer-tile": PeerTile;
  }
}
