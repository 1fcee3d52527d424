/** The one way this server connects to Redis, and the client type the cluster parts share. */
import { createClient } from "@redis/client";

export function createRedisClient(url: string, timeoutMs: number) {
  return createClient({
    url,
    // Fail at once while disconnected: a join should hear "unavailable", not hang.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;
