/**
 * Turns what Janus recorded (an `.mjr` file per track of each stretch of
 * someone's publishing, with our `.json` note beside it: whose, since when)
 * into files people can play: one WebM per stretch of each person (their
 * camera and microphone) and one of the meeting, the people on camera in a
 * grid, their voices mixed, each placed at the time they were on.
 *
 * The work is done by child processes (`janus-pp-rec` from janus-tools, then
 * ffmpeg), never on the signaling path; a failure leaves the raw files.
 */

/** Our note beside each stretch's recordings (written when it started). */
export interface SegmentNote {
  seat: string;
  name: string;
  room: string;
  /** When the SFU was told to record it (ms). */
  started: number;
}

export interface ComposedRecording {
  /** The meeting's file, relative to the recording's folder. */
  file: string;
  bytes: number;
  durationMs: number;
  /** Each stretch of each person: their name and their file. */
  people: Array<{ name: string; file: string }>;
}

/** Why a recording has no file: no camera or microphone was on while it ran. */
export const NOTHING_RECORDED = "nothing was recorded";

/** Each person's cell in the grid (16:9). */
const CELL = { width: 640, height: 360 } as const;
/** Enough for a grid of cameras; kept low so two cores make it quickly. */
const FPS = 15;

/** Runs a tool; its last lines of output explain a failure. */
async function run(tool: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(tool, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" / ");
    throw new Error(`${tool} failed (${out.code}): ${err}`);
  }
  return text;
}

/** A media file's length (ms), as ffprobe reads it; 0 when it has none. */
export async function mediaDuration(path: string): Promise<number> {
  const text = await run("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "csv=p=0",
    path,
  ]);
  const seconds = Number(text.trim());
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0;
}

interface Segment {
  note: SegmentNote;
  /** Its converted camera and microphone, when it had them. */
  video: string | null;
  audio: string | null;
  /** Its own file, both together. */
  file: string;
  durationMs: number;
}

/** A name safe in a file name (letters, digits, dashes), never empty. */
function fileName(name: string): string {
  return name.normalize("NFKD").replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) ||
    "person";
}

/** Converts each stretch's tracks and makes each person's file. */
async function segments(dir: string): Promise<Segment[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  const out: Segment[] = [];
  await Deno.mkdir(`${dir}/people`, { recursive: true });
  for (const noteName of names.filter((n) => n.endsWith(".json")).sort()) {
    const base = noteName.slice(0, -".json".length);
    const note = JSON.parse(await Deno.readTextFile(`${dir}/${noteName}`)) as SegmentNote;
    // Janus names each track's file after ours: `<base>-audio-<mid>.mjr`, `<base>-video-<mid>.mjr`.
    const tracks = names.filter((n) => n.startsWith(`${base}-`) && n.endsWith(".mjr")).sort();
    const first = (kind: string) => tracks.find((n) => n.includes(`-${kind}`)) ?? null;
    const convert = async (mjr: string | null, ending: string) => {
      if (!mjr) return null;
      const target = `${dir}/${base}.${ending}`;
      await run("janus-pp-rec", [`${dir}/${mjr}`, target]);
      // A track that never carried media converts to nothing worth keeping.
      return (await Deno.stat(target).catch(() => null))?.size ? target : null;
    };
    const video = await convert(first("video"), "webm");
    const audio = await convert(first("audio"), "opus");
    if (!video && !audio) continue;
    const file = `people/${fileName(note.name)}-${base}.webm`;
    const inputs = [video, audio].filter((x): x is string => x !== null);
    await run("ffmpeg", [
      "-v",
      "error",
      "-y",
      ...inputs.flatMap((i) => ["-i", i]),
      "-c",
      "copy",
      ...inputs.flatMap((_, n) => ["-map", `${n}`]),
      `${dir}/${file}`,
    ]);
    out.push({ note, video, audio, file, durationMs: await mediaDuration(`${dir}/${file}`) });
  }
  // In the order they came: the grid fills the same way.
  return out.sort((a, b) => a.note.started - b.note.started);
}

/**
 * The ffmpeg filter that lays the cameras out in a grid on a black canvas and
 * mixes the voices, each from its own start (ms after the first).
 */
export function gridFilter(
  parts: Array<
    { cell: number; offsetMs: number; video: boolean; audio: boolean; label?: string }
  >,
  cells: number,
  durationMs: number,
): { filter: string; video: string; audio: string | null } {
  const cols = Math.ceil(Math.sqrt(cells));
  const rows = Math.ceil(cells / cols);
  const lines = [
    `color=c=black:s=${cols * CELL.width}x${rows * CELL.height}:r=${FPS}:d=${
      (durationMs / 1000).toFixed(3)
    }[bg0]`,
  ];
  let canvas = "bg0";
  const voices: string[] = [];
  parts.forEach((p, input) => {
    const start = (p.offsetMs / 1000).toFixed(3);
    if (p.video) {
      const x = (p.cell % cols) * CELL.width;
      const y = Math.floor(p.cell / cols) * CELL.height;
      lines.push(
        `[${input}:v]fps=${FPS},scale=${CELL.width}:${CELL.height}:force_original_aspect_ratio=decrease,` +
          `pad=${CELL.width}:${CELL.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,` +
          // The name comes from a file: whatever someone calls themselves, nothing to escape.
          (p.label
            ? `drawtext=textfile=${p.label}:fontsize=22:fontcolor=white:box=1:` +
              `boxcolor=black@0.55:boxborderw=6:x=10:y=h-th-16,`
            : "") +
          `tpad=start_duration=${start}:color=black[v${input}]`,
      );
      lines.push(`[${canvas}][v${input}]overlay=${x}:${y}:eof_action=pass[bg${input + 1}]`);
      canvas = `bg${input + 1}`;
    }
    if (p.audio) {
      lines.push(`[${input}:a]adelay=${Math.round(p.offsetMs)}:all=1[a${input}]`);
      voices.push(`[a${input}]`);
    }
  });
  // Overlays leave an alpha plane that VP8 cannot carry.
  lines.push(`[${canvas}]format=yuv420p[vout]`);
  if (voices.length > 0) {
    lines.push(`${voices.join("")}amix=inputs=${voices.length}:duration=longest:normalize=0[aout]`);
  }
  return { filter: lines.join(";"), video: "[vout]", audio: voices.length ? "[aout]" : null };
}

/** Makes the people's files and the meeting's file of the recording in `dir`. */
export async function composeRecording(dir: string): Promise<ComposedRecording> {
  const parts = await segments(dir);
  if (parts.length === 0) throw new Error(NOTHING_RECORDED);
  const start = Math.min(...parts.map((p) => p.note.started));
  const seats = [...new Set(parts.map((p) => p.note.seat))];
  // Each cell says whose it is (a label file per stretch, beside its note).
  const placed = await Promise.all(parts.map(async (p) => {
    const label = `${dir}/${p.file.replace(/^people\//, "").replace(/\.webm$/, "")}.label.txt`;
    await Deno.writeTextFile(label, p.note.name);
    return {
      cell: seats.indexOf(p.note.seat),
      offsetMs: p.note.started - start,
      video: p.video !== null,
      audio: p.audio !== null,
      label: /^[\w/.-]+$/.test(label) ? label : undefined,
    };
  }));
  const durationMs = Math.max(...parts.map((p, i) => placed[i].offsetMs + p.durationMs));
  const grid = gridFilter(placed, seats.length, durationMs);
  const file = "meeting.webm";
  await run("ffmpeg", [
    "-v",
    "error",
    "-y",
    ...parts.flatMap((p) => ["-i", `${dir}/${p.file}`]),
    "-filter_complex",
    grid.filter,
    "-map",
    grid.video,
    ...(grid.audio ? ["-map", grid.audio, "-c:a", "libopus", "-b:a", "64k"] : []),
    "-c:v",
    "libvpx",
    "-deadline",
    "realtime",
    // The fastest setting: a grid of cameras keeps well, and the server has calls to carry.
    "-cpu-used",
    "16",
    "-b:v",
    "1500k",
    "-threads",
    "2",
    `${dir}/${file}`,
  ]);
  // The converted tracks were steps on the way: the raw .mjr files and the results stay.
  for (const p of parts) {
    for (const step of [p.video, p.audio]) if (step) await Deno.remove(step).catch(() => {});
  }
  for (const p of placed) if (p.label) await Deno.remove(p.label).catch(() => {});
  const bytes = (await Deno.stat(`${dir}/${file}`)).size;
  return {
    file,
    bytes,
    durationMs: await mediaDuration(`${dir}/${file}`),
    people: parts.map((p) => ({ name: p.note.name, file: p.file })),
  };
}
