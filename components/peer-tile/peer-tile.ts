import { PeerTile } from "./peer-tile-element.ts";

export { initials, PeerTile } from "./peer-tile-element.ts";

if (!customElements.get("peer-tile")) customElements.define("peer-tile", PeerTile);

declare global {
  interface HTMLElementTagNameMap {
    "peer-tile": PeerTile;
  }
}
