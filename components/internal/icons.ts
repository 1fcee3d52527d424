import { svg, type SVGTemplateResult } from "lit";

/**
 * 24×24 stroke icons, drawn small on purpose: the bundle has a size budget.
 * These are the ones the pre-join screen and the tiles need; the call's own
 * are in its chunk (call/call-icons.ts).
 */
export const icon = (d: SVGTemplateResult) =>
  svg`
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2"
      stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${d}</svg>
  `;

const slash = svg`
  <path d="M3 3l18 18" />
`;
const micPath = svg`
  <rect x="9" y="3" width="6" height="11" rx="3" />
  <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
`;
const camPath = svg`
  <rect x="3" y="6" width="12" height="12" rx="2" />
  <path d="M15 10l6-3v10l-6-3z" />
`;

export const icons = {
  mic: icon(micPath),
  micOff: icon(svg`${micPath}${slash}`),
  cam: icon(camPath),
  camOff: icon(svg`${camPath}${slash}`),
  settings: icon(svg`
    <path d="M4 7h9M19 7h1M4 17h1M11 17h9" />
    <circle cx="16" cy="7" r="3" />
    <circle cx="8" cy="17" r="3" />
  `),
  // After Lucide's "hand" (ISC licence).
  hand: icon(svg`
    <path d="M18 11V6a2 2 0 0 0-4 0M14 10V4a2 2 0 0 0-4 0v6M10 10.5V6a2 2 0 0 0-4 0v8" />
    <path
      d="M18 8a2 2 0 1 1 4 0v6a8 8 0 0 1-8 8h-2c-2.8 0-4.5-.9-6-2.3l-3.6-3.6a2 2 0 0 1 2.8-2.8L7 15" />
  `),
} as const;
