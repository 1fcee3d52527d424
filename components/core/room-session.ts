import {
  type Knock,
  LIMITS,
  type MediaMode,
  type ModerateAction,
  type Reaction,
  type Role,
  type RoomSettings,
} from "../../protocol/messages.ts";
import { charCount, hasVisibleText } from "../../protocol/text-rules.ts";
import { Emitter } from "./emitter.ts";
import { type CallSupport, callSupport } from "./media/call-support.ts";
import { type DeviceChoice, LocalMedia } from "./media/local-media.ts";
import type { Quality } from "./quality/connection-quality.ts";
import type { MediaTransport, TileSize } from "./transport/media-transport.ts";
import { mark } from "./perf-mark.ts";
import type { PeerLink } from "./transport/peer-link.ts";
import { ClientErrorCode, type RoomErrorDetail } from "./room-error.ts";
import { type ChatEntry, newParticipant, type Participant, Roster } from "./session/roster.ts";
import { SpeakerTracking } from "./speakers/speaker-tracking.ts";
import { CallConnection } from "./session/call-connection.ts";
import type { CallParts, CallSession } from "./session/call-parts.ts";
import type { BreakoutGroups } from "./session/breakout-groups.ts";
import type { CallRecording } from "./session/call-recording.ts";
import { OwnMedia } from "./session/own-media.ts";
import { watchPage } from "./session/page-lifecycle.ts";
import {
  LOCAL_ID,
  type RoomSessionEvents,
  type RoomSessionOptions,
  type RoomStatus,
  type SessionContext,
} from "./session/session-types.ts";

export { REACTION_MS } from "./session/session-types.ts";
export type {
  RoomSessionEvents,
  RoomSessionOptions,
  RoomStatus,
  Signaling,
} from "./session/session-types.ts";
export type { ChatEntry, Participant, Quality, TileSize };

/**
 * A meeting, seen from one browser. A coordinator: signaling says who is in
 * the room and carries signals; the media transport (a mesh of peer links by
 * default) moves media (its events reach the roster through
 * session/transport-wiring.ts); the roster holds what views show
 * (participants, chat). Parts of their own: local media, the screen share,
 * speaking detection, host controls and the lobby, hands and reactions, the
 * uplink's quality. No DOM, no Lit.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  status: RoomStatus = "idle";
  readonly media: LocalMedia;
  /** The latest error, shown until the next successful step. */
  error: RoomErrorDetail | null = null;
  /** What this browser can do: without WebRTC it joins for chat only. */
  readonly support: CallSupport;
  /**
   * The one the speaker view features: the last other person to hold the
   * stage (we never feature ourselves), or null.
   */
  stageSpeaker: string | null = null;
  /** Lower our raised hand once we have spoken long enough to hold the stage. */
  lowerHandWhenSpeaking = true;
  /** How the room's media travels now: `mesh` (browser to browser) or `sfu`. */
  mediaMode: MediaMode = "mesh";
  readonly #roster = new Roster();
  /** What the parts below use of the session. */
  readonly #context: SessionContext = {
    roster: this.#roster,
    selfId: () => this.selfId,
    send: (message) => this.#call.send(message),
    emit: (type, payload) => this.emit(type, payload),
    changed: () => this.#changed(),
  };
  readonly #call: CallConnection;
  readonly #own: OwnMedia;
  #name: string;
  readonly #speakers = new SpeakerTracking(
    (id, speaking) => this.#roster.update(id, { speaking }),
    (id) => this.#onStage(id),
  );
  /** What only a call needs (host controls, hands, people…): a chunk loaded with the transport. */
  #parts: CallParts | null = null;
  /** How large each peer shows here (the view tells us; the quality monitor reads it). */
  #sizes: ReadonlyMap<string, TileSize> = new Map();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(options: RoomSessionOptions) {
    super();
    this.#name = options.name;
    this.media = new LocalMedia(options.mediaDevices);
    this.support = options.support ?? callSupport();
    // Said from the start: the pre-join screen explains it, and the join still works for chat.
    this.error = this.support.problem;
    this.#call = new CallConnection(options, this.media.stream, {
      load: () => this.#loadParts(),
      message: (m) => this.#parts?.handle(m),
      state: (s) => {
        // "connecting" goes on while we wait in the lobby; "left" follows a removal.
        if (s === "idle" || (s === "connecting" && this.status === "waiting")) return;
        this.#setStatus(s);
      },
      error: (e) => this.#error(e),
      transport: (t) => this.#parts?.wire(t) ?? [],
      failed: (e) => {
        this.#error(e);
        this.#call.leave();
        this.#end("failed");
      },
    }, this.support.calls);
    this.#roster.set(newParticipant({
      id: LOCAL_ID,
      name: options.name,
      local: true,
      state: { audio: false, video: false, screen: false },
      stream: this.media.stream,
      role: "guest",
    }));
    this.#own = new OwnMedia(
      this.#context,
      this.media,
      () => this.screenStream,
      this.#speakers,
      () => this.transport,
      (e) => this.#error(e),
    );
    this.#unsubscribe.push(
      this.#roster.on("change", () => this.#changed()),
      watchPage({ visible: () => void this.media.recover(), gone: () => this.leave() }),
    );
  }

  /**
   * How media travels: the mesh, or whatever `createTransport` made. It is a
   * chunk of its own (the pre-join screen does not need it), so it is null
   * until `prepare()` or `join()` has loaded it.
   */
  get transport(): MediaTransport | null {
    return this.#call.transport;
  }

  /**
   * Loads the media transport ahead of `join()` (the element calls it once
   * the pre-join screen is idle), so joining never waits for the chunk.
   */
  prepare(): Promise<MediaTransport | null> {
    return this.#call.prepare();
  }

  get self(): Participant {
    return this.#roster.get(LOCAL_ID)!;
  }

  get selfId(): string | null {
    return this.#call.id;
  }

  /** Our role: hosts moderate. */
  get role(): Role {
    return this.self.role;
  }

  get name(): string {
    return this.#name;
  }

  /** Everyone, self first, in join order: a new array (of new objects where changed) after every change. */
  get participants(): readonly Participant[] {
    return this.#roster.participants;
  }

  /** The chat log, oldest first: a new array after every message. */
  get chat(): readonly ChatEntry[] {
    return this.#roster.chat;
  }

  /** Cameras and microphones to choose from: a new object whenever the list changes. */
  get devices(): DeviceChoice | null {
    return this.media.devices;
  }

  /** The room's lock and lobby. */
  get settings(): RoomSettings {
    return this.#parts?.host.settings ?? { locked: false, lobby: false };
  }

  /**
   * The meeting's recording as this page takes part in it (null before the
   * call's parts load): whether one runs, our file, whether we are asked.
   */
  get recording(): CallRecording | null {
    return this.#parts?.recording ?? null;
  }

  /** Breakout groups as this page takes part in them (null before the call's parts load). */
  get breakouts(): BreakoutGroups | null {
    return this.#parts?.breakouts ?? null;
  }

  /** Who waits in the lobby (for hosts): a new array whenever it changes. */
  get waiting(): readonly Knock[] {
    return this.#parts?.host.waiting ?? [];
  }

  /** Whether our uplink has been poor for a while (the "unstable" notice). */
  get unstable(): boolean {
    return this.#parts?.uplink.unstable ?? false;
  }

  /** Whether a microphone (camera) was found and granted. */
  has(kind: "audio" | "video"): boolean {
    return kind === "audio" ? this.media.hasAudio : this.media.hasVideo;
  }

  /** The device id of the camera or microphone in use, if any. */
  deviceInUse(kind: "audio" | "video"): string | undefined {
    return this.media.deviceInUse(kind);
  }

  /** Switches camera or microphone live; peers get the new track without renegotiation. */
  useDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    return this.media.useDevice(kind, deviceId);
  }

  /** Starts camera and microphone (the pre-join preview). Safe to call again. */
  startMedia(): Promise<unknown> {
    // Nothing could be sent from here: the camera stays off (its light too).
    if (!this.support.calls || !this.support.devices) return Promise.resolve();
    return this.#own.start();
  }

  /**
   * Joins the room. The camera, the connection and the call's code (if not
   * loaded yet) start side by side (tracks join the call as they arrive);
   * media failures do not stop the join: you can still watch and chat.
   * Resolves once all three have.
   */
  async join(name = this.#name): Promise<void> {
    if (
      this.status === "connecting" || this.status === "joined" || this.status === "reconnecting"
    ) {
      return;
    }
    this.#name = name;
    this.#roster.update(LOCAL_ID, { name });
    this.error = this.support.problem; // what this browser cannot do is still true
    this.#setStatus("connecting");
    mark("join-start");
    const media = this.startMedia();
    this.#call.connect(name);
    await Promise.all([media, this.prepare()]);
  }

  /** Leaves (or stops waiting in the lobby): tells the others, closes every connection; local media stays for a rejoin. */
  leave(): void {
    if (["idle", "left", "removed", "ended"].includes(this.status)) return;
    this.#call.leave();
    this.#end("left");
  }

  /** Everything a meeting held goes, whatever ended it. */
  #end(status: RoomStatus): void {
    this.#call.close();
    this.#parts?.end();
    this.stageSpeaker = null;
    this.#roster.update(LOCAL_ID, { role: "guest", hand: null, reaction: null, quality: null });
    this.#setStatus(status);
  }

  /** Raises our hand: everyone sees it, in the order hands went up. */
  raiseHand(): boolean {
    return this.#parts?.hands.raiseHand() ?? false;
  }

  lowerHand(): boolean {
    return this.#parts?.hands.lowerHand() ?? false;
  }

  /** A reaction on our tile for everyone (false: unknown emoji, or not in a room). */
  react(emoji: Reaction): boolean {
    return this.#parts?.hands.react(emoji) ?? false;
  }

  /**
   * Tells the transport how large each peer shows (peers left out: not shown)
   * and, where the view measured it, how many device pixels wide, so it asks
   * for no more video than that; the view calls it when it changes.
   */
  setView(sizes: ReadonlyMap<string, TileSize>, widths?: ReadonlyMap<string, number>): void {
    this.#sizes = sizes;
    this.transport?.setView(sizes, widths);
  }

  /**
   * A host's action: mute, stop-video, remove, promote, admit and deny need
   * the person's id. The server refuses it (an error) unless we host.
   */
  moderate(action: ModerateAction, to?: string): boolean {
    return this.#parts?.host.moderate(action, to) ?? false;
  }

  /** Leaves and releases everything, camera included. The session is done. */
  close(): void {
    this.leave();
    this.media.stop();
    this.#speakers.close();
    this.#parts?.screen.close();
    this.#call.dispose();
    this.#own.dispose();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.removeAllListeners();
  }

  toggleAudio(on = !this.media.wants.audio): void {
    if (this.support.calls) this.media.setAudioEnabled(on);
  }

  /** Camera off (its light goes out) or on; never on where nothing could be sent. */
  toggleVideo(on = !this.media.wants.video): Promise<void> {
    if (!this.support.calls || !this.support.devices) return Promise.resolve();
    return this.media.setVideoEnabled(on);
  }

  /** The own shared screen, while sharing. */
  get screenStream(): MediaStream | null {
    return this.#parts?.screen.stream ?? null;
  }

  /** Shares a screen (the browser asks which); a refusal or failure is an error. */
  async startScreenShare(): Promise<void> {
    await this.prepare();
    await this.#parts?.screen.start();
  }

  stopScreenShare(): void {
    this.#parts?.screen.stop();
  }

  /** Sends a chat message; false (and an error) when it cannot be sent. */
  sendChat(text: string): boolean {
    if (!hasVisibleText(text) || charCount(text) > LIMITS.chatMax) return false;
    if (!this.#call.send({ type: "chat", text })) {
      this.#error({
        code: ClientErrorCode.ServerUnreachable,
        message: "Cannot send the message: not connected to the room",
      });
      return false;
    }
    return true;
  }

  /** For tests and diagnostics: the mesh's link to a peer. */
  linkTo(id: string): PeerLink | undefined {
    return (this.transport as { linkTo?: (id: string) => unknown } | null)?.linkTo?.(id) as
      | PeerLink
      | undefined;
  }

  /** For tests: drops the signaling socket as a network failure would. */
  dropSignaling(): void {
    this.#call.dropSignaling();
  }

  #setMediaMode(mode: MediaMode): void {
    if (mode === this.mediaMode) return;
    this.mediaMode = mode;
    this.emit("media-mode", mode);
    this.#changed();
  }

  // ---- signaling ----

  async #loadParts(): Promise<void> {
    const { CallParts } = await import("./session/call-parts.ts");
    const session: CallSession = {
      context: this.#context,
      media: this.media,
      speakers: this.#speakers,
      transport: () => this.transport,
      sizes: () => this.#sizes,
      call: this.#call,
      own: this.#own,
      setMediaMode: (mode) => this.#setMediaMode(mode),
      connected: () => {
        // A refused camera is still worth showing; not being able to reach the server is over.
        if (this.error?.code === ClientErrorCode.ServerUnreachable) this.error = null;
        this.#changed();
      },
      chat: (entry) => {
        this.#roster.addChat(entry);
        this.emit("chat", entry);
      },
      error: (e) => this.#error(e),
      waiting: () => this.#setStatus("waiting"),
      ended: (how, by) => {
        this.emit(how === "removed" ? "removed" : "room-ended", { by });
        this.#end(how);
      },
    };
    this.#parts ??= new CallParts(session);
  }

  #onStage(id: string | null): void {
    const p = id === null ? null : this.#roster.get(id) ?? null;
    if (p && !p.local) this.stageSpeaker = p.id;
    // Spoken long enough to hold the stage: the question was asked, as the hand meant.
    if (p?.local && p.hand !== null && this.lowerHandWhenSpeaking) this.lowerHand();
    this.emit("active-speaker", p);
    this.#changed();
  }

  #setStatus(status: RoomStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit("status", status);
    this.#changed();
  }

  #error(error: RoomErrorDetail): void {
    this.emit("error", error);
    // The server said why media stopped (no media server): a failing connection is that same
    // fact, said less well, and must not replace it on screen.
    const cause = this.error?.code === "unavailable" &&
      error.code === ClientErrorCode.ConnectionFailed;
    if (!cause) this.error = error;
    this.#changed();
  }

  #changed(): void {
    this.emit("change", undefined);
  }
}
