/**
 * What listening to a call needs, fetched as one chunk the first time a
 * microphone is heard (never before a join): the speaking detector and the
 * dominant speaker it feeds.
 */
export { SpeakingDetector } from "../media/speaking-detector.ts";
export { DominantSpeaker } from "./dominant-speaker.ts";
