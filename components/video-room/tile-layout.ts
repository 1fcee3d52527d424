/**
 * What goes where on the call screen, as a pure function of who is there:
 * the featured tile (a shared screen, the pinned person), the grid, and its
 * columns. No DOM: unit-tested on its own.
 */

/** What the layout needs to know of a participant. */
export interface LayoutParticipant {
  readonly id: string;
  readonly local: boolean;
  /** A shared screen, when there is one. */
  readonly screen: MediaStream | null;
}

/** One tile: a participant's camera, or their screen. */
export interface LayoutTile<P extends LayoutParticipant = LayoutParticipant> {
  /** Stable across renders, for keyed rendering: `<id>` or `<id>:screen`. */
  key: string;
  participant: P;
  screen: boolean;
}

export interface TileLayout<P extends LayoutParticipant = LayoutParticipant> {
  /** Shown large above the grid, or null for a plain grid. */
  featured: LayoutTile<P> | null;
  grid: LayoutTile<P>[];
  /** Columns of the grid: as square as the count allows. */
  columns: number;
}

const tile = <P extends LayoutParticipant>(participant: P, screen: boolean): LayoutTile<P> => ({
  key: screen ? `${participant.id}:screen` : participant.id,
  participant,
  screen,
});

/**
 * Everyone's camera in the grid, in the order given (self first). A shared
 * screen is featured, someone else's before one's own (you know what you
 * share); further screens join the grid. Without a screen, a pinned person
 * is featured.
 */
export function layoutTiles<P extends LayoutParticipant>(
  participants: readonly P[],
  options: { pinned?: string | null } = {},
): TileLayout<P> {
  const sharing = participants.filter((p) => p.screen);
  const screen = sharing.find((p) => !p.local) ?? sharing[0];
  const pinned = screen ? undefined : participants.find((p) => p.id === options.pinned);
  const featured = screen ? tile(screen, true) : pinned ? tile(pinned, false) : null;
  const grid = [
    ...participants.filter((p) => p !== pinned).map((p) => tile(p, false)),
    ...sharing.filter((p) => p !== screen).map((p) => tile(p, true)),
  ];
  return { featured, grid, columns: Math.max(1, Math.ceil(Math.sqrt(grid.length))) };
}
