/**
 * What a session needs only in a call, loaded as a chunk beside the media
 * transport (the pre-join screen needs neither): the host controls and the
 * lobby, hands and reactions, the uplink's quality, the people the transport
 * admits, the screen share, and the routing of the server's messages to them.
 */
import type { ServerMessage } from "../../../protocol/messages.ts";
import type { LocalMedia } from "../media/local-media.ts";
import type { OwnMedia } from "./own-media.ts";
import type { RoomErrorDetail } from "../room-error.ts";
import type { SpeakerTracking } from "../speakers/speaker-tracking.ts";
import type { MediaTransport, TileSize } from "../transport/media-transport.ts";
import { BreakoutGroups } from "./breakout-groups.ts";
import { CallRecording } from "./call-recording.ts";
import { HandsAndReactions } from "./hands-and-reactions.ts";
import { HostControls } from "./host-controls.ts";
import { People } from "./people.ts";
import { handleNews, type NewsTarget } from "./room-news.ts";
import { ScreenShare } from "./screen-share.ts";
import type { SessionContext } from "./session-types.ts";
import { wireTransport } from "./transport-wiring.ts";
import { UplinkWatch } from "./uplink-watch.ts";

/** What the parts use of the session, beyond its context. */
export interface CallSession extends
  Omit<
    NewsTarget,
    | "roster"
    | "host"
    | "recording"
    | "breakouts"
    | "hands"
    | "people"
    | "uplink"
    | "transport"
    | "selfId"
    | "server"
    | "sendState"
  > {
  readonly context: SessionContext;
  readonly media: LocalMedia;
  readonly speakers: SpeakerTracking;
  /** The connection to the signaling server (its URL: where a server recording's links lead). */
  readonly call: { readonly options: { readonly server: string } };
  transport(): MediaTransport | null;
  /** How large each peer shows here. */
  sizes(): ReadonlyMap<string, TileSize>;
  /** Our own media: its state changed (audio, video, screen), or is to be told after a join. */
  readonly own: Pick<OwnMedia, "stateChanged" | "sendState">;
}

export class CallParts {
  readonly host: HostControls;
  readonly recording: CallRecording;
  readonly breakouts: BreakoutGroups;
  readonly hands: HandsAndReactions;
  readonly uplink: UplinkWatch;
  readonly people: People;
  readonly screen: ScreenShare;
  readonly #news: NewsTarget;

  constructor(readonly session: CallSession) {
    const { context, media, speakers } = session;
    this.host = new HostControls(context, media);
    this.recording = new CallRecording(context, media);
    this.breakouts = new BreakoutGroups(context);
    this.hands = new HandsAndReactions(context);
    this.uplink = new UplinkWatch(context, session.sizes, () => media.videoEnabled);
    this.people = new People(context, speakers, session.transport);
    this.screen = new ScreenShare(
      context,
      session.transport,
      () => session.own.stateChanged(),
      (e: RoomErrorDetail) => session.error(e),
    );
    this.#news = {
      roster: context.roster,
      host: this.host,
      recording: this.recording,
      breakouts: this.breakouts,
      hands: this.hands,
      people: this.people,
      uplink: this.uplink,
      server: session.call.options.server,
      transport: session.transport,
      selfId: context.selfId,
      setMediaMode: session.setMediaMode,
      sendState: () => session.own.sendState(),
      connected: session.connected,
      chat: session.chat,
      error: session.error,
      waiting: session.waiting,
      ended: session.ended,
    };
  }

  /** A message from the server, to the part it concerns. */
  handle(message: ServerMessage): void {
    handleNews(message, this.#news);
  }

  /** Follows the transport's events; returns what stops following. */
  wire(transport: MediaTransport): Array<() => void> {
    return wireTransport(transport, {
      roster: this.session.context.roster,
      speakers: this.session.speakers,
      people: this.people,
      error: (e) => this.session.error(e),
    });
  }

  /** The call is over: nothing of it stays on screen. */
  end(): void {
    this.screen.stop();
    this.people.removeAllBut();
    this.host.reset();
    this.recording.reset();
    this.breakouts.reset();
    this.hands.clear();
    this.uplink.stop();
  }
}
