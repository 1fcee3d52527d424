/** A value that passed an `if`. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * Polls `check` until it returns a truthy value and returns that value, or
 * fails after `timeoutMs`. Used by the browser tests and the e2e tests alike.
 */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15000,
  intervalMs = 50,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
