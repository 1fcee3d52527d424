/**
 * A call on a phone lives with its page: the screen locks, the tab goes to
 * the background, the page is closed or put away. Back in view, what the
 * system stopped is started again; when the page goes away, the call is left
 * at once (the others see the person go, not a connection that times out).
 */
export interface PageHooks {
  /** The page is in view again (after a locked screen, a background tab). */
  visible(): void;
  /** The page is being closed, navigated away from or put in the back/forward cache. */
  gone(): void;
}

/** Listens to the page's lifecycle; returns the function that stops listening. */
export function watchPage(hooks: PageHooks): () => void {
  const doc = globalThis.document;
  if (!doc) return () => {};
  const onVisibility = () => {
    if (doc.visibilityState === "visible") hooks.visible();
  };
  const onPageHide = () => hooks.gone();
  doc.addEventListener("visibilitychange", onVisibility);
  globalThis.addEventListener("pagehide", onPageHide);
  return () => {
    doc.removeEventListener("visibilitychange", onVisibility);
    globalThis.removeEventListener("pagehide", onPageHide);
  };
}
