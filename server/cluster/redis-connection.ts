/** The one way this server connects to Redis, and the client type the cluster parts share. */
import { createClient } from "@redis/client";

/** The longest wait between attempts to reach Redis again. */
export const RECONNECT_MAX_MS = 1000;

export function createRedisClient(url: string, timeoutMs: number) {
  return createClient({
    url,
    // Fail at once while disconnected: a join should hear "unavailable", not hang.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, RECONNECT_MAX_MS),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;
