/**
 * Whether this browser can share a screen at all (most phones cannot). Apart
 * from ScreenCapture so the button can ask without loading the capture code.
 */
export function canShareScreen(): boolean {
  return typeof globalThis.navigator?.mediaDevices?.getDisplayMedia === "function";
}
