/**
 * The background effect's worker: the compositor (background-compositor.ts)
 * off the page's main thread. Built on its own into `background-worker.js`
 * beside the effects chunk.
 */
import { BackgroundCompositor } from "./background-compositor.ts";
import type { BackgroundRequest } from "./background-messages.ts";

const scope = self as unknown as Worker;
const compositor = new BackgroundCompositor((report, transfer = []) =>
  scope.postMessage(report, transfer)
);
scope.onmessage = (e: MessageEvent<BackgroundRequest>) => void compositor.handle(e.data);
