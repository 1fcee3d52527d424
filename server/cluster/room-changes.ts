/**
 * A decision of the room rules, stored in Redis: read the room, let the
 * rules decide, and store the outcome with the `apply` script only if the
 * room did not change since it was read (else read and decide again). The
 * outcome's events go out on the room's channel in the same script
 * (room-codec.ts says how). Every change to a room in a cluster comes here.
 */
import { randomId } from "../rooms/random-id.ts";
import * as rules from "../rooms/room-rules.ts";
import type { Reply, ScriptRunner } from "./redis-script-runner.ts";
import { outcomeEvents, parseRoomView, storedDoc, storedMember } from "./room-codec.ts";

/** How often a decision is tried again when the room changed under it. */
const MAX_ATTEMPTS = 8;

/** Whose removal may go ahead: the seat's owner, a grace that ended, or anyone. */
export type Guard = "owner" | "grace" | "";
export type Decision = rules.Outcome | rules.Refusal | null;

/** What `apply` stored: the room as it is now, the sequence number of its last event, its media change. */
export interface Stored {
  seq: number;
  room: rules.RoomData;
  /** The room's media path, when this decision changed it. */
  media?: rules.MediaPath;
}

/**
 * Null when there was nothing to do; "guard" when a guard no longer held (a
 * removal's seat, or the instance of a guest being let in); a refusal from
 * the rules. `token`: the joiner's resume token.
 */
export async function storeDecision(
  runner: ScriptRunner,
  instanceId: string,
  room: string,
  decide: (data: rules.RoomData) => Decision,
  extra: { token?: string; guard?: Guard } = {},
): Promise<Stored | rules.Refusal | "guard" | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [version, raw] = await runner.run("read", [room]) as [number, Reply];
    const order = new Map<string, number>();
    const data = parseRoomView(raw, order);
    const decided = decide(data);
    if (decided === null) return null;
    if ("ok" in decided && decided.ok === false) return decided;
    const outcome = decided as rules.Outcome;
    // Knocks made here are held by this instance.
    const changes = outcome.changes.map((c) =>
      c.op === "knock" && !c.knock.instance
        ? { ...c, knock: { ...c.knock, instance: instanceId } }
        : c
    );
    const { events } = outcome;
    if (changes.length === 0 && events.length === 0) return null;
    const ops: string[] = [];
    let count = 0;
    const tokens = new Map<string, string>();
    for (const c of changes) {
      if (c.op === "add") {
        const knock = data.waiting.find((w) => w.id === c.member.id);
        const token = knock ? randomId(24) : extra.token!;
        tokens.set(c.member.id, token);
        // Stored with the room's next version, which orders members by arrival.
        ops.push(
          "add",
          c.member.id,
          storedMember(c.member, version + 1),
          token,
          knock?.instance ?? instanceId,
        );
      } else if (c.op === "update") {
        ops.push("update", c.member.id, storedMember(c.member, order.get(c.member.id) ?? 0));
      } else if (c.op === "remove") ops.push("remove", c.id, extra.guard ?? "");
      else continue;
      count++;
    }
    if (changes.some((c) => ["settings", "knock", "unknock", "media"].includes(c.op))) {
      ops.push("doc", storedDoc(rules.applyChanges(data, changes)));
      count++;
    }
    const args = [
      room,
      String(version),
      instanceId,
      String(count),
      ...ops,
      ...outcomeEvents(changes, events, (id) => ({
        token: tokens.get(id)!,
        owner: data.waiting.find((w) => w.id === id)?.instance ?? instanceId,
      })),
    ];
    const reply = await runner.run("apply", args);
    if (reply === null) continue; // the room changed since it was read
    if (reply === "guard") return "guard";
    const [seq, view] = reply as [number, Reply];
    const media = changes.findLast((c) => c.op === "media");
    return {
      seq,
      room: parseRoomView(view),
      ...(media?.op === "media" ? { media: media.media } : {}),
    };
  }
  throw new Error(`the room kept changing (${MAX_ATTEMPTS} attempts)`);
}
