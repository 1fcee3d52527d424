/**
 * What goes where on the call screen, as a pure function of who is there:
 * the view (grid or speaker), the featured tile, the tiles of the current
 * page, and how large each person shows (for the media transport). No DOM:
 * unit-tested on its own.
 */

/** What the layout needs to know of a participant. */
export interface LayoutParticipant {
  readonly id: string;
  readonly local: boolean;
  /** A shared screen, when there is one. */
  readonly screen: MediaStream | null;
}

/** `auto`: the grid for up to AUTO_GRID_MAX people with nobody sharing, else the speaker view. */
export const LAYOUTS = ["grid", "speaker", "auto"] as const;
export type LayoutMode = (typeof LAYOUTS)[number];
export type LayoutView = "grid" | "speaker";

export const AUTO_GRID_MAX = 4;
/** Tiles per page of the grid, and of the speaker view's filmstrip. */
export const GRID_PAGE = 9;
export const STRIP_PAGE = 6;
/** On a phone: a page of the two-column grid (three rows), and of the strip beside the speaker. */
export const PHONE_GRID_PAGE = 6;
export const PHONE_STRIP_PAGE = 3;

/**
 * A phone-sized call (or an embed as small): held upright, tiles stack in
 * two columns; on its side, the speaker takes the screen beside a strip.
 */
export type CompactShape = "portrait" | "landscape";

/** One tile: a participant's camera, or their screen. */
export interface LayoutTile<P extends LayoutParticipant = LayoutParticipant> {
  /** Stable across renders, for keyed rendering: `<id>` or `<id>:screen`. */
  key: string;
  participant: P;
  screen: boolean;
}

export interface TileLayout<P extends LayoutParticipant = LayoutParticipant> {
  view: LayoutView;
  /** Shown large: a shared screen, the pinned person, or (speaker view) the speaker. */
  featured: LayoutTile<P> | null;
  /** The tiles of this page: the grid, or the speaker view's filmstrip. */
  grid: LayoutTile<P>[];
  /** Columns of the grid: as square as the count allows (the filmstrip: one row). */
  columns: number;
  /** This page (0-based, clamped to the pages there are) and how many there are. */
  page: number;
  pages: number;
  /** How large each person's camera shows; those on other pages are absent. */
  sizes: Map<string, "large" | "small">;
}

export interface LayoutOptions {
  mode?: LayoutMode;
  /** Featured (unless someone shares a screen); a pin is the viewer's own. */
  pinned?: string | null;
  /** Who holds the stage (the dominant speaker): featured in the speaker view. */
  speaker?: string | null;
  page?: number;
  /** Set when the call is phone-sized (absent: a screen with room to spare). */
  shape?: CompactShape | null;
}

const tile = <P extends LayoutParticipant>(participant: P, screen: boolean): LayoutTile<P> => ({
  key: screen ? `${participant.id}:screen` : participant.id,
  participant,
  screen,
});

/**
 * Everyone's camera in the order given (self first). A shared screen is
 * featured, someone else's before one's own (you know what you share);
 * further screens join the tiles. Else the pinned person is featured, and in
 * the speaker view the speaker (never oneself, unless alone), else the first
 * other person. On a phone, `auto` follows the orientation: upright, the
 * grid in two columns (one for two people); on its side, two people side by
 * side and more as a speaker beside a strip.
 */
export function layoutTiles<P extends LayoutParticipant>(
  participants: readonly P[],
  options: LayoutOptions = {},
): TileLayout<P> {
  const sharing = participants.filter((p) => p.screen);
  const screen = sharing.find((p) => !p.local) ?? sharing[0];
  const mode = options.mode ?? "auto";
  const shape = options.shape ?? null;
  const crowd = shape === "portrait" ? Infinity : shape === "landscape" ? 2 : AUTO_GRID_MAX;
  const view: LayoutView = mode === "auto"
    ? (participants.length > crowd || screen ? "speaker" : "grid")
    : mode;
  const find = (id: string | null | undefined) =>
    id == null ? undefined : participants.find((p) => p.id === id);
  const person = screen ? undefined : find(options.pinned) ??
    (view === "speaker"
      ? find(options.speaker) ?? participants.find((p) => !p.local) ?? participants[0]
      : undefined);
  const featured = screen ? tile(screen, true) : person ? tile(person, false) : null;
  const rest = [
    ...participants.filter((p) => p !== person).map((p) => tile(p, false)),
    ...sharing.filter((p) => p !== screen).map((p) => tile(p, true)),
  ];
  const perPage = view === "grid"
    ? (shape ? PHONE_GRID_PAGE : GRID_PAGE)
    : (shape === "landscape" ? PHONE_STRIP_PAGE : STRIP_PAGE);
  const pages = Math.max(1, Math.ceil(rest.length / perPage));
  const page = Math.min(Math.max(0, Math.floor(options.page ?? 0)), pages - 1);
  const grid = rest.slice(page * perPage, (page + 1) * perPage);
  // A grid of a few is big enough to deserve full video; a filmstrip never is.
  const big = view === "grid" && grid.length <= AUTO_GRID_MAX && !featured;
  const sizes = new Map<string, "large" | "small">();
  for (const t of grid) if (!t.screen) sizes.set(t.participant.id, big ? "large" : "small");
  if (person) sizes.set(person.id, "large");
  return {
    view,
    featured,
    grid,
    columns: view !== "grid"
      ? grid.length || 1
      : shape === "portrait"
      ? (grid.length <= 2 ? 1 : 2)
      : shape === "landscape"
      ? Math.min(grid.length, 3) || 1
      : Math.max(1, Math.ceil(Math.sqrt(grid.length))),
    page,
    pages,
    sizes,
  };
}

/** Self first, then raised hands in the order raised, then everyone else by name. */
export function participantOrder<P extends { local: boolean; hand: number | null; name: string }>(
  list: readonly P[],
): P[] {
  const rank = (p: P) => (p.local ? 0 : p.hand !== null ? 1 : 2);
  return [...list].sort((a, b) =>
    rank(a) - rank(b) ||
    (a.hand ?? 0) - (b.hand ?? 0) ||
    a.name.localeCompare(b.name)
  );
}
