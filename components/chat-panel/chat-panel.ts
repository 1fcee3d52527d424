import { ChatPanel } from "./chat-panel-element.ts";

export { ChatPanel } from "./chat-panel-element.ts";
// Its events, typed on every element (HTMLElementEventMap), come with it.
export type { VideoRoomEventMap } from "../internal/events.ts";

if (!customElements.get("chat-panel")) customElements.define("chat-panel", ChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    "chat-panel": ChatPanel;
  }
}
