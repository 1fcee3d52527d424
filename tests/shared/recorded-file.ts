/**
 * A meeting's recording as the host gets it: downloaded by clicking its link (into a folder the
 * test made), then read with ffprobe: its streams, how long it runs, and how evenly its
 * pictures came.
 */
import type { BrowserContext, Page } from "puppeteer-core";
import { until } from "./until.ts";

/** Lets `page`'s context save downloads into `dir`. */
export async function allowDownloads(page: Page, context: BrowserContext, dir: string) {
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", {
    behavior: "allow",
    downloadPath: dir,
    browserContextId: (context as unknown as { id: string }).id,
  });
}

/** Clicks "Download the recording" and waits for the file in `dir`. */
export async function downloadRecording(page: Page, dir: string): Promise<string> {
  await page.locator('::-p-aria([name="Download the recording"][role="link"])')
    .setTimeout(15000).click();
  const file = await until(
    async () => {
      for await (const entry of Deno.readDir(dir)) {
        if (/\.(webm|mp4)$/.test(entry.name)) return `${dir}/${entry.name}`;
      }
      return null;
    },
    "the downloaded recording",
    15000,
  );
  await new Promise((r) => setTimeout(r, 500)); // written out
  return file;
}

async function ffprobe(args: string[]): Promise<string> {
  const out = await new Deno.Command("ffprobe", { args: ["-v", "error", ...args] }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

export interface RecordingFacts {
  /** Stream types, sorted: ["audio", "video"]. */
  streams: string[];
  /** The last picture's time: MediaRecorder's WebM has no duration in its header. */
  seconds: number;
  fps: number;
  /** The longest time between two pictures (a frozen stretch shows here). */
  gap: number;
}

export async function probeRecording(file: string): Promise<RecordingFacts> {
  const streams = (await ffprobe(["-show_entries", "stream=codec_type", "-of", "csv=p=0", file]))
    .split("\n").map((s) => s.replace(/,$/, "")).sort();
  const times = (await ffprobe([
    "-select_streams",
    "v",
    "-show_entries",
    "packet=pts_time",
    "-of",
    "csv=p=0",
    file,
  ])).split("\n").filter((line) => /^\d/.test(line)).map((line) => parseFloat(line));
  const seconds = Math.max(...times);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
  return { streams, seconds, fps: times.length / seconds, gap };
}
