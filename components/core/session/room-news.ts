/**
 * What the server says, routed to the part it concerns: the transport (who
 * joins, signals, the SFU), the roster (states, chat), the host controls, the
 * hands and reactions, and the session itself for what ends or moves the
 * meeting; and what a `joined` sets going.
 */
import type { MediaMode, ServerMessage } from "../../../protocol/messages.ts";
import type { RoomErrorDetail } from "../room-error.ts";
import type { MediaTransport } from "../transport/media-transport.ts";
import type { HandsAndReactions } from "./hands-and-reactions.ts";
import type { BreakoutGroups } from "./breakout-groups.ts";
import type { CallRecording } from "./call-recording.ts";
import type { HostControls } from "./host-controls.ts";
import type { People } from "./people.ts";
import type { ChatEntry, Participant, Roster } from "./roster.ts";
import { LOCAL_ID } from "./session-types.ts";
import type { UplinkWatch } from "./uplink-watch.ts";
import { mark } from "../perf-mark.ts";

export interface NewsTarget {
  readonly roster: Roster;
  readonly host: HostControls;
  readonly recording: CallRecording;
  readonly breakouts: BreakoutGroups;
  readonly hands: HandsAndReactions;
  readonly people: People;
  readonly uplink: UplinkWatch;
  /** The signaling server's WebSocket URL (a server recording's links are relative to it). */
  readonly server: string;
  transport(): MediaTransport | null;
  selfId(): string | null;
  setMediaMode(mode: MediaMode): void;
  /** Tells the server what we send (after every join). */
  sendState(): void;
  /** In the room: connection trouble shown so far is over. */
  connected(): void;
  chat(entry: ChatEntry): void;
  error(error: RoomErrorDetail): void;
  waiting(): void;
  /** A host removed us, or ended the meeting. */
  ended(how: "removed" | "ended", by: Participant | null): void;
}

export function handleNews(msg: ServerMessage, to: NewsTarget): void {
  const transport = to.transport();
  switch (msg.type) {
    case "joined":
      return joined(msg, to);
    case "peer-joined":
      to.breakouts.met([msg.peer]);
      if (msg.moved) to.people.arriving([msg.peer.id]);
      return transport?.peerJoined(msg.peer);
    case "moved":
      return moved(msg, to);
    case "broadcast":
      to.breakouts.broadcasted(msg);
      return to.chat({ ...chatEntry(msg, to), broadcast: true });
    case "media-mode":
      transport?.setMode?.(msg.mode);
      return to.setMediaMode(msg.mode);
    case "sfu":
      return transport?.sfu?.(msg);
    case "signal":
      return transport?.signal(msg.from, msg.data);
    case "peer-state":
      to.roster.update(msg.id, { state: msg.state });
      return;
    case "peer-left":
      return to.people.remove(msg.id, msg.moved === true);
    case "chat":
      return to.chat(chatEntry(msg, to));
    case "error":
      // A peer that left a moment ago: nothing to tell the user.
      if (msg.code !== "unknown-peer") to.error({ code: msg.code, message: msg.message });
      return;
    case "waiting":
      return to.waiting();
    case "removed":
    case "room-ended":
      return to.ended(
        msg.type === "removed" ? "removed" : "ended",
        to.roster.get(msg.by) ?? null,
      );
    case "recording-ready":
      return to.recording.ready(msg, to.server);
    case "room-settings":
      to.host.handle(msg);
      to.breakouts.update(msg, msg.by);
      return to.recording.update(msg.recording, msg.by);
    case "role":
    case "moderated":
    case "knock":
    case "knock-cancelled":
      return to.host.handle(msg);
    case "hand":
    case "reaction":
      return to.hands.handle(msg);
  }
}

/** A chat line (or a host's broadcast) as the chat shows it. */
function chatEntry(
  msg: Extract<ServerMessage, { type: "chat" | "broadcast" }>,
  to: NewsTarget,
): ChatEntry {
  return {
    from: msg.from,
    name: msg.name,
    text: msg.text,
    ts: msg.ts,
    local: msg.from === to.selfId(),
  };
}

/** In the room (first, or back after a drop): everything a join sets going. */
function joined(msg: Extract<ServerMessage, { type: "joined" }>, to: NewsTarget): void {
  mark("joined");
  const transport = to.transport();
  to.host.joined(msg.settings, msg.waiting);
  to.breakouts.iceServers = msg.iceServers;
  to.breakouts.met(msg.peers);
  to.recording.joined(msg.settings.recording, msg.role, msg.resumed);
  to.roster.update(LOCAL_ID, { role: msg.role, hand: msg.hand ?? null });
  to.uplink.start(transport);
  // Our seat, back: the live connections stay; whoever left meanwhile is gone.
  if (msg.resumed) to.people.removeAllBut(new Set(msg.peers.map((p) => p.id)));
  transport?.joined({
    id: msg.id,
    peers: msg.peers,
    iceServers: msg.iceServers,
    resumed: msg.resumed,
    media: msg.media ?? "mesh",
  });
  to.setMediaMode(msg.media ?? "mesh");
  to.breakouts.update(msg.settings);
  to.sendState();
  to.connected();
}

/**
 * Into another breakout group (or back): as a rejoin that kept its seat —
 * the connections to those still with us stay, those elsewhere go (as a
 * move, not a leave), and we connect to the group's people. Our camera and
 * microphone are untouched.
 */
function moved(msg: Extract<ServerMessage, { type: "moved" }>, to: NewsTarget): void {
  const id = to.selfId();
  if (id === null) return;
  to.breakouts.met(msg.peers);
  const ids = new Set(msg.peers.map((p) => p.id));
  to.people.removeAllBut(ids, true);
  to.people.arriving(ids);
  to.transport()?.joined({
    id,
    peers: msg.peers,
    iceServers: to.breakouts.iceServers,
    resumed: true,
    media: msg.media,
  });
  to.setMediaMode(msg.media);
}
