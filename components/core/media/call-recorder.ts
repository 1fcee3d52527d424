/**
 * The meeting recorded in this browser (a chunk, loaded when a host here
 * starts recording): everyone's camera drawn into one picture, a grid with
 * names (shared screens first), every voice mixed with Web Audio, and
 * MediaRecorder writing WebM. Drawn on the audio graph's clock: in a
 * background tab requestAnimationFrame stops and the page's timers slow to
 * once a second, which would freeze the picture; audio keeps its time.
 */

/** Someone whose media is recorded. */
export interface RecordedPerson {
  readonly name: string;
  readonly stream: MediaStream | null;
  readonly screen: MediaStream | null;
}

export interface RecordedFile {
  blob: Blob;
  durationMs: number;
}

/** 540p at 23 fps (the clock's pace): a grid of webcams loses little, and a busy call spares 720p's cost. */
const WIDTH = 960;
const HEIGHT = 540;
const FPS = 23;
/** Samples per clock tick: 2048 at 48 kHz is a tick every 43 ms, about 23 pictures a second. */
const BUFFER = 2048;
/** What MediaRecorder is asked for, best first (Safari records MP4 only). */
const TYPES = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];

export class CallRecorder {
  readonly #canvas = document.createElement("canvas");
  readonly #g: CanvasRenderingContext2D;
  readonly #audio = new AudioContext();
  readonly #mix = this.#audio.createMediaStreamDestination();
  readonly #videos = new Map<MediaStream, HTMLVideoElement>();
  readonly #voices = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  readonly #clock = this.#audio.createScriptProcessor(BUFFER, 1, 1);
  /** When the next picture is due, and when the audio clock last ticked (performance.now()). */
  #next = 0;
  #heard = 0;
  #timer: ReturnType<typeof setInterval>;
  readonly #recorder: MediaRecorder;
  readonly #chunks: Blob[] = [];
  readonly #start = performance.now();

  constructor(readonly people: () => readonly RecordedPerson[]) {
    this.#canvas.width = WIDTH;
    this.#canvas.height = HEIGHT;
    this.#g = this.#canvas.getContext("2d")!;
    this.#draw(); // a first frame before the stream starts
    const picture = this.#canvas.captureStream(FPS).getVideoTracks();
    const stream = new MediaStream([...picture, ...this.#mix.stream.getAudioTracks()]);
    try {
      const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
      this.#recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    } catch (e) {
      // No recorder here: what was set up for it goes (the caller says why to the room).
      for (const track of stream.getTracks()) track.stop();
      this.#follow([]);
      void this.#audio.close();
      throw e;
    }
    this.#recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.#chunks.push(e.data);
    };
    // No timeslice: the file is in memory either way, and Firefox, asked for slices, may
    // deliver a pending slice after its stop event (a file that came out empty).
    this.#recorder.start();
    // The clock: the audio graph asks for a buffer every BUFFER / sampleRate s (about 43 ms),
    // on time in a background tab too, and needs no worker script (which a page could not
    // load from the bundle's origin when that is not its own).
    this.#clock.onaudioprocess = () => {
      this.#heard = performance.now();
      this.#tick();
    };
    this.#clock.connect(this.#audio.destination); // silent: it writes nothing to its output
    // Until the audio runs (a browser may hold it back without a click on the page), a timer.
    this.#timer = setInterval(() => {
      if (performance.now() - this.#heard > 250) this.#tick();
    }, 1000 / FPS);
    void this.#audio.resume(); // started by a click: allowed to run
  }

  #tick(): void {
    const now = performance.now();
    if (now < this.#next) return;
    this.#draw();
    // On a busy machine the pictures come less often rather than take the page over: drawing
    // gets half of the time at most (ticks that queued meanwhile are let go).
    const took = performance.now() - now;
    this.#next = now + Math.max(1000 / FPS, 2 * took) - 10;
  }

  /** Stops, and gives the file. */
  async stop(): Promise<RecordedFile> {
    this.#clock.onaudioprocess = null;
    this.#clock.disconnect();
    clearInterval(this.#timer);
    if (this.#recorder.state !== "inactive") {
      const stopped = new Promise((resolve) => (this.#recorder.onstop = resolve));
      this.#recorder.stop();
      await stopped;
    }
    for (const track of this.#recorder.stream.getTracks()) track.stop();
    this.#follow([]);
    void this.#audio.close();
    return {
      blob: new Blob(this.#chunks, { type: this.#recorder.mimeType || "video/webm" }),
      durationMs: Math.round(performance.now() - this.#start),
    };
  }

  #draw(): void {
    const people = this.people();
    this.#follow(people);
    const tiles = [
      ...people.filter((p) => p.screen).map((p) => ({ name: p.name, stream: p.screen })),
      ...people.map((p) => ({ name: p.name, stream: p.stream })),
    ];
    const g = this.#g;
    g.fillStyle = "#111";
    g.fillRect(0, 0, WIDTH, HEIGHT);
    const cols = Math.ceil(Math.sqrt(tiles.length));
    const rows = Math.ceil(tiles.length / cols);
    const w = WIDTH / cols, h = HEIGHT / rows;
    g.font = "18px sans-serif";
    g.textBaseline = "bottom";
    tiles.forEach((tile, i) => {
      const x = (i % cols) * w, y = Math.floor(i / cols) * h;
      const video = tile.stream ? this.#videos.get(tile.stream) : undefined;
      if (video && video.videoWidth > 0) {
        // The whole picture, letterboxed: nothing of anyone is cut off.
        const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
        const vw = video.videoWidth * scale, vh = video.videoHeight * scale;
        g.drawImage(video, x + (w - vw) / 2, y + (h - vh) / 2, vw, vh);
      } else {
        g.fillStyle = "#2a2a2e";
        g.fillRect(x + 2, y + 2, w - 4, h - 4);
      }
      g.fillStyle = "rgba(0,0,0,.6)";
      const label = g.measureText(tile.name).width + 16;
      g.fillRect(x + 8, y + h - 38, label, 30);
      g.fillStyle = "#fff";
      g.fillText(tile.name, x + 16, y + h - 12);
    });
  }

  /** A playing video for each stream on screen, a voice in the mix for each audio track. */
  #follow(people: readonly RecordedPerson[]): void {
    const streams = new Set(people.flatMap((p) => [p.stream, p.screen]).filter((s) => s !== null));
    for (const stream of streams) {
      if (this.#videos.has(stream)) continue;
      const video = document.createElement("video");
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      void video.play().catch(() => {});
      this.#videos.set(stream, video);
    }
    for (const [stream, video] of this.#videos) {
      if (!streams.has(stream)) {
        video.srcObject = null;
        this.#videos.delete(stream);
      }
    }
    // Live ones only: an ended track would be mixed in and dropped again on every tick.
    const tracks = new Set(
      [...streams].flatMap((s) => s.getAudioTracks()).filter((t) => t.readyState === "live"),
    );
    for (const track of tracks) {
      if (this.#voices.has(track)) continue;
      const voice = this.#audio.createMediaStreamSource(new MediaStream([track]));
      voice.connect(this.#mix);
      this.#voices.set(track, voice);
    }
    for (const [track, voice] of this.#voices) {
      if (!tracks.has(track)) {
        voice.disconnect();
        this.#voices.delete(track);
      }
    }
  }
}
