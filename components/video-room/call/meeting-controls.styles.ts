/** Styles of the meeting controls, the menus, the participants panel and the chat preview. */
import { css } from "lit";

export const meetingControlsStyles = css`
  .menu {
    position: relative;
  }
  [part~="menu-button"] {
    min-width: 36px;
    justify-content: center;
  }
  [slot="actions"] [part~="menu-button"] {
    padding: 2px 8px;
    background: rgb(0 0 0 / 55%);
    color: #fff;
  }
  [role="menu"] {
    position: absolute;
    inset-inline-end: 0;
    z-index: 2;
    display: grid;
    min-width: 180px;
    padding: 4px;
    border-radius: 8px;
    background: var(--_panel);
    color: var(--_fg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 30%);
  }
  [part="controls"] [role="menu"] {
    bottom: calc(100% + 6px);
  }
  [role="menu"]:has(.emoji) {
    grid-template-columns: repeat(3, auto);
    min-width: 0;
  }
  [role^="menuitem"] {
    padding: 8px 10px;
    border: 0;
    border-radius: 6px;
    background: none;
    color: inherit;
    text-align: start;
    cursor: pointer;
    white-space: nowrap;
  }
  [role="menuitemradio"]::before {
    content: "";
    display: inline-block;
    width: 1.4em;
  }
  [role="menuitemradio"][aria-checked="true"]::before {
    content: "✓";
  }
  .emoji {
    font-size: 1.4em;
    text-align: center;
  }
  [role^="menuitem"]:hover,
  [role^="menuitem"]:focus-visible {
    background: var(--_control);
  }
  .danger {
    color: var(--_danger);
  }
  [part~="control"][aria-pressed="true"]:is([part~="participants"], [part~="hand"]) {
    background: var(--_accent);
    color: #fff;
  }
  /* The side panels: participants, settings, and breakout groups (whose own styles come with them). */
  [part="participants"],
  [part="settings"],
  [part="breakouts"] {
    flex: 0 0 min(280px, 40%);
    display: flex;
    flex-direction: column;
    min-height: 0;
    padding: 10px;
    border-radius: var(--_radius);
    background: var(--_panel);
  }
  [part="participants"] header,
  [part="settings"] header,
  [part="breakouts"] header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  [part="participants"] h2,
  [part="settings"] h2,
  [part="breakouts"] h2 {
    margin: 0;
    font-size: 1em;
  }
  [part="participants"] ul {
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    overflow-y: auto;
    display: grid;
    gap: 6px;
  }
  [part="participants"] li {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: center;
  }
  .who {
    font-weight: 600;
  }
  .tags {
    flex: 1;
    opacity: 0.75;
    font-size: 0.85em;
  }
  [part="participants"] button,
  .side .close,
  [part="chat-notice"] button,
  /* The breakout panel's and bar's small buttons too (their chunk brings the rest). */ [part="breakouts"] button:not(.primary),
  [part="breakout-bar"] button,
  [part="broadcast"] button {
    border: 0;
    border-radius: 6px;
    padding: 4px 8px;
    background: var(--_control);
    color: inherit;
    cursor: pointer;
  }
  [part="chat-notice"] {
    position: absolute;
    inset-inline-end: calc(var(--_gap) * 2);
    bottom: 72px;
    z-index: 3;
    display: flex;
    gap: 4px;
    max-width: min(360px, 80%);
    padding: 6px;
    border-radius: 10px;
    background: var(--_panel);
    box-shadow: 0 6px 24px rgb(0 0 0 / 25%);
  }
  [part="chat-notice"] .open {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: start;
    background: none;
  }
`;
