/**
 * Who else is in the call: a person appears on the roster when the
 * transport admits them (a connection to them exists), and leaves it, with
 * their connection and speaking detection, when they go.
 */
import type { PeerInfo } from "../../../protocol/messages.ts";
import type { SpeakerTracking } from "../speakers/speaker-tracking.ts";
import type { MediaTransport } from "../transport/media-transport.ts";
import { newParticipant } from "./roster.ts";
import type { SessionContext } from "./session-types.ts";

export class People {
  constructor(
    readonly context: SessionContext,
    readonly speakers: SpeakerTracking,
    readonly transport: () => MediaTransport | null,
  ) {}

  admit(peer: PeerInfo): void {
    const { roster, emit } = this.context;
    if (roster.has(peer.id)) return;
    const p = newParticipant({ ...peer, local: false, hand: peer.hand ?? null });
    roster.set(p);
    emit("peer-joined", p);
  }

  remove(id: string): void {
    this.transport()?.peerLeft(id);
    this.speakers.forget(id);
    const p = this.context.roster.remove(id);
    if (p) this.context.emit("peer-left", p);
  }

  /** Everyone not in `ids` is gone (all of them, without a list). */
  removeAllBut(ids: ReadonlySet<string> = new Set()): void {
    for (const { id, local } of this.context.roster.participants) {
      if (!local && !ids.has(id)) this.remove(id);
    }
  }
}
