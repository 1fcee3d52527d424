import { css } from "lit";

/** The breakout panel and the bar above the stage. */
export const breakoutPanelStyles = css`
  /* Laid out as the participants panel (meeting-controls.styles.ts); its own scroll and gaps. */
  [part="breakouts"] {
    gap: 10px;
    overflow-y: auto;
  }
  [part="breakouts"] h3 {
    margin: 0;
    font-size: 1em;
  }
  [part="breakouts"] form,
  [part="breakouts"] fieldset,
  [part="breakouts"] .groups {
    display: grid;
    gap: 8px;
  }
  [part="breakouts"] fieldset {
    margin: 0;
    padding: 6px 8px;
    border: 1px solid color-mix(in srgb, currentColor 25%, transparent);
    border-radius: 8px;
  }
  [part="breakouts"] label {
    display: grid;
    gap: 4px;
  }
  [part="breakouts"] label.choice {
    display: flex;
    align-items: center;
    gap: 6px;
  }
  [part="breakouts"] ul {
    margin: 4px 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 4px;
  }
  [part="breakouts"] li,
  [part="breakouts"] li label {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 8px;
  }
  [part="breakouts"] input,
  [part="breakouts"] select {
    font: inherit;
    padding: 4px 6px;
    border-radius: 6px;
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
    background: var(--_panel);
    color: inherit;
  }
  [part="breakouts"] li label {
    flex: 1;
  }
  [part="breakouts"] .broadcast button {
    justify-self: start;
  }
  [part="breakouts"] .end {
    align-self: flex-start;
  }
  [part="breakout-bar"],
  [part="broadcast"] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--_panel);
    border-inline-start: 4px solid var(--_accent);
  }
  [part="breakout-bar"].warn {
    border-inline-start-color: var(--_danger);
  }
  [part="breakout-timer"] {
    font-variant-numeric: tabular-nums;
    opacity: 0.8;
  }
  [part="breakout-bar"] > span:first-child,
  [part="broadcast"] > span {
    flex: 1;
    min-width: 0;
  }
`;
