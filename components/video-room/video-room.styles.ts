import { css } from "lit";

export const videoRoomStyles = css`
  :host {
    --_bg: var(--video-room-background, #f4f5f8);
    --_fg: var(--video-room-color, #161a23);
    --_panel: var(--video-room-panel-background, #fff);
    --_control: var(--video-room-control-background, #e3e6ee);
    --_control-fg: var(--video-room-control-color, #161a23);
    --_accent: var(--video-room-accent, #2f5bd8);
    --_danger: var(--video-room-danger, #c62f2f);
    --_radius: var(--video-room-radius, 12px);
    --_gap: var(--video-room-gap, 10px);
    display: block;
    position: relative;
    height: var(--video-room-height, min(80vh, 720px));
    min-height: 320px;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_fg);
    font: var(--video-room-font, 15px/1.4 system-ui, sans-serif);
    border-radius: var(--_radius);
    overflow: hidden;
    color-scheme: light;
    --peer-tile-radius: var(--_radius);
    --chat-panel-accent: var(--_accent);
    --chat-panel-background: var(--_panel);
    --chat-panel-color: var(--_fg);
    --chat-panel-radius: var(--_radius);
    --screen-share-button-background: var(--_control);
    --screen-share-button-color: var(--_control-fg);
    --screen-share-button-active-background: var(--_accent);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--video-room-background, #10131a);
      --_fg: var(--video-room-color, #e9ecf3);
      --_panel: var(--video-room-panel-background, #1b202b);
      --_control: var(--video-room-control-background, #2c3242);
      --_control-fg: var(--video-room-control-color, #e9ecf3);
      color-scheme: dark;
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part="base"] {
    height: 100%;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_gap);
  }
  button,
  input {
    font: inherit;
  }
  [part~="control"],
  .primary {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 8px 12px;
    border-radius: 10px;
    border: 0;
    background: var(--_control);
    color: var(--_control-fg);
    cursor: pointer;
  }
  [part~="control"][aria-pressed="false"].off {
    background: var(--_danger);
    color: #fff;
  }
  [part~="control"][aria-expanded="true"] {
    background: var(--_accent);
    color: #fff;
  }
  .primary {
    background: var(--_accent);
    color: #fff;
    padding: 10px 20px;
    justify-content: center;
  }
  /* A finger, not a pointer: every target at least 44 px (the call screen's too, on phones). */
  @media (pointer: coarse) {
    button,
    input,
    select {
      min-height: 44px;
    }
    [part~="control"] {
      min-width: 44px;
      justify-content: center;
    }
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~="banner"] {
    padding: 8px 12px;
    border-radius: 8px;
    background: var(--_panel);
    display: flex;
    gap: 12px;
    align-items: center;
    justify-content: space-between;
  }
  [part="banner"].error {
    border-inline-start: 4px solid var(--_danger);
  }
  [part~="notice"] {
    border-inline-start: 4px solid var(--_accent);
  }
  [part~="banner"] button {
    background: none;
    border: 0;
    color: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .screen-message {
    flex: 1;
    min-height: 0;
    display: grid;
    place-content: center;
    gap: 16px;
    text-align: center;
  }
  /*
  * Pre-join: title, preview, form. The preview row is what gives way (down to
  * a strip) when the element is short, so the name field and Join stay in
  * view in a small embed. Wide elements put the form beside the preview.
  */
  [part="base"] {
    container-type: inline-size;
  }
  [part="prejoin"] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    display: grid;
    grid-template:
      "title" auto
      "preview" minmax(96px, max-content)
      "form" auto / minmax(0, 480px);
    place-content: center;
    gap: 12px;
    text-align: center;
  }
  @container (min-width: 640px) {
    [part="prejoin"] {
      grid-template:
        "preview title" 1fr
        "preview form" 1fr / minmax(0, 480px) minmax(200px, 280px);
      column-gap: 24px;
    }
    [part="prejoin"] h2 {
      align-self: end;
    }
    [part="prejoin"] form {
      align-self: start;
    }
  }
  [part="prejoin"] h2 {
    grid-area: title;
  }
  .preview {
    grid-area: preview;
    min-height: 0;
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: 8px;
  }
  [part="preview"] {
    flex: 0 1 auto;
    min-height: 48px;
  }
  [part="prejoin"] h2,
  .screen-message p {
    margin: 0;
    font-size: 1.2em;
  }
  [part="prejoin"] form {
    grid-area: form;
    display: grid;
    gap: 10px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: center;
  }
  .devices {
    display: grid;
    gap: 8px;
  }
  label {
    display: grid;
    gap: 4px;
    text-align: start;
    font-size: 0.9em;
  }
  input,
  select {
    padding: 8px 10px;
    border-radius: 8px;
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
    background: var(--_panel);
    color: inherit;
  }
`;
