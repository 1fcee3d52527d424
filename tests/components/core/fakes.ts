/** Stand-ins for the parts RoomSession and MeshTransport are built from, for tests without a network. */
import type { ClientMessage, ServerMessage } from "../../../protocol/messages.ts";
import { Emitter } from "../../../components/core/emitter.ts";
import type {
  LinkSignal,
  PeerLinkEvents,
  PeerLinkOptions,
} from "../../../components/core/transport/peer-link.ts";
import type {
  SignalingEvents,
  SignalingState,
} from "../../../components/core/signaling/signaling-client.ts";

/** A signaling client whose server is the test: `deliver()` plays server messages. */
export class FakeSignaling extends Emitter<SignalingEvents> {
  id: string | null = null;
  readonly sent: ClientMessage[] = [];
  connects = 0;
  left = false;
  /** Whether `send` reaches the server (false while "reconnecting"). */
  open = false;

  connect(): void {
    this.connects++;
    this.#state("connecting");
  }

  send(message: ClientMessage): boolean {
    if (!this.open) return false;
    this.sent.push(message);
    return true;
  }

  leave(): void {
    this.left = true;
    this.open = false;
    this.#state("left");
  }

  dropConnection(): void {
    this.open = false;
    this.#state("reconnecting");
  }

  /** A message from the server; `joined` also opens the connection, as the real client does. */
  deliver(message: ServerMessage): void {
    if (message.type === "joined") {
      this.id = message.id;
      this.open = true;
      this.#state("joined");
    }
    this.emit("message", message);
  }

  sentOf<T extends ClientMessage["type"]>(type: T): Extract<ClientMessage, { type: T }>[] {
    return this.sent.filter((m) => m.type === type) as Extract<ClientMessage, { type: T }>[];
  }

  #state(state: SignalingState): void {
    this.emit("state", state);
  }
}

/** A peer link that records what the mesh asks of it; `fire()` plays what a real one reports. */
export class FakeLink extends Emitter<PeerLinkEvents> {
  readonly signals: LinkSignal[] = [];
  readonly tracks: Array<[string, MediaStreamTrack | null]> = [];
  quality: [number, number, boolean] | null = null;
  screen: MediaStream | null = null;
  closed = false;
  /** Never connected: the quality monitor skips it. */
  readonly pc = { connectionState: "new" } as RTCPeerConnection;

  constructor(readonly options: PeerLinkOptions) {
    super();
  }

  signal(data: LinkSignal): Promise<void> {
    this.signals.push(data);
    return Promise.resolve();
  }

  replaceTrack(kind: "audio" | "video", track: MediaStreamTrack | null): Promise<void> {
    this.tracks.push([kind, track]);
    return Promise.resolve();
  }

  setVideoQuality(bitrate: number, scale: number, active = true): Promise<void> {
    this.quality = [bitrate, scale, active];
    return Promise.resolve();
  }

  addScreen(_track: MediaStreamTrack, stream: MediaStream): void {
    this.screen = stream;
  }

  removeScreen(): void {
    this.screen = null;
  }

  close(): void {
    this.closed = true;
  }

  fire<K extends keyof PeerLinkEvents>(type: K, payload: PeerLinkEvents[K]): void {
    this.emit(type, payload);
  }
}

/** Camera and microphone that grant nothing but an empty stream: no device needed. */
export const noDevices = {
  getUserMedia: () => Promise.resolve(new MediaStream()),
  enumerateDevices: () => Promise.resolve([]),
  addEventListener() {},
  removeEventListener() {},
} as unknown as MediaDevices;
