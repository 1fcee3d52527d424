/**
 * The session's events as the element's DOM events (typed in
 * HTMLElementEventMap, bubbling and composed): fired for remote changes and
 * this page's own actions, never because a property was set.
 */
import type { Participant, RoomSession, RoomStatus } from "../core/room-session.ts";
import { fire, type PeerSummary } from "../internal/events.ts";
import { t, type Texts } from "../internal/strings.ts";

/** A participant as events describe them; oneself under the id the room knows. */
export function summary(p: Participant, selfId?: string | null): PeerSummary {
  return {
    id: p.local ? selfId ?? p.id : p.id,
    name: p.name,
    state: { ...p.state },
    connection: p.connection,
    role: p.role,
    hand: p.hand,
  };
}

/** What the forwarding needs of the element. */
export interface EventHost extends HTMLElement {
  readonly room: string;
  readonly texts: Texts;
  notify(text: string): void;
}

/** Follows `session` for `el`; returns what stops following. */
export function forwardSessionEvents(el: EventHost, session: RoomSession): Array<() => void> {
  let previous: RoomStatus = session.status;
  const who = (p: Participant) => summary(p, session.selfId);
  const maybe = (p: Participant | null) => (p ? who(p) : null);
  el.setAttribute("media-mode", session.mediaMode);
  return [
    session.on("status", (state) => {
      fire(el, "room-state", { state, previous });
      if (state === "joined" && previous === "connecting") {
        fire(el, "room-joined", { id: session.selfId ?? "", room: el.room });
      }
      if (state === "left") fire(el, "room-left", { room: el.room });
      previous = state;
    }),
    // Someone's arrival and leaving, as the page's events.
    ...(["peer-joined", "peer-left"] as const).map((type) =>
      session.on(type, (p) => fire(el, type, { peer: who(p) }))
    ),
    session.on("chat", (m) => fire(el, "chat-message", { ...m })),
    session.on("hand", ({ participant, raised }) => {
      fire(el, raised ? "hand-raised" : "hand-lowered", { peer: who(participant) });
    }),
    session.on("reaction", ({ participant, emoji }) => {
      fire(el, "reaction", { peer: who(participant), emoji });
    }),
    session.on("active-speaker", (p) => fire(el, "active-speaker-changed", { peer: maybe(p) })),
    session.on("screen-share", (on) => {
      fire(el, on ? "screen-share-started" : "screen-share-stopped", {});
    }),
    session.on("error", (e) => fire(el, "room-error", { ...e })),
    session.on("role", ({ participant, role }) => {
      fire(el, "role-changed", { peer: who(participant), role });
    }),
    session.on("moderated", ({ action, by }) => {
      const name = by?.name ?? t(el.texts, "aHost");
      el.notify(t(el.texts, action === "mute" ? "mutedBy" : "videoStoppedBy", { name }));
      fire(el, "moderated", { action, by: maybe(by) });
    }),
    ...(["removed", "room-ended"] as const).map((type) =>
      session.on(type, ({ by }) => fire(el, type, { by: maybe(by) }))
    ),
    session.on("knock", (peer) => fire(el, "knock", { peer })),
    session.on("settings", (s) => fire(el, "room-settings-changed", { ...s })),
    session.on("recording", ({ recording, by }) => {
      el.toggleAttribute("recording", !!recording);
      if (recording) fire(el, "recording-started", { by: maybe(by), mode: recording.mode });
      else fire(el, "recording-stopped", { by: maybe(by) });
    }),
    session.on("recording-ready", (file) => fire(el, "recording-ready", { ...file })),
    session.on("media-mode", (mode) => {
      el.setAttribute("media-mode", mode);
      fire(el, "media-mode-changed", { mode });
    }),
  ];
}
