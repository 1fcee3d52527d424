/** The soft cue of a raised hand, made with Web Audio (nothing to fetch). */

let cue: AudioContext | null = null;

/** A soft two-note chime: someone raised a hand. */
export function playCue(): void {
  try {
    cue ??= new AudioContext();
    const at = cue.currentTime;
    const gain = cue.createGain();
    gain.connect(cue.destination);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.08, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
    for (const [freq, start] of [[660, 0], [880, 0.15]]) {
      const tone = cue.createOscillator();
      tone.frequency.value = freq;
      tone.connect(gain);
      tone.start(at + start);
      tone.stop(at + start + 0.3);
    }
  } catch {
    // No sound is no harm: the hand shows on the tile and in the list.
  }
}
