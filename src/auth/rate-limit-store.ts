/** How a key slows down repeated attempts. */
export interface ThrottlePolicy {
  /** Attempts allowed before delays start. */
  freeAttempts: number;
  /** The wait after each further attempt, growing; the last repeats. */
  delaysMs: readonly number[];
  /** How long a key's attempts are remembered after the last one. */
  memoryMs: number;
}

/** One counter an attempt is charged to. */
export interface ThrottleRule {
  key: string;
  policy: ThrottlePolicy;
}

/** Allowed, or refused with how long to wait (ms) before the blocking key lets the next attempt in. */
export type ConsumeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Where attempt counters live: in memory (one instance) or Redis (several instances, survives
 * restarts). One contract suite (test/auth/rate-limit-store.test.ts) runs against both.
 */
export interface RateLimitStore {
  /**
   * The count-and-check, atomic over all `rules` together (one Lua script in Redis, one
   * synchronous step in memory), so concurrent attempts cannot all slip past a check: when any
   * key is blocked at `nowMs`, nothing is counted and the longest wait is returned; otherwise
   * every key counts one attempt and, past its free attempts, blocks for the delay that count earns.
   */
  consume(rules: readonly ThrottleRule[], nowMs: number): Promise<ConsumeResult>;
  /** Takes one counted attempt back (it succeeded); back within the free attempts, the key is unblocked. */
  refund(rule: ThrottleRule): Promise<void>;
  /** Forgets a key. */
  reset(key: string): Promise<void>;
  /** Marks `key` present for `ttlMs` (an account × address that signed in). */
  remember(key: string, ttlMs: number): Promise<void>;
  has(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The wait a key's `failures`-th attempt earns under `policy` (0 within the free attempts). */
export function delayFor(policy: ThrottlePolicy, failures: number): number {
  const over = failures - policy.freeAttempts;
  return over > 0 ? policy.delaysMs[Math.min(over, policy.delaysMs.length) - 1]! : 0;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  expiresAt: number;
}

/**
 * Counters in a Map; entries expire `memoryMs` after their last attempt. When full the Map is
 * swept (then the oldest insertions go), so a flood of distinct keys cannot grow it without bound.
 */
export function createMemoryRateLimitStore(options: { now?: () => number; maxEntries?: number } = {}): RateLimitStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();
  const live = (key: string, at: number) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= at) entries.delete(key);
    return entry && entry.expiresAt > at ? entry : undefined;
  };
  const put = (key: string, entry: Entry) => {
    entries.delete(key);
    if (entries.size >= maxEntries) {
      const at = now();
      for (const [k, e] of entries) if (e.expiresAt <= at) entries.delete(k);
      for (const k of entries.keys()) {
        if (entries.size < maxEntries) break;
        entries.delete(k);
      }
    }
    entries.set(key, entry);
  };

  return {
    // No await inside: the check and the counting happen in one turn of the event loop.
    async consume(rules, nowMs) {
      let wait = 0;
      for (const { key } of rules) wait = Math.max(wait, (live(key, nowMs)?.blockedUntil ?? 0) - nowMs);
      if (wait > 0) return { allowed: false, retryAfterMs: wait };
      for (const { key, policy } of rules) {
        const failures = (live(key, nowMs)?.failures ?? 0) + 1;
        const delay = delayFor(policy, failures);
        put(key, { failures, blockedUntil: delay ? nowMs + delay : 0, expiresAt: nowMs + policy.memoryMs });
      }
      return { allowed: true };
    },
    async refund({ key, policy }) {
      const entry = live(key, now());
      if (!entry || entry.failures <= 0) return;
      entry.failures -= 1;
      if (entry.failures <= policy.freeAttempts) entry.blockedUntil = 0;
    },
    async reset(key) {
      entries.delete(key);
    },
    async remember(key, ttlMs) {
      put(key, { failures: 0, blockedUntil: 0, expiresAt: now() + ttlMs });
    },
    has: async (key) => live(key, now()) !== undefined,
    async close() {
      entries.clear();
    },
  };
}
