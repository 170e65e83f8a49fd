import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore, createRedisRateLimitStore, type RateLimitStore, type ThrottlePolicy } from '../../src/auth/index.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const policy: ThrottlePolicy = { freeAttempts: 2, delaysMs: [1000, 4000], memoryMs: 60_000 };
const rule = (key: string, p = policy) => ({ key, policy: p });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One contract, every implementation: the same behaviour in memory and in Redis. */
const implementations: [string, () => { store: RateLimitStore; prefix?: string }][] = [
  ['memory', () => ({ store: createMemoryRateLimitStore() })],
  [
    'redis',
    () => {
      // A random prefix per suite: the Redis is shared with other tests and helpers.
      const prefix = `test:${randomBytes(6).toString('hex')}:`;
      return { store: createRedisRateLimitStore({ url: redisUrl, prefix }), prefix };
    },
  ],
];

for (const [name, make] of implementations) {
  describe(`RateLimitStore contract [${name}]`, () => {
    const { store, prefix } = make();
    afterAll(async () => {
      if (prefix) {
        const redis = new Redis(redisUrl);
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
      await store.close();
    });
    // Times are the caller's; near the real clock, as in production (expiry runs on the store's own clock).
    const t0 = Date.now();

    it('counts free attempts, then blocks each further one for the growing delay (the last repeating)', async () => {
      const r = rule('grow');
      expect(await store.consume([r], t0)).toEqual({ allowed: true });
      expect(await store.consume([r], t0)).toEqual({ allowed: true });
      expect(await store.consume([r], t0)).toEqual({ allowed: true }); // the third: allowed, and earns 1 s
      expect(await store.consume([r], t0 + 400)).toEqual({ allowed: false, retryAfterMs: 600 });
      expect(await store.consume([r], t0 + 1000)).toEqual({ allowed: true }); // the fourth earns 4 s
      expect(await store.consume([r], t0 + 1000)).toEqual({ allowed: false, retryAfterMs: 4000 });
      expect(await store.consume([r], t0 + 5000)).toEqual({ allowed: true });
      expect(await store.consume([r], t0 + 5000)).toEqual({ allowed: false, retryAfterMs: 4000 });
    });

    it('is all-or-nothing over several keys: one blocked key refuses and counts none of the others', async () => {
      const blocked = rule('multi-blocked');
      for (let i = 0; i < 3; i++) await store.consume([blocked], t0);
      const other = rule('multi-other', { ...policy, freeAttempts: 0 });
      expect(await store.consume([other, blocked], t0 + 10)).toEqual({ allowed: false, retryAfterMs: 990 });
      // `other` was not charged: its first attempt is still the one that earns the first delay.
      expect(await store.consume([other], t0 + 10)).toEqual({ allowed: true });
      expect(await store.consume([other], t0 + 10)).toEqual({ allowed: false, retryAfterMs: 1000 });
    });

    it('60 concurrent attempts on one key: exactly the free ones and the first blocked one get through', async () => {
      const r = rule('burst');
      const results = await Promise.all(Array.from({ length: 60 }, () => store.consume([r], t0)));
      expect(results.filter((x) => x.allowed)).toHaveLength(policy.freeAttempts + 1);
    });

    it('refund takes one attempt back and unblocks once back within the free attempts; reset forgets', async () => {
      const r = rule('refund');
      for (let i = 0; i < 3; i++) await store.consume([r], t0);
      expect((await store.consume([r], t0)).allowed).toBe(false);
      await store.refund(r);
      expect(await store.consume([r], t0)).toEqual({ allowed: true }); // counted 3 again: blocked again
      expect((await store.consume([r], t0)).allowed).toBe(false);
      await store.refund(rule('refund-unknown')); // nothing to refund: no error, nothing created
      expect(await store.consume([rule('refund-unknown', { ...policy, freeAttempts: 0 })], t0)).toEqual({ allowed: true });
      await store.reset('refund');
      expect(await store.consume([r], t0)).toEqual({ allowed: true });
    });

    it('keeps keys apart and forgets a key memoryMs after its last attempt', async () => {
      const short = rule('short', { freeAttempts: 0, delaysMs: [60_000], memoryMs: 80 });
      const now = Date.now();
      expect(await store.consume([short], now)).toEqual({ allowed: true });
      expect((await store.consume([short], now)).allowed).toBe(false);
      expect(await store.consume([rule('short-neighbour')], now)).toEqual({ allowed: true });
      await sleep(200);
      // Forgotten (in memory by the store's clock, in Redis by its expiry): the first attempt again.
      expect(await store.consume([{ ...short, policy: { ...short.policy, memoryMs: 60_000 } }], Date.now())).toEqual({ allowed: true });
    });

    it('remember marks a key for its TTL', async () => {
      expect(await store.has('known')).toBe(false);
      await store.remember('known', 80);
      expect(await store.has('known')).toBe(true);
      expect(await store.has('known-other')).toBe(false);
      await sleep(200);
      expect(await store.has('known')).toBe(false);
    });
  });
}

describe('memory store bounds', () => {
  it('stays bounded under a flood of keys, keeping the newest', async () => {
    const store = createMemoryRateLimitStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.consume([rule(`k${i}`, { ...policy, freeAttempts: 0 })], Date.now());
    expect((await store.consume([rule('k999')], Date.now())).allowed).toBe(false);
    expect((await store.consume([rule('k0')], Date.now())).allowed).toBe(true);
  });
});

describe('Redis store when Redis is unreachable', () => {
  it('fails the attempt with an error instead of letting it through uncounted', async () => {
    const store = createRedisRateLimitStore({ url: 'redis://127.0.0.1:1', prefix: 'unreachable:' });
    await expect(store.consume([rule('x')], Date.now())).rejects.toThrow();
    await store.close();
  });
});
