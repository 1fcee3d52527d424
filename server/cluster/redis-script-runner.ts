/**
 * Runs the Lua scripts by hash on one Redis connection, each with a deadline:
 * a command that gets no answer within the timeout fails, so a request never
 * hangs on an unresponsive Redis. One timer per command cost more than the
 * relay itself, so `expire()` (called on the heartbeat tick) fails whatever
 * has waited too long instead.
 */
import type { RedisClient } from "./redis-connection.ts";
import { type ScriptName, Scripts } from "./redis-scripts.ts";

export type Reply = null | number | string | Reply[];

export class ScriptRunner {
  readonly #shas = new Map<ScriptName, string>();
  readonly #waiting = new Set<{ since: number; reject: (err: Error) => void }>();

  constructor(
    readonly client: RedisClient,
    readonly prefix: string,
    readonly timeoutMs: number,
  ) {}

  /**
   * Loads every script up front (after each connect): loading one lazily
   * mid-relay could let a later command of the same client overtake it.
   */
  async loadAll(): Promise<void> {
    this.#shas.clear();
    for (const name of Object.keys(Scripts) as ScriptName[]) {
      this.#shas.set(name, await this.client.scriptLoad(Scripts[name]) as string);
    }
  }

  /** Runs a script (ARGV[1] is always the prefix), failing after the timeout. */
  async run(name: ScriptName, args: string[]): Promise<Reply> {
    const argv = [this.prefix, ...args];
    const call = async (): Promise<Reply> => {
      let sha = this.#shas.get(name);
      if (!sha) {
        sha = await this.client.scriptLoad(Scripts[name]) as string;
        this.#shas.set(name, sha);
      }
      try {
        return await this.client.evalSha(sha, { keys: [], arguments: argv }) as Reply;
      } catch (err) {
        if (!String(err).includes("NOSCRIPT")) throw err;
        this.#shas.clear(); // Redis restarted and forgot them
        return await this.client.eval(Scripts[name], { keys: [], arguments: argv }) as Reply;
      }
    };
    let waiting!: { since: number; reject: (err: Error) => void };
    const deadline = new Promise<never>((_, reject) => (waiting = { since: Date.now(), reject }));
    this.#waiting.add(waiting);
    try {
      return await Promise.race([call(), deadline]);
    } finally {
      this.#waiting.delete(waiting);
    }
  }

  /** Fails commands that got no answer within the timeout. */
  expire(): void {
    const cutoff = Date.now() - this.timeoutMs;
    for (const w of this.#waiting) {
      if (w.since > cutoff) continue;
      this.#waiting.delete(w);
      w.reject(new Error(`no answer within ${this.timeoutMs} ms`));
    }
  }
}
