import { css } from "lit";

/** A switch shows its state (on: the accent); the rest takes the element's own styles. */
export const mediaSettingsStyles = css`
  .switch {
    justify-content: space-between;
  }
  .switch::after {
    content: "";
    inline-size: 2.2em;
    block-size: 1.2em;
    border-radius: 0.6em;
    background: radial-gradient(circle at 0.6em 50%, #fff 0.45em, transparent 0.5em) currentColor;
    opacity: 0.45;
  }
  .switch[aria-pressed="true"] {
    background: var(--_accent);
    color: #fff;
  }
  .switch[aria-pressed="true"]::after {
    opacity: 1;
    background: radial-gradient(circle at calc(100% - 0.6em) 50%, var(--_accent) 0.45em, transparent
      0.5em) #fff;
  }
  :dir(rtl) .switch::after {
    transform: scaleX(-1);
  }
  .backgrounds {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .backgrounds span {
    inline-size: 100%;
    text-align: start;
    font-size: 0.9em;
  }
  .choice[aria-pressed="true"] {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .choice img {
    inline-size: 48px;
    block-size: 27px;
    object-fit: cover;
    border-radius: 4px;
    display: block;
  }
  .choice:has(img) {
    padding: 4px;
  }
  [part="settings"] .devices {
    margin-top: 8px;
    overflow-y: auto;
    /* Room for the chosen background's outline, which the scrolling box would clip. */
    padding: 3px;
  }
`;
