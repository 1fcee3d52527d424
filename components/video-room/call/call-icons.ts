/** The call's own icons (the pre-join screen's are in internal/icons.ts, in the entry). */
import { svg } from "lit";
import { icon } from "../../internal/icons.ts";

export const chatIcon = icon(svg`
  <path d="M4 5h16v11H9l-5 4z" />
`);
/** Points out of the room: mirrored in right-to-left languages. */
export const leaveIcon = icon(svg`
  <path d="M10 17l-5-5 5-5M5 12h11M14 4h5v16h-5" />
`);
