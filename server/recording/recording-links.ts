/**
 * Signed, expiring links to server recordings: `/recordings/<id>/<file>?expires=…&sig=…`,
 * the signature an HMAC-SHA256 of the path and the expiry. Nothing under
 * /recordings/ is listed or served without one, so a recording is reached
 * only through the link its hosts were given.
 */

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export class RecordingLinks {
  readonly #key: CryptoKey;
  readonly #lifetimeMs: number;

  private constructor(key: CryptoKey, lifetimeMs: number) {
    this.#key = key;
    this.#lifetimeMs = lifetimeMs;
  }

  /**
   * Keyed by `secret` (ROOM_TOKEN_SECRET, so links outlive a restart and work
   * on every instance), or by a random key of this process when there is none.
   */
  static async create(secret: string | null, lifetimeMs: number): Promise<RecordingLinks> {
    const raw = secret !== null
      ? encoder.encode(`recordings:${secret}`)
      : crypto.getRandomValues(new Uint8Array(32));
    const key = await crypto.subtle.importKey(
      "raw",
      raw,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return new RecordingLinks(key, lifetimeMs);
  }

  /** A link to `path` (which starts with /recordings/) that works until its lifetime is over. */
  async sign(path: string, now = Date.now()): Promise<string> {
    const expires = Math.floor((now + this.#lifetimeMs) / 1000);
    return `${path}?expires=${expires}&sig=${await this.#signature(path, expires)}`;
  }

  /** Whether `expires` and `sig` (from the query) make a link to `path` that works now. */
  async verify(path: string, expires: string | null, sig: string | null, now = Date.now()) {
    if (!expires || !sig || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(sig)) {
      return false;
    }
    if (Number(expires) * 1000 < now) return false;
    const bytes = new Uint8Array(sig.match(/../g)!.map((h) => parseInt(h, 16)));
    return await crypto.subtle.verify(
      "HMAC",
      this.#key,
      bytes,
      encoder.encode(`${path}\n${expires}`),
    );
  }

  async #signature(path: string, expires: number): Promise<string> {
    return hex(await crypto.subtle.sign("HMAC", this.#key, encoder.encode(`${path}\n${expires}`)));
  }
}
