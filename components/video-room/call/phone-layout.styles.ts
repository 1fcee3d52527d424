import { css } from "lit";

/**
 * The call on a phone (or in an embed as small; the call screen decides from
 * the element's size): one row of controls whose More opens as a sheet from
 * the bottom, chat and participants over the whole call with their close in
 * reach, touch targets of at least 44 px, and tiles that fill the screen:
 * upright, two columns with an odd last tile across both; on its side, the
 * speaker beside a strip.
 */
export const phoneLayoutStyles = css`
  .compact [part="controls"] {
    flex-wrap: nowrap;
    justify-content: space-evenly;
    gap: 6px;
  }
  .compact button,
  .compact [part~="control"] {
    min-width: 44px;
    min-height: 44px;
    justify-content: center;
  }
  .compact [part="controls"] .menu {
    position: static;
  }
  .compact [part="controls"] [role="menu"] {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 0;
    z-index: 5;
    max-height: 85%;
    overflow-y: auto;
    grid-template-columns: repeat(6, minmax(0, 1fr));
    gap: 2px;
    padding: 8px 8px max(8px, env(safe-area-inset-bottom));
    border-radius: 16px 16px 0 0;
  }
  .compact [part="controls"] [role^="menuitem"] {
    grid-column: 1 / -1;
    min-height: 48px;
  }
  .compact [part="controls"] .emoji {
    grid-column: auto;
    padding: 0;
  }
  .scrim {
    position: absolute;
    inset: 0;
    z-index: 4;
    background: rgb(0 0 0 / 40%);
  }
  .compact .side {
    position: absolute;
    inset: 0;
    z-index: 6;
    border-radius: 0;
  }
  .portrait [part~="grid"][data-cols="2"] > :last-child:nth-child(odd) {
    grid-column: span 2;
  }
  .landscape .with-featured {
    flex-direction: row;
  }
  .landscape .with-featured [part~="grid"] {
    flex: 0 0 28%;
    grid-auto-flow: row;
    grid-template-columns: minmax(0, 1fr);
    grid-auto-rows: minmax(0, 1fr);
    overflow: hidden auto;
  }
  .landscape .with-featured [part="pager"] {
    flex-direction: column;
  }
`;
