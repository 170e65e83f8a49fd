import { Redis } from 'ioredis';

/**
 * Which instance holds which user online, until when. Each instance writes its own hold per user
 * (so one instance's user going offline does not end another instance's hold) and refreshes it
 * while the user stays; a hold not refreshed (its instance died) lapses at its expiry.
 */
export interface PresenceStore {
  /** `instance` holds `userIds` online until `expiresAt` (epoch ms). */
  hold(instance: string, userIds: readonly string[], expiresAt: number): Promise<void>;
  /** `instance` no longer holds `userIds`. */
  release(instance: string, userIds: readonly string[]): Promise<void>;
  /** Those of `userIds` some instance holds past `now`. */
  online(userIds: readonly string[], now: number): Promise<Set<string>>;
  close(): Promise<void>;
}

/** One process's store: its instances (tests' in-process pairs) share the object. */
export function createMemoryPresenceStore(): PresenceStore {
  const holds = new Map<string, Map<string, number>>();
  return {
    async hold(instance, userIds, expiresAt) {
      for (const id of userIds) {
        const byInstance = holds.get(id) ?? new Map<string, number>();
        byInstance.set(instance, expiresAt);
        holds.set(id, byInstance);
      }
    },
    async release(instance, userIds) {
      for (const id of userIds) {
        const byInstance = holds.get(id);
        byInstance?.delete(instance);
        if (byInstance && !byInstance.size) holds.delete(id);
      }
    },
    async online(userIds, now) {
      return new Set(userIds.filter((id) => [...(holds.get(id)?.values() ?? [])].some((until) => until > now)));
    },
    // Its instances release their own users; nothing else to end.
    async close() {},
  };
}

export interface RedisPresenceStoreOptions {
  url: string;
  /** The bus's prefix (`CAIRN_REDIS_PREFIX`): keys are `<prefix>presence:<userId>`. */
  prefix: string;
  /** The key of a user nobody refreshes goes after this (stale instances' fields go with it). */
  ttlMs: number;
  /** Where connection errors go (ioredis reconnects by itself). @default console.error */
  logError?: (error: unknown) => void;
}

/**
 * Redis: one hash per user, instance id → expiry (epoch ms), the key expiring `ttlMs` after its
 * last refresh. Reads are one pipelined HVALS per user. A fan-out asking while Redis is away gets
 * an error after a second (the caller decides what unknown presence means), not a wait.
 */
export function createRedisPresenceStore(options: RedisPresenceStoreOptions): PresenceStore {
  const logError = options.logError ?? console.error;
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: true });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt; one log line per outage.
    if (error.message !== lastError) logError(error);
    lastError = error.message;
  });
  redis.on('ready', () => (lastError = ''));
  const key = (userId: string) => `${options.prefix}presence:${userId}`;
  const run = async (pipeline: ReturnType<Redis['pipeline']>) => {
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return results.map(([, value]) => value);
  };
  return {
    async hold(instance, userIds, expiresAt) {
      if (!userIds.length) return;
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.hset(key(id), instance, String(expiresAt)).pexpire(key(id), options.ttlMs * 2);
      await run(pipeline);
    },
    async release(instance, userIds) {
      if (!userIds.length) return;
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.hdel(key(id), instance);
      await run(pipeline);
    },
    async online(userIds, now) {
      if (!userIds.length) return new Set();
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.hvals(key(id));
      const values = (await run(pipeline)) as string[][];
      return new Set(userIds.filter((_, i) => values[i]!.some((until) => Number(until) > now)));
    },
    async close() {
      // Pending releases are sent before the connection ends; a connection never opened just stops.
      if (redis.status === 'wait' || redis.status === 'end') return redis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
