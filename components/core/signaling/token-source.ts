/**
 * Where the room token comes from: a fixed one, or the embedding site's
 * backend (a URL to POST to, or a function). Tokens from the site are
 * short-lived, so each (re)connect asks for one unless the last is good for
 * a while yet: a call that reconnects an hour in still gets in.
 */

/** What the site is asked for: the room, and the name this person gave. */
export interface TokenRequest {
  room: string;
  name: string;
}

/**
 * The site's own way to get a token (e.g. with its CSRF header). What it
 * throws is retried like an unreachable server, unless the error has a
 * `status` of 401 or 403: a refusal, final.
 */
export type TokenProvider = (request: TokenRequest) => string | Promise<string>;

export interface TokenOptions {
  token?: string;
  /** POSTed `{room, name}` as JSON with the page's cookies; answers `{token}` or the token as text. */
  tokenUrl?: string;
  tokenProvider?: TokenProvider;
}

/** Whether the site refused the token (401 or 403): asking again will not help. */
export function tokenRefused(e: unknown): boolean {
  const status = (e as { status?: unknown } | null)?.status;
  return status === 401 || status === 403;
}

/** A token is reused while it has this long left; else a fresh one is asked for. */
const MARGIN_S = 30;

/** `exp` of a JWT, in seconds; null when it cannot be read (then the token is not reused). */
export function tokenExpiry(token: string): number | null {
  try {
    const body = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = JSON.parse(atob(body)).exp;
    return typeof exp === "number" ? exp : null;
  } catch {
    return null;
  }
}

export class TokenSource {
  #last: string | undefined;

  constructor(readonly options: TokenOptions, readonly request: TokenRequest) {}

  /** Whether a fresh token can be had (not one fixed in the page). */
  get fresh(): boolean {
    return !!(this.options.tokenProvider || this.options.tokenUrl);
  }

  /** The token for the next join: the last one while it is good for a while, else a fresh one. */
  async get(nowS = Date.now() / 1000): Promise<string | undefined> {
    if (!this.fresh) return this.options.token || undefined;
    const exp = this.#last ? tokenExpiry(this.#last) : null;
    if (this.#last && exp !== null && exp - MARGIN_S > nowS) return this.#last;
    const token = this.options.tokenProvider
      ? await this.options.tokenProvider({ ...this.request })
      : await fetchToken(this.options.tokenUrl!, this.request);
    if (typeof token !== "string" || !token) {
      throw new Error("the site gave no token");
    }
    return (this.#last = token);
  }

  /** The last token was turned down (a clock apart, say): the next `get` asks again. */
  forget(): void {
    this.#last = undefined;
  }
}

async function fetchToken(url: string, request: TokenRequest): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(request),
  });
  const text = await res.text();
  let json: { token?: unknown; message?: unknown } | string | null = null;
  try {
    json = JSON.parse(text);
  } catch { /* a plain-text answer */ }
  if (!res.ok) {
    // The site's own words (e.g. WordPress's `message`), kept short: they reach the visitor.
    const message = typeof json === "object" ? json?.message : undefined;
    const why = typeof message === "string" ? `: ${message.slice(0, 200)}` : "";
    const error = `${url} answered ${res.status}${why}`;
    throw Object.assign(new Error(error), { status: res.status });
  }
  if (typeof json === "string") return json;
  return typeof json?.token === "string" ? json.token : text.trim();
}
