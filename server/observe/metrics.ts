/** Counters exposed at /metrics in the Prometheus text format. */
export class Metrics {
  readonly relayed = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly refused = new Map<string, number>();
  connectionsTotal = 0;
  /** TCP connections closed for not completing a request in time. */
  timedOut = 0;
  /** Frames dropped by the rate limiter (the `rate-limited` replies count apart, as errors). */
  framesDropped = 0;
  /** Malformed WebSocket upgrades answered 400. */
  badUpgrades = 0;
  /** Requests refused before any route saw them, by HTTP status. */
  readonly httpRefused = new Map<number, number>();

  /** Server recordings: started, ready (files made), failed, stopped-limit (size or disk). */
  readonly recordings = new Map<string, number>();

  countRecording(outcome: "started" | "ready" | "failed" | "stopped-limit"): void {
    this.recordings.set(outcome, (this.recordings.get(outcome) ?? 0) + 1);
  }

  countRelayed(type: string): void {
    this.relayed.set(type, (this.relayed.get(type) ?? 0) + 1);
  }

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** A TCP connection turned away before reading anything, by reason. */
  countRefused(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  countHttpRefused(status: number): void {
    this.httpRefused.set(status, (this.httpRefused.get(status) ?? 0) + 1);
  }

  countTimedOut(): void {
    this.timedOut++;
  }

  render(
    gauges: {
      connections: number;
      tcpConnections: number;
      connectionCeiling: number;
      rooms: number;
      peers: number;
      available: boolean;
    },
  ): string {
    const lines = [
      "# HELP video_room_available 1 when this instance can seat new joins (in a cluster: Redis answers).",
      "# TYPE video_room_available gauge",
      `video_room_available ${gauges.available ? 1 : 0}`,
      "# HELP video_room_connections Open WebSocket connections.",
      "# TYPE video_room_connections gauge",
      `video_room_connections ${gauges.connections}`,
      "# HELP video_room_tcp_connections Open TCP connections of every kind (page loads, WebSockets, not yet known).",
      "# TYPE video_room_tcp_connections gauge",
      `video_room_tcp_connections ${gauges.tcpConnections}`,
      "# HELP video_room_tcp_connection_ceiling Open TCP connections allowed under the file descriptor limit.",
      "# TYPE video_room_tcp_connection_ceiling gauge",
      `video_room_tcp_connection_ceiling ${gauges.connectionCeiling}`,
      "# HELP video_room_connections_total WebSocket connections accepted since start.",
      "# TYPE video_room_connections_total counter",
      `video_room_connections_total ${this.connectionsTotal}`,
      "# HELP video_room_connections_refused_total TCP connections closed at once, by reason (descriptors: near the file descriptor limit; per-address: one address holds too many).",
      "# TYPE video_room_connections_refused_total counter",
      ...[...this.refused].map(([reason, n]) =>
        `video_room_connections_refused_total{reason="${reason}"} ${n}`
      ),
      "# HELP video_room_connections_timed_out_total TCP connections closed for sending no complete request in time.",
      "# TYPE video_room_connections_timed_out_total counter",
      `video_room_connections_timed_out_total ${this.timedOut}`,
      "# HELP video_room_bad_upgrades_total Malformed WebSocket upgrade requests, answered 400.",
      "# TYPE video_room_bad_upgrades_total counter",
      `video_room_bad_upgrades_total ${this.badUpgrades}`,
      "# HELP video_room_http_refused_total Requests refused before reaching a route (malformed heads, methods not served, bodies), by status.",
      "# TYPE video_room_http_refused_total counter",
      ...[...this.httpRefused].map(([status, n]) =>
        `video_room_http_refused_total{status="${status}"} ${n}`
      ),
      "# HELP video_room_rooms Rooms with at least one peer.",
      "# TYPE video_room_rooms gauge",
      `video_room_rooms ${gauges.rooms}`,
      "# HELP video_room_peers Peers in rooms, including those within their resume grace.",
      "# TYPE video_room_peers gauge",
      `video_room_peers ${gauges.peers}`,
      "# HELP video_room_messages_relayed_total Messages delivered to peers, by type.",
      "# TYPE video_room_messages_relayed_total counter",
      ...[...this.relayed].map(([type, n]) =>
        `video_room_messages_relayed_total{type="${type}"} ${n}`
      ),
      "# HELP video_room_frames_dropped_total Frames dropped by the per-connection rate limit.",
      "# TYPE video_room_frames_dropped_total counter",
      `video_room_frames_dropped_total ${this.framesDropped}`,
      "# HELP video_room_errors_total Error replies sent to clients, by code.",
      "# TYPE video_room_errors_total counter",
      ...[...this.errors].map(([code, n]) => `video_room_errors_total{code="${code}"} ${n}`),
      "# HELP video_room_recordings_total Server recordings, by outcome (started; ready: its files made; failed; stopped-limit: size limit or disk full).",
      "# TYPE video_room_recordings_total counter",
      ...[...this.recordings].map(([outcome, n]) =>
        `video_room_recordings_total{outcome="${outcome}"} ${n}`
      ),
    ];
    return lines.join("\n") + "\n";
  }
}
