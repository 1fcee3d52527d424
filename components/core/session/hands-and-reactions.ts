/**
 * Raised hands and reactions: ours sent to the server, everyone's (ours
 * too, as the server orders them) shown on the roster. A reaction shows for
 * REACTION_MS, then goes; the same emoji twice shows twice.
 */
import { type Reaction, REACTIONS, type ServerMessage } from "../../../protocol/messages.ts";
import { REACTION_MS, rosterId, type SessionContext } from "./session-types.ts";

export class HandsAndReactions {
  #seq = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(readonly context: SessionContext) {}

  /** Raises our hand: everyone sees it, in the order hands went up. */
  raiseHand(): boolean {
    return this.context.send({ type: "hand", raised: true });
  }

  lowerHand(): boolean {
    return this.context.send({ type: "hand", raised: false });
  }

  /** A reaction on our tile for everyone (false: unknown emoji, or not in a room). */
  react(emoji: Reaction): boolean {
    if (!(REACTIONS as readonly string[]).includes(emoji)) return false;
    return this.context.send({ type: "react", emoji });
  }

  handle(msg: Extract<ServerMessage, { type: "hand" | "reaction" }>): void {
    const { roster, emit } = this.context;
    const id = rosterId(this.context, msg.id);
    if (!roster.has(id)) return;
    if (msg.type === "hand") {
      roster.update(id, { hand: msg.raised ? msg.at ?? Date.now() : null });
      emit("hand", { participant: roster.get(id)!, raised: msg.raised });
      return;
    }
    const reaction = { emoji: msg.emoji, n: ++this.#seq };
    roster.update(id, { reaction });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (roster.get(id)?.reaction === reaction) roster.update(id, { reaction: null });
    }, REACTION_MS);
    this.#timers.add(timer);
    emit("reaction", { participant: roster.get(id)!, emoji: msg.emoji });
  }

  /** The meeting is over for us: no reaction is left to fade. */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
