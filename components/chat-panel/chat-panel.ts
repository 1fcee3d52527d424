import { ChatPanel } from "./chat-panel-element.ts";

export { ChatPanel } from "./chat-panel-element.ts";

if (!customElements.get("chat-panel")) customElements.define("chat-panel", ChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    "chat-panel": ChatPanel;
  }
}
