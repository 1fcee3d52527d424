/**
 * Audio for the noise suppression tests, in the page: the speech-plus-noise
 * fixture as a microphone track (looped), and the levels of what some stream
 * sounds like, window by window, to tell the noise floor between words from
 * the speech.
 */
import { until } from "../../test-helpers.ts";

let decoded: Promise<AudioBuffer> | undefined;

/** The fixture, decoded once per page. */
function fixtureBuffer(): Promise<AudioBuffer> {
  return decoded ??= (async () => {
    const bytes = await (await fetch("/__fixtures/speech-noise.wav")).arrayBuffer();
    const ctx = new OfflineAudioContext(1, 1, 48000);
    return await ctx.decodeAudioData(bytes);
  })();
}

/** Contexts made here, closed by `closeAudio()`. */
const contexts: AudioContext[] = [];

function context(): AudioContext {
  const ctx = new AudioContext({ sampleRate: 48000 });
  contexts.push(ctx);
  void ctx.resume();
  return ctx;
}

/** A microphone that speaks the fixture in a loop: a fresh track each call. */
export async function fixtureMicrophone(): Promise<MediaStreamTrack> {
  const buffer = await fixtureBuffer();
  const ctx = context();
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.loop = true;
  const out = ctx.createMediaStreamDestination();
  out.channelCount = 1;
  source.connect(out);
  source.start();
  return out.stream.getAudioTracks()[0];
}

/**
 * Replaces getUserMedia so that every microphone asked for is the fixture
 * (cameras stay the browser's fake one): what a visitor's microphone would
 * pick up in a noisy room. Firefox has no fake-audio file, so both browsers
 * get it this way. Returns the microphones handed out so far, and what puts
 * the real getUserMedia back.
 */
export function useFixtureMicrophone(): { given: MediaStreamTrack[]; restore(): void } {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  const given: MediaStreamTrack[] = [];
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = constraints?.video
      ? await original.call(devices, { video: constraints.video })
      : new MediaStream();
    if (constraints?.audio) {
      const track = await fixtureMicrophone();
      given.push(track);
      stream.addTrack(track);
    }
    return stream;
  };
  return {
    given,
    restore: () => {
      devices.getUserMedia = original;
    },
  };
}

/** The loudness of a stream in dB (RMS), one value per ~21 ms window, for `ms`. */
export async function levels(stream: MediaStream, ms: number): Promise<number[]> {
  const ctx = context();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  const out: number[] = [];
  const end = performance.now() + ms;
  await until(() => ctx.state === "running", "the measuring audio running");
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 21));
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    out.push(10 * Math.log10(sum / data.length + 1e-12));
  }
  return out;
}

/**
 * The noise floor (the 10th percentile: the quiet between sentences) and
 * the speech (the 90th) of some levels.
 */
export function floorAndSpeech(dbs: number[]): { floor: number; speech: number } {
  const sorted = [...dbs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
  return { floor: at(0.1), speech: at(0.9) };
}

export function closeAudio(): void {
  for (const ctx of contexts.splice(0)) void ctx.close();
}
