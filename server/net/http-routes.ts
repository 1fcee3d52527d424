/**
 * Everything the server answers over plain HTTP, as a Fetch handler:
 * /healthz, /metrics, /ws without an upgrade, and the static files (the demo
 * and the bundle) with their security headers.
 */
import type { Metrics } from "../observe/metrics.ts";
import type { NodeState } from "../sfu/janus-nodes.ts";
import type { RoomRegistry } from "../rooms/room-registry.ts";
import { serveStatic, type StaticMount } from "./static-files.ts";

/**
 * Sent with every served file. The CSP is strict: scripts and styles only
 * from this origin (Lit's constructed stylesheets need no 'unsafe-inline'),
 * media from local streams, WebSockets to this origin. 'wasm-unsafe-eval'
 * lets the page compile WebAssembly (noise suppression's RNNoise, from this
 * origin like everything else); it allows no JavaScript eval.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(self), microphone=(self), display-capture=(self)",
};

export interface RouteDeps {
  registry: RoomRegistry;
  metrics: Metrics;
  mounts: StaticMount[];
  /** Live gauges for /metrics. */
  gauges(): { connections: number; tcpConnections: number; connectionCeiling: number };
  /** The SFU's Janus nodes, when there is an SFU. */
  sfuNodes?: () => NodeState[];
  /** Server recordings' files behind signed links (RECORDINGS_DIR). */
  recordings?: (req: Request, url: URL) => Promise<Response>;
}

/** Each Janus node's state for /metrics, labelled by its URL. */
function sfuMetrics(nodes: NodeState[]): string {
  const label = (url: string) => url.replace(/["\\\n]/g, "_");
  return [
    "# HELP video_room_sfu_node_up 1 when the Janus node answers its health check.",
    "# TYPE video_room_sfu_node_up gauge",
    ...nodes.map((n) => `video_room_sfu_node_up{node="${label(n.url)}"} ${n.up ? 1 : 0}`),
    "# HELP video_room_sfu_participants People of this instance on the Janus node.",
    "# TYPE video_room_sfu_participants gauge",
    ...nodes.map((n) => `video_room_sfu_participants{node="${label(n.url)}"} ${n.participants}`),
    "# HELP video_room_sfu_rooms Rooms this instance holds on the Janus node.",
    "# TYPE video_room_sfu_rooms gauge",
    ...nodes.map((n) => `video_room_sfu_rooms{node="${label(n.url)}"} ${n.rooms}`),
    "",
  ].join("\n");
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function text(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

export function createRoutes(deps: RouteDeps): (req: Request) => Promise<Response> {
  const { registry, metrics, mounts } = deps;
  return async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/ws") {
      // A real handshake never arrives here (it is an upgrade): say what is missing.
      return text("Expected a WebSocket upgrade\n", 426, { upgrade: "websocket" });
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text("Method not allowed\n", 405, { allow: "GET, HEAD" });
    }
    if (deps.recordings && url.pathname.startsWith("/recordings/")) {
      return await deps.recordings(req, url);
    }
    switch (url.pathname) {
      case "/healthz": {
        const counts = {
          rooms: registry.roomCount,
          peers: registry.peerCount,
          ...(deps.sfuNodes ? { sfu: deps.sfuNodes() } : {}),
        };
        const reason = registry.unavailable;
        return reason
          ? json({ status: "unavailable", reason, ...counts }, 503)
          : json({ status: "ok", ...counts });
      }
      case "/metrics":
        return new Response(
          metrics.render({
            ...deps.gauges(),
            rooms: registry.roomCount,
            peers: registry.peerCount,
            available: registry.unavailable === null,
          }) + (deps.sfuNodes ? sfuMetrics(deps.sfuNodes()) : ""),
          { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } },
        );
    }
    return await serveStatic(req, url.pathname, mounts, SECURITY_HEADERS);
  };
}
