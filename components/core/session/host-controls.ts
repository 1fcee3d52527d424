/**
 * Hosts and the lobby, as one browser sees them: the room's lock and lobby,
 * who waits to be let in (told to hosts), roles as they change, a host's
 * actions, and a host turning our microphone or camera off. Server messages
 * in, session events out; the session routes them here.
 */
import type {
  Knock,
  ModerateAction,
  RoomSettings,
  ServerMessage,
} from "../../../protocol/messages.ts";
import type { LocalMedia } from "../media/local-media.ts";
import { LOCAL_ID, rosterId, type SessionContext } from "./session-types.ts";

type HostMessage = Extract<
  ServerMessage,
  { type: "role" | "moderated" | "room-settings" | "knock" | "knock-cancelled" }
>;

export class HostControls {
  /** The room's lock, lobby and recording. */
  settings: RoomSettings = { locked: false, lobby: false };
  /** Who waits in the lobby (for hosts): a new array whenever it changes. */
  waiting: readonly Knock[] = [];

  constructor(readonly context: SessionContext, readonly media: LocalMedia) {}

  /** What `joined` says: the settings, and for hosts the lobby. */
  joined(settings: RoomSettings, waiting: readonly Knock[] = []): void {
    this.settings = settings;
    this.waiting = waiting;
  }

  /** Out of the room: nothing of it is ours to show. */
  reset(): void {
    this.waiting = [];
  }

  /**
   * A host's action: mute, stop-video, remove, promote, admit and deny need
   * the person's id. The server refuses it (an error) unless we host.
   */
  moderate(action: ModerateAction, to?: string): boolean {
    return this.context.send({ type: "moderate", action, ...(to ? { to } : {}) });
  }

  handle(msg: HostMessage): void {
    const { roster, emit, changed } = this.context;
    switch (msg.type) {
      case "role": {
        const id = rosterId(this.context, msg.id);
        roster.update(id, { role: msg.role });
        const participant = roster.get(id);
        if (participant) emit("role", { participant, role: msg.role });
        if (id === LOCAL_ID && msg.role !== "host") this.waiting = [];
        return;
      }
      case "moderated":
        // As in Zoom: off now, and ours to turn on again.
        if (msg.action === "mute") this.media.setAudioEnabled(false);
        else void this.media.setVideoEnabled(false);
        emit("moderated", { action: msg.action, by: roster.get(msg.by) ?? null });
        return;
      case "room-settings":
        this.settings = {
          locked: msg.locked,
          lobby: msg.lobby,
          ...(msg.recording ? { recording: msg.recording } : {}),
        };
        emit("settings", this.settings);
        changed();
        return;
      case "knock":
        this.waiting = [...this.waiting.filter((k) => k.id !== msg.peer.id), msg.peer];
        emit("knock", msg.peer);
        changed();
        return;
      case "knock-cancelled":
        this.waiting = this.waiting.filter((k) => k.id !== msg.id);
        changed();
        return;
    }
  }
}
