/**
 * `video-room/react`: `<VideoRoom>` for React 18 and 19, made with `@lit/react`.
 * React 18 sets attributes only and never listens to custom events; the wrapper
 * sets properties and maps each event to an `on…` prop with its typed detail.
 * (React 19 can use `<video-room>` directly: see docs/frameworks.md.)
 */
import * as React from "react";
import { createComponent, type EventName } from "@lit/react";
import { VideoRoom as VideoRoomElement } from "../video-room/video-room.ts";
import type { VideoRoomEventMap } from "../internal/events.ts";

/** The React prop for each `<video-room>` event. */
const events = {
  onRoomJoined: "room-joined" as EventName<VideoRoomEventMap["room-joined"]>,
  onRoomLeft: "room-left" as EventName<VideoRoomEventMap["room-left"]>,
  onPeerJoined: "peer-joined" as EventName<VideoRoomEventMap["peer-joined"]>,
  onPeerLeft: "peer-left" as EventName<VideoRoomEventMap["peer-left"]>,
  onChatMessage: "chat-message" as EventName<VideoRoomEventMap["chat-message"]>,
  onScreenShareStarted: "screen-share-started" as EventName<
    VideoRoomEventMap["screen-share-started"]
  >,
  onScreenShareStopped: "screen-share-stopped" as EventName<
    VideoRoomEventMap["screen-share-stopped"]
  >,
  onRoomState: "room-state" as EventName<VideoRoomEventMap["room-state"]>,
  onRoomError: "room-error" as EventName<VideoRoomEventMap["room-error"]>,
  onRoleChanged: "role-changed" as EventName<VideoRoomEventMap["role-changed"]>,
  onModerated: "moderated" as EventName<VideoRoomEventMap["moderated"]>,
  onRemoved: "removed" as EventName<VideoRoomEventMap["removed"]>,
  onRoomEnded: "room-ended" as EventName<VideoRoomEventMap["room-ended"]>,
  onKnock: "knock" as EventName<VideoRoomEventMap["knock"]>,
  onRoomSettingsChanged: "room-settings-changed" as EventName<
    VideoRoomEventMap["room-settings-changed"]
  >,
  onLayoutChanged: "layout-changed" as EventName<VideoRoomEventMap["layout-changed"]>,
  onActiveSpeakerChanged: "active-speaker-changed" as EventName<
    VideoRoomEventMap["active-speaker-changed"]
  >,
  onHandRaised: "hand-raised" as EventName<VideoRoomEventMap["hand-raised"]>,
  onHandLowered: "hand-lowered" as EventName<VideoRoomEventMap["hand-lowered"]>,
  onReaction: "reaction" as EventName<VideoRoomEventMap["reaction"]>,
  onMediaModeChanged: "media-mode-changed" as EventName<VideoRoomEventMap["media-mode-changed"]>,
} as const;

/**
 * `<VideoRoom room="team-sync" server="wss://…" onRoomJoined={(e) => e.detail.id} />`:
 * every property of the element is a prop, every event an `on…` prop.
 */
export const VideoRoom = createComponent({
  react: React,
  tagName: "video-room",
  elementClass: VideoRoomElement,
  events,
  displayName: "VideoRoom",
});

export type { VideoRoomElement };
export type { VideoRoomEventMap } from "../internal/events.ts";
