import { css } from "lit";

/** The call screen's styles: the stage, tiles, pager, side panels and the control bar. */
export const callScreenStyles = css`
  .call {
    display: contents;
  }
  /* Heard, not seen: the announcer's live region. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .main {
    flex: 1;
    min-height: 0;
    display: flex;
    gap: var(--_gap);
  }
  [part="stage"] {
    position: relative;
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }
  [part~="grid"] {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: repeat(var(--cols, 1), minmax(0, 1fr));
    grid-auto-rows: minmax(0, 1fr);
    gap: var(--_gap);
    align-content: center;
  }
  [part~="grid"] peer-tile {
    aspect-ratio: auto;
    max-height: 100%;
  }
  .with-featured [part~="grid"] {
    flex: 0 0 22%;
    grid-template-columns: none;
    grid-auto-flow: column;
    grid-auto-columns: minmax(120px, 220px);
    justify-content: center;
    overflow-x: auto;
  }
  [part="screen"],
  [part~="featured"] {
    flex: 1;
    min-height: 0;
    aspect-ratio: auto;
  }
  [part="pager"] {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: center;
    font-size: 0.9em;
  }
  [part="pager"] button {
    padding: 2px 12px;
    border: 0;
    border-radius: 8px;
    background: var(--_control);
    color: inherit;
    cursor: pointer;
  }
  [part="chat-side"] {
    flex: 0 0 min(320px, 40%);
    display: flex;
    flex-direction: column;
    min-height: 0;
    border-radius: var(--_radius);
    background: var(--_panel);
  }
  [part="chat-side"] header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    padding: 10px 12px 0;
  }
  [part="chat-side"] h2 {
    margin: 0;
    font-size: 1em;
  }
  [part="chat-side"] chat-panel {
    flex: 1;
  }
  [part="controls"] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 8px;
  }
  [part~="control"][aria-pressed="true"].chat {
    background: var(--_accent);
    color: #fff;
  }
  /* Icons that point follow the writing direction. */
  [part~="leave"] svg:dir(rtl),
  [part="pager"] button:dir(rtl) {
    transform: scaleX(-1);
  }
  [part~="leave"] {
    background: var(--_danger);
    color: #fff;
  }
  [part="badge"] {
    position: absolute;
    top: -6px;
    inset-inline-end: -6px;
    min-width: 20px;
    padding: 0 5px;
    border-radius: 10px;
    background: var(--_danger);
    color: #fff;
    font-size: 12px;
    line-height: 20px;
    text-align: center;
  }
  .recording-badge {
    position: absolute;
    z-index: 2;
    inset-block-start: 8px;
    inset-inline-start: 8px;
    display: flex;
    gap: 6px;
    align-items: center;
    padding: 3px 10px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.7);
    color: #fff;
    font-size: 0.8rem;
    font-weight: 600;
  }
  .recording-badge .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #e5484d;
  }
  .recording-file {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: center;
    padding: 8px 12px;
    border-radius: 8px;
    border-inline-start: 4px solid var(--_accent);
    background: var(--_panel);
  }
  .recording-file a {
    color: inherit;
    font-weight: 600;
  }
  .recording-file button {
    margin-inline-start: auto;
    background: none;
    border: 0;
    color: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  dialog[part="consent"] {
    max-width: 28rem;
    border: 0;
    border-radius: 12px;
    background: var(--_panel);
    color: var(--_fg);
  }
  dialog[part="consent"] h2 {
    margin: 0 0 8px;
    font-size: 1.1rem;
  }
  dialog[part="consent"] .row {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
`;
