/**
 * Breakout groups as one browser sees them: the groups the room has open
 * (from its settings), the one we are in, a host's broadcasts, and what a
 * host or a guest choosing does. A move is not a leave: the session keeps
 * its connection, camera and microphone, and only the people change.
 */
import type {
  BreakoutAssignment,
  BreakoutPlanRoom,
  BreakoutsInfo,
  IceServer,
  PeerInfo,
  RoomSettings,
  ServerMessage,
} from "../../../protocol/messages.ts";
import { LOCAL_ID, rosterId, type SessionContext } from "./session-types.ts";

/** A breakout group as views read it: people by their id in the room (ours too), with names. */
export interface BreakoutGroup {
  id: string;
  name: string;
  people: ReadonlyArray<{ id: string; name: string }>;
}

/** Breakout groups while they are open. */
export interface BreakoutState {
  groups: readonly BreakoutGroup[];
  /** Guests may pick their group. */
  choose: boolean;
  /** When everyone returns (this device's clock, ms), if a timer runs. */
  endsAt: number | null;
}

/** A host's plan: the groups' names (people by roster id when assigned by hand). */
export interface BreakoutPlan {
  rooms: ReadonlyArray<{ name: string; people?: readonly string[] }>;
  assign: BreakoutAssignment;
  /** Seconds until everyone returns. */
  seconds?: number;
}

/** A host's line to every group. */
export interface Broadcast {
  from: string;
  name: string;
  text: string;
  ts: number;
}

export class BreakoutGroups {
  /** The open groups (null: none), a new object whenever they change. */
  state: BreakoutState | null = null;
  /** The group we are in (null: the main room). */
  group: BreakoutGroup | null = null;
  /** The last broadcast, until it is put aside. */
  broadcast: Broadcast | null = null;
  /** Everyone we have seen, by server id: the groups list people we may not see now. */
  readonly #names = new Map<string, string>();
  /** The groups as last told (JSON), to tell a change from the same groups again. */
  #key = "null";
  /** Our last join's ICE servers: a move connects to new people with them. */
  iceServers: IceServer[] = [];

  constructor(readonly context: SessionContext) {}

  /** We saw these people (a join's list, someone joining, a move's list). */
  met(peers: readonly PeerInfo[]): void {
    for (const p of peers) this.#names.set(p.id, p.name);
  }

  /** The room's settings now (from `joined` or `room-settings`). */
  update(settings: RoomSettings, by?: string): void {
    const info = settings.breakouts;
    // Other settings changed (the lock, the lobby): the groups, and their events, stay.
    const key = JSON.stringify(info ?? null);
    if (key === this.#key) return;
    this.#key = key;
    const was = this.group?.id ?? null;
    this.state = info ? this.#view(info) : null;
    const self = this.context.selfId();
    const mine = info?.rooms.find((r) => self !== null && r.people.includes(self));
    this.group = mine ? this.state!.groups.find((g) => g.id === mine.id) ?? null : null;
    const { emit, roster } = this.context;
    emit("breakouts", this.state);
    if ((this.group?.id ?? null) !== was) {
      emit("breakout", {
        group: this.group,
        by: by ? roster.get(rosterId(this.context, by)) ?? null : null,
      });
    }
  }

  #view(info: BreakoutsInfo): BreakoutState {
    const self = this.context.selfId();
    const { roster } = this.context;
    return {
      groups: info.rooms.map((r) => ({
        id: r.id,
        name: r.name,
        people: r.people.map((id) => {
          const key = id === self ? LOCAL_ID : id;
          return { id, name: roster.get(key)?.name ?? this.#names.get(id) ?? "" };
        }),
      })),
      choose: info.choose === true,
      endsAt: info.endsAt ?? null,
    };
  }

  /** A host's line reached us: shown until put aside, and kept in the chat. */
  broadcasted(msg: Extract<ServerMessage, { type: "broadcast" }>): void {
    this.broadcast = {
      from: rosterId(this.context, msg.from),
      name: msg.name,
      text: msg.text,
      ts: msg.ts,
    };
    this.context.emit("broadcast", this.broadcast);
    this.context.changed();
  }

  putAside(): void {
    this.broadcast = null;
    this.context.changed();
  }

  /** Out of the room: no groups. */
  reset(): void {
    if (this.state) this.context.emit("breakouts", null);
    this.#key = "null";
    this.state = null;
    this.group = null;
    this.broadcast = null;
  }

  // ---- what a host (or a guest choosing) does; the server refuses what is not theirs ----

  open(plan: BreakoutPlan): boolean {
    const self = this.context.selfId() ?? "";
    const rooms: BreakoutPlanRoom[] = plan.rooms.map((r) => ({
      name: r.name,
      ...(r.people ? { people: r.people.map((id) => (id === LOCAL_ID ? self : id)) } : {}),
    }));
    return this.context.send({
      type: "breakout",
      action: "open",
      rooms,
      assign: plan.assign,
      ...(plan.seconds ? { seconds: plan.seconds } : {}),
    });
  }

  /** Someone (their id; ours may be LOCAL_ID) into group `room` (its id or name; null: the main room). */
  move(who: string, room: string | null): boolean {
    const to = who === LOCAL_ID ? this.context.selfId() ?? "" : who;
    return this.context.send({ type: "breakout", action: "move", to, room: this.#id(room) });
  }

  /** Ourselves into group `room` (its id or name; null: back to the main room). */
  join(room: string | null): boolean {
    return this.context.send({ type: "breakout", action: "join", room: this.#id(room) });
  }

  /** A group's id from its id or its name (as given when it is neither: the server says no). */
  #id(room: string | null): string | null {
    if (room === null) return null;
    const groups = this.state?.groups ?? [];
    return groups.find((g) => g.id === room)?.id ?? groups.find((g) => g.name === room)?.id ?? room;
  }

  say(text: string): boolean {
    return this.context.send({ type: "breakout", action: "broadcast", text });
  }

  close(): boolean {
    return this.context.send({ type: "breakout", action: "close" });
  }
}
