import { Redis } from 'ioredis';
import type { RateLimitStore, ThrottleRule } from './rate-limit-store.ts';

export interface RedisRateLimitStoreOptions {
  /** `REDIS_URL`, e.g. `redis://:password@redis.internal:6379/0`. */
  url: string;
  /** Prefix of every key, so several apps (or tests) share one Redis. @default "cairn:throttle:" */
  prefix?: string;
}

// KEYS: the counters. ARGV: now, then per key: free attempts, memory ms, n, n delays.
// Each counter is a hash { f: attempts, b: blocked until (epoch ms) } expiring `memory` after its last attempt.
const consumeScript = `
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local blocked = tonumber(redis.call('HGET', key, 'b') or '0')
  if blocked - now > wait then wait = blocked - now end
end
if wait > 0 then return wait end
local at = 2
for i, key in ipairs(KEYS) do
  local free, memory, n = tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local over = redis.call('HINCRBY', key, 'f', 1) - free
  local blocked = 0
  if over > 0 then blocked = now + tonumber(ARGV[at + 2 + math.min(over, n)]) end
  redis.call('HSET', key, 'b', blocked)
  redis.call('PEXPIRE', key, memory)
  at = at + 3 + n
end
return 0
`;

// KEYS[1]: a counter. ARGV[1]: its free attempts.
const refundScript = `
if tonumber(redis.call('HGET', KEYS[1], 'f') or '0') <= 0 then return 0 end
if redis.call('HINCRBY', KEYS[1], 'f', -1) <= tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'b', 0) end
return 1
`;

/**
 * Counters in Redis, shared by every instance and kept across restarts. The count-and-check is
 * one Lua script (atomic on the server). A single Redis (or a primary) is assumed: the script
 * touches several keys, which Redis Cluster would need in one hash slot. Times are the callers'
 * clocks (kept in sync by NTP like any server's); expiry is Redis's own.
 * When Redis cannot be reached, attempts fail with an error rather than go uncounted.
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const prefix = options.prefix ?? 'cairn:throttle:';
  // One retry per command, then an error: a sign-in must not hang while Redis is away.
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // each failed command reports its own error; the event only repeats it
  redis.defineCommand('cairnConsume', { lua: consumeScript });
  redis.defineCommand('cairnRefund', { numberOfKeys: 1, lua: refundScript });
  const commands = redis as unknown as {
    cairnConsume(numberOfKeys: number, ...args: (string | number)[]): Promise<number>;
    cairnRefund(key: string, free: number): Promise<number>;
  };

  return {
    async consume(rules: readonly ThrottleRule[], nowMs: number) {
      const keys = rules.map((r) => prefix + r.key);
      const args = rules.flatMap(({ policy }) => [policy.freeAttempts, policy.memoryMs, policy.delaysMs.length, ...policy.delaysMs]);
      const wait = Number(await commands.cairnConsume(keys.length, ...keys, nowMs, ...args));
      return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
    },
    async refund({ key, policy }) {
      await commands.cairnRefund(prefix + key, policy.freeAttempts);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async remember(key, ttlMs) {
      await redis.set(prefix + key, '1', 'PX', ttlMs);
    },
    has: async (key) => (await redis.exists(prefix + key)) === 1,
    async close() {
      redis.disconnect();
    },
  };
}
