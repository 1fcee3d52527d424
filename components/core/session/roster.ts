import type { MediaState, Reaction, Role } from "../../../protocol/messages.ts";
import type { Quality } from "../quality/connection-quality.ts";
import { Emitter } from "../emitter.ts";

/** Everything a view needs to draw one participant. Never changed in place: replaced. */
export interface Participant {
  readonly id: string;
  readonly name: string;
  readonly local: boolean;
  readonly state: Readonly<MediaState>;
  /** Camera and microphone. */
  readonly stream: MediaStream | null;
  /** A shared screen, when there is one. */
  readonly screen: MediaStream | null;
  /** `none`: media cannot flow (a browser without WebRTC, theirs or ours). */
  readonly connection: RTCPeerConnectionState | "self" | "none";
  readonly speaking: boolean;
  /** A host moderates; a guest takes part. */
  readonly role: Role;
  /** A raised hand: when it went up (the server's clock), for the order; null when down. */
  readonly hand: number | null;
  /** The reaction showing on their tile now (`n` tells two alike apart). */
  readonly reaction: { readonly emoji: Reaction; readonly n: number } | null;
  /** How well their media arrives (ours: how well our uplink does); null until measured. */
  readonly quality: Quality | null;
}

/**
 * A participant as they first appear (no media yet, nothing measured): the
 * one place the whole shape is written, for ourselves and for everyone else.
 */
export function newParticipant(
  p: Pick<Participant, "id" | "name" | "local" | "state" | "role"> & Partial<Participant>,
): Participant {
  return {
    stream: null,
    screen: null,
    connection: p.local ? "self" : "new",
    speaking: false,
    hand: null,
    reaction: null,
    quality: null,
    ...p,
  };
}

export interface ChatEntry {
  readonly from: string;
  readonly name: string;
  readonly text: string;
  readonly ts: number;
  readonly local: boolean;
  /** A host's line to every breakout group. */
  readonly broadcast?: true;
}

export interface RosterEvents extends Record<string, unknown> {
  /** The participants or the chat log were replaced. */
  change: void;
}

/**
 * Who is in the meeting and what was said, as views read it. Lit re-renders
 * a property only when it gets a new value, so every change here makes new
 * objects: a changed participant is a new object, and the participant list
 * and the chat log are new arrays. Unchanged participants keep their identity.
 */
export class Roster extends Emitter<RosterEvents> {
  readonly #byId = new Map<string, Participant>();
  #list: readonly Participant[] = [];
  #chat: readonly ChatEntry[] = [];

  /** Everyone, self first, in join order. A new array after every change. */
  get participants(): readonly Participant[] {
    return this.#list;
  }

  /** The chat log, oldest first. A new array after every message. */
  get chat(): readonly ChatEntry[] {
    return this.#chat;
  }

  get(id: string): Participant | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Adds a participant (at the end), or replaces the one with the same id in place in the order. */
  set(p: Participant): void {
    this.#byId.set(p.id, p);
    this.#commit();
  }

  /** Replaces a participant with a copy carrying `patch`; false when unknown or unchanged. */
  update(id: string, patch: Partial<Omit<Participant, "id" | "local">>): boolean {
    const p = this.#byId.get(id);
    if (!p) return false;
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.every((k) => p[k] === patch[k])) return false;
    this.#byId.set(id, { ...p, ...patch });
    this.#commit();
    return true;
  }

  /** A participant now known under another id (re-paired after a server restart). */
  rename(oldId: string, newId: string, patch: Partial<Omit<Participant, "id" | "local">> = {}) {
    const p = this.#byId.get(oldId);
    if (!p) return;
    // Keep the place in the order: rebuild the map with the new key where the old one was.
    const entries = [...this.#byId].map(([id, q]): [string, Participant] =>
      id === oldId ? [newId, { ...q, ...patch, id: newId }] : [id, q]
    );
    this.#byId.clear();
    for (const [id, q] of entries) this.#byId.set(id, q);
    this.#commit();
  }

  /** Removes a participant; returns it, or undefined when unknown. */
  remove(id: string): Participant | undefined {
    const p = this.#byId.get(id);
    if (!p) return undefined;
    this.#byId.delete(id);
    this.#commit();
    return p;
  }

  addChat(entry: ChatEntry): void {
    this.#chat = [...this.#chat, entry];
    this.emit("change", undefined);
  }

  #commit(): void {
    this.#list = [...this.#byId.values()];
    this.emit("change", undefined);
  }
}
