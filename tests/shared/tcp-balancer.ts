/**
 * A round-robin TCP load balancer on loopback, as a deployment puts in front
 * of several instances: each new connection goes to the next backend that
 * accepts it, so a dead instance is skipped and clients land elsewhere.
 */
export interface TcpBalancer {
  readonly port: number;
  /** Backend ports; edit to add or remove instances. */
  backends: number[];
  close(): Promise<void>;
}

export function startBalancer(backends: number[]): TcpBalancer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const piping = new Set<Promise<void>>();
  let next = 0;

  async function connectBackend(): Promise<Deno.Conn | null> {
    // Each client tries every backend once from its own starting point: with a
    // shared counter, clients connecting at the same time could each skip the
    // live backend and try the dead one twice.
    const start = next++;
    for (let tried = 0; tried < balancer.backends.length; tried++) {
      const port = balancer.backends[(start + tried) % balancer.backends.length];
      try {
        return await Deno.connect({ hostname: "127.0.0.1", port });
      } catch { /* down: try the next one */ }
    }
    return null;
  }

  async function serve(client: Deno.Conn): Promise<void> {
    open.add(client);
    const backend = await connectBackend();
    if (!backend) {
      open.delete(client);
      client.close();
      return;
    }
    open.add(backend);
    const closeBoth = () => {
      for (const conn of [client, backend]) {
        if (open.delete(conn)) {
          try {
            conn.close();
          } catch { /* closed */ }
        }
      }
    };
    // Either side ending ends the pair, as a proxy does.
    await Promise.race([
      client.readable.pipeTo(backend.writable, { preventClose: true }).catch(() => {}),
      backend.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}),
    ]);
    closeBoth();
  }

  const accepting = (async () => {
    for await (const conn of listener) {
      const p = serve(conn).catch(() => {});
      piping.add(p);
      p.finally(() => piping.delete(p));
    }
  })().catch(() => {});

  const balancer: TcpBalancer = {
    port: (listener.addr as Deno.NetAddr).port,
    backends: [...backends],
    async close() {
      listener.close();
      await accepting;
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      open.clear();
      await Promise.allSettled([...piping]);
    },
  };
  return balancer;
}
