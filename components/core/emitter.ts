/** A minimal typed event emitter; `on` returns the function that unsubscribes. */
export class Emitter<Events extends Record<string, unknown>> {
  #handlers: { [K in keyof Events]?: Set<(payload: Events[K]) => void> } = {};

  on<K extends keyof Events>(type: K, handler: (payload: Events[K]) => void): () => void {
    (this.#handlers[type] ??= new Set()).add(handler);
    return () => this.#handlers[type]?.delete(handler);
  }

  protected emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const handler of [...(this.#handlers[type] ?? [])]) handler(payload);
  }

  protected removeAllListeners(): void {
    this.#handlers = {};
  }
}
