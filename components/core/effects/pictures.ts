/**
 * The pictures offered for the background: files beside the effects' chunks
 * (copied there by the build), so a page needs no other host for them.
 */
export const PICTURES: readonly string[] = ["background-1.jpg", "background-2.jpg"].map((name) =>
  new URL(name, import.meta.url).href
);
