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

/** An event's name, typed with its detail for `createComponent`. */
const event = <K extends keyof VideoRoomEventMap>(name: K) =>
  name as EventName<VideoRoomEventMap[K]>;

/** The React prop for each `<video-room>` event. */
const events = {
  onRoomJoined: event("room-joined"),
  onRoomLeft: event("room-left"),
  onPeerJoined: event("peer-joined"),
  onPeerLeft: event("peer-left"),
  onChatMessage: event("chat-message"),
  onScreenShareStarted: event("screen-share-started"),
  onScreenShareStopped: event("screen-share-stopped"),
  onRoomState: event("room-state"),
  onRoomError: event("room-error"),
  onRoleChanged: event("role-changed"),
  onModerated: event("moderated"),
  onRemoved: event("removed"),
  onRoomEnded: event("room-ended"),
  onKnock: event("knock"),
  onRoomSettingsChanged: event("room-settings-changed"),
  onLayoutChanged: event("layout-changed"),
  onActiveSpeakerChanged: event("active-speaker-changed"),
  onHandRaised: event("hand-raised"),
  onHandLowered: event("hand-lowered"),
  onReaction: event("reaction"),
  onMediaModeChanged: event("media-mode-changed"),
  onRecordingStarted: event("recording-started"),
  onRecordingStopped: event("recording-stopped"),
  onRecordingReady: event("recording-ready"),
  onBreakoutsChanged: event("breakouts-changed"),
  onBreakoutChanged: event("breakout-changed"),
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
