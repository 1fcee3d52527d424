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
  /** People coming into our group by a move: their arrival is not a join. */
  readonly #arriving = new Set<string>();

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
    if (this.#arriving.delete(peer.id)) emit("peer-moved", { participant: p, here: true });
    else emit("peer-joined", p);
  }

  /** These people are about to come into our group by a move. */
  arriving(ids: Iterable<string>): void {
    for (const id of ids) if (!this.context.roster.has(id)) this.#arriving.add(id);
  }

  /** Someone is gone: they left, or (`moved`) went to another breakout group. */
  remove(id: string, moved = false): void {
    this.#arriving.delete(id);
    this.transport()?.peerLeft(id);
    this.speakers.forget(id);
    const p = this.context.roster.remove(id);
    if (!p) return;
    if (moved) this.context.emit("peer-moved", { participant: p, here: false });
    else this.context.emit("peer-left", p);
  }

  /** Everyone not in `ids` is gone (all of them, without a list); `moved`: to other groups. */
  removeAllBut(ids: ReadonlySet<string> = new Set(), moved = false): void {
    if (!moved) this.#arriving.clear();
    for (const { id, local } of this.context.roster.participants) {
      if (!local && !ids.has(id)) this.remove(id, moved);
    }
  }
}
