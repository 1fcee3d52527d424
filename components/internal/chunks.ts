/**
 * Parts of the bundle that not every visitor needs, each loaded once on
 * demand. esbuild turns every `import()` here into a chunk beside
 * `video-room.js`, fetched by a URL relative to it, so a page on another site
 * needs nothing but the one script tag.
 */
let chatPanel: Promise<unknown> | undefined;
let screenShareButton: Promise<unknown> | undefined;
let callScreen: Promise<typeof import("../video-room/call/call-screen.ts")> | undefined;

/** The chat panel: defines `<chat-panel>` when it resolves. */
export function loadChatPanel(): Promise<unknown> {
  return chatPanel ??= import("../chat-panel/chat-panel.ts");
}

/** The screen share button: defines `<screen-share-button>` (the call's control bar loads it on join). */
export function loadScreenShareButton(): Promise<unknown> {
  return screenShareButton ??= import("../screen-share-button/screen-share-button.ts");
}

/**
 * The call screen (stage, control bar, meeting tools): fetched while the
 * pre-join screen idles, or on join.
 */
export function loadCallScreen(): Promise<typeof import("../video-room/call/call-screen.ts")> {
  return callScreen ??= import("../video-room/call/call-screen.ts");
}

/** Runs `load` once the page is idle, so chunks never compete with the join itself. */
export function whenIdle(load: () => unknown): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => number })
    .requestIdleCallback;
  if (idle) idle(() => load());
  else setTimeout(load, 200);
}
