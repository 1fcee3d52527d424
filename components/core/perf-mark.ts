/**
 * Steps of a join on the page's performance timeline, as `video-room:<step>`
 * marks (bundle evaluated, camera ready, socket open, joined, offer sent, ICE
 * connected, first frame). The join benchmark reads them; anyone can, in the
 * browser's performance panel. Only the first of each step is marked.
 */
const marked = new Set<string>();

export function mark(step: string): void {
  if (marked.has(step)) return;
  marked.add(step);
  globalThis.performance?.mark?.(`video-room:${step}`);
}
