import { css } from "lit";

export const chatPanelStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--chat-panel-background, Canvas);
    color: var(--chat-panel-color, CanvasText);
    border-radius: var(--chat-panel-radius, 12px);
    font: inherit;
  }
  [part="list"] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    margin: 0;
    padding: var(--chat-panel-gap, 12px);
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  [part="message"] {
    display: grid;
    gap: 2px;
  }
  .meta {
    display: flex;
    gap: 8px;
    align-items: baseline;
    font-size: 0.8em;
    opacity: 0.75;
  }
  .who {
    font-weight: 600;
  }
  [part="text"] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .empty {
    opacity: 0.6;
    text-align: center;
    margin: auto;
  }
  [part="form"] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 8px;
    padding: var(--chat-panel-gap, 12px);
    border-top: 1px solid color-mix(in srgb, currentColor 15%, transparent);
  }
  textarea {
    font: inherit;
    resize: none;
    min-height: 2.4em;
    max-height: 8em;
    padding: 6px 8px;
    border-radius: 8px;
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
    background: transparent;
    color: inherit;
  }
  [part="send"] {
    font: inherit;
    align-self: start;
    padding: 6px 14px;
    border-radius: 8px;
    border: 0;
    background: var(--chat-panel-accent, #2f5bd8);
    color: #fff;
    cursor: pointer;
  }
  [part="send"]:disabled {
    opacity: 0.5;
    cursor: default;
  }
  [part="counter"] {
    grid-column: 1 / -1;
    font-size: 0.75em;
    opacity: 0.7;
  }
  [part="counter"].over {
    color: #d33;
    opacity: 1;
  }
  :focus-visible {
    outline: 2px solid var(--chat-panel-accent, #2f5bd8);
    outline-offset: 1px;
  }
`;
