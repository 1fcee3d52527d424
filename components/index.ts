/**
 * The bundle entry (`dist/video-room.js`): defines all four elements and
 * exports the classes and the core for scripting. `<chat-panel>` and
 * `<screen-share-button>` come from chunks, defined once the page is idle (or
 * sooner, when a room joins or opens its chat):
 * `customElements.whenDefined("chat-panel")` tells when.
 */
import { mark } from "./core/perf-mark.ts";
import { loadChatPanel, loadScreenShareButton, whenIdle } from "./internal/chunks.ts";

export { VideoRoom } from "./video-room/video-room.ts";
export { PeerTile } from "./peer-tile/peer-tile.ts";
export type { ChatPanel } from "./chat-panel/chat-panel.ts";
export type { ScreenShareButton } from "./screen-share-button/screen-share-button.ts";
export { RoomSession } from "./core/room-session.ts";
export type { ChatEntry, Participant, RoomStatus } from "./core/room-session.ts";
export type { RoomErrorDetail } from "./core/room-error.ts";
export type { TokenProvider, TokenRequest } from "./core/signaling/token-source.ts";
export type { ChatMessageDetail, PeerSummary, VideoRoomEventMap } from "./internal/events.ts";
export { DEFAULT_STRINGS, type RoomStrings } from "./internal/strings.ts";

mark("bundle-evaluated");
whenIdle(() => {
  void loadScreenShareButton();
  void loadChatPanel();
});
