import { css } from "lit";

export const screenShareButtonStyles = css`
  :host {
    display: inline-block;
  }
  [part="button"] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font: inherit;
    padding: var(--screen-share-button-padding, 8px 12px);
    border-radius: var(--screen-share-button-radius, 10px);
    border: 0;
    background: var(--screen-share-button-background, #2c3242);
    color: var(--screen-share-button-color, #fff);
    cursor: pointer;
  }
  :host([sharing]) [part="button"] {
    background: var(--screen-share-button-active-background, #2f5bd8);
  }
  [part="button"]:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  [part="button"]:focus-visible {
    outline: 2px solid var(--screen-share-button-active-background, #2f5bd8);
    outline-offset: 2px;
  }
  .label {
    white-space: nowrap;
  }
  :host([compact]) .label {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  [part="reason"] {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;
