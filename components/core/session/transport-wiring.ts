/**
 * What the media transport says, onto the roster: who can be admitted to
 * the view, streams arriving and ending (a camera, a screen), connection
 * states, a peer re-paired under a new id after a server restart, and trouble
 * reaching someone.
 */
import { ClientErrorCode, type RoomErrorDetail } from "../room-error.ts";
import type { SpeakerTracking } from "../speakers/speaker-tracking.ts";
import type { MediaTransport } from "../transport/media-transport.ts";
import type { People } from "./people.ts";
import type { Roster } from "./roster.ts";

export interface TransportSink {
  roster: Roster;
  speakers: SpeakerTracking;
  people: People;
  error(error: RoomErrorDetail): void;
}

/** Follows the transport's events; returns the functions that stop following. */
export function wireTransport(t: MediaTransport, sink: TransportSink): Array<() => void> {
  const { roster, speakers } = sink;
  return [
    t.on("admit", (peer) => sink.people.admit(peer)),
    t.on("rename", ({ from, to, state }) => {
      const p = roster.get(from);
      if (!p) return;
      roster.rename(from, to, state ? { state } : {});
      speakers.rename(from, to, p.stream);
    }),
    t.on("drop", (id) => sink.people.remove(id)),
    t.on("stream", ({ peer, role, stream }) => {
      if (!roster.has(peer)) return;
      if (role === "screen") roster.update(peer, { screen: stream });
      else {
        roster.update(peer, { stream });
        speakers.watch(peer, stream);
      }
    }),
    t.on("stream-ended", ({ peer, role, stream }) => {
      const p = roster.get(peer);
      if (role === "screen" && p?.screen === stream) roster.update(peer, { screen: null });
      if (role === "camera" && p?.stream === stream) roster.update(peer, { stream: null });
    }),
    t.on("connection", ({ peer, state }) => roster.update(peer, { connection: state })),
    t.on("trouble", ({ peer, why }) => {
      const name = (peer && roster.get(peer)?.name) ?? "a participant";
      sink.error({
        code: ClientErrorCode.ConnectionFailed,
        message: `Cannot reach ${name}: ${why}`,
      });
    }),
  ];
}
