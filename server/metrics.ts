/** Counters exposed at /metrics in the Prometheus text format. */
export class Metrics {
  readonly relayed = new Map<string, number>();
  readonly errors = new Map<string, number>();
  connectionsTotal = 0;

  countRelayed(type: string): void {
    this.relayed.set(type, (this.relayed.get(type) ?? 0) + 1);
  }

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  render(
    gauges: { connections: number; rooms: number; peers: number; available: boolean },
  ): string {
    const lines = [
      "# HELP video_room_available 1 when this instance can seat new joins (in a cluster: Redis answers).",
      "# TYPE video_room_available gauge",
      `video_room_available ${gauges.available ? 1 : 0}`,
      "# HELP video_room_connections Open WebSocket connections.",
      "# TYPE video_room_connections gauge",
      `video_room_connections ${gauges.connections}`,
      "# HELP video_room_connections_total WebSocket connections accepted since start.",
      "# TYPE video_room_connections_total counter",
      `video_room_connections_total ${this.connectionsTotal}`,
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
      "# HELP video_room_errors_total Error replies sent to clients, by code.",
      "# TYPE video_room_errors_total counter",
      ...[...this.errors].map(([code, n]) => `video_room_errors_total{code="${code}"} ${n}`),
    ];
    return lines.join("\n") + "\n";
  }
}
