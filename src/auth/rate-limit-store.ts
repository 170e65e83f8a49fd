/** Failed attempts under one key (an account or an address). */
export interface AttemptRecord {
  failures: number;
  /** Epoch ms before which further attempts are refused; 0 when not blocked. */
  blockedUntil: number;
}

/**
 * Where attempt counters live. In memory by default (one instance); a Redis store with the same
 * three methods (GET / SET PX / DEL) shares them between instances and survives restarts.
 */
export interface RateLimitStore {
  get(key: string): Promise<AttemptRecord | undefined>;
  set(key: string, record: AttemptRecord, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Counters in a Map. Entries expire after their TTL; the Map is swept when it grows, so a flood
 * of distinct keys (many addresses) cannot grow it without bound.
 */
export function createMemoryRateLimitStore(options: { now?: () => number; maxEntries?: number } = {}): RateLimitStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, { record: AttemptRecord; expiresAt: number }>();
  const sweep = () => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
    // Still full: drop the oldest insertions (Map keeps insertion order).
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break;
      entries.delete(key);
    }
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= now()) entries.delete(key);
      return entry && entry.expiresAt > now() ? { ...entry.record } : undefined;
    },
    async set(key, record, ttlMs) {
      entries.delete(key);
      if (entries.size >= maxEntries) sweep();
      entries.set(key, { record: { ...record }, expiresAt: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
