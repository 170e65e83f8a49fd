import { rateLimited } from '../errors.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  freeAttempts: number;
  /** Delay after each further failure, growing; the last repeats. */
  delaysMs: readonly number[];
  /** How long a key's failures are remembered after the last one. */
  memoryMs: number;
}

/** 5 free tries per account, then 1 s, 2 s, 4 s … up to 15 min between tries. */
export const accountPolicy: ThrottlePolicy = {
  freeAttempts: 5,
  delaysMs: [1, 2, 4, 8, 16, 32, 64, 128, 300, 900].map((s) => s * 1000),
  memoryMs: 24 * 3600_000,
};

/** Addresses are shared (NAT, offices), so they get more free tries before the same growing delays. */
export const addressPolicy: ThrottlePolicy = { ...accountPolicy, freeAttempts: 20 };

export type Throttler = ReturnType<typeof createThrottler>;

/**
 * Growing delays between counted attempts under a key. `check` refuses with RATE_LIMITED (and
 * `retryAfter` seconds) while a key is blocked; `hit` counts an attempt (a failed sign-in, or a
 * use of something scarce such as a reset e-mail); `reset` forgets a key after a success.
 *
 * `check` then `hit` is not atomic: concurrent requests can each pass `check` once. That costs
 * an attacker at most their concurrency per delay step; a Redis store can close it with a script.
 */
export function createThrottler(store: RateLimitStore, policy: ThrottlePolicy, now: () => Date) {
  return {
    async check(key: string): Promise<void> {
      const record = await store.get(key);
      const wait = record ? record.blockedUntil - now().getTime() : 0;
      if (wait > 0) throw rateLimited('Too many attempts; try again later.', Math.ceil(wait / 1000));
    },
    async hit(key: string): Promise<void> {
      const failures = ((await store.get(key))?.failures ?? 0) + 1;
      const over = failures - policy.freeAttempts;
      const delay = over > 0 ? policy.delaysMs[Math.min(over, policy.delaysMs.length) - 1]! : 0;
      await store.set(key, { failures, blockedUntil: delay ? now().getTime() + delay : 0 }, policy.memoryMs);
    },
    reset: (key: string) => store.delete(key),
  };
}
