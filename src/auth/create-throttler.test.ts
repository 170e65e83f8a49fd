import { describe, expect, it } from 'vitest';
import { createThrottler, type ThrottlePolicy } from './create-throttler.ts';
import { createMemoryRateLimitStore } from './rate-limit-store.ts';

const policy: ThrottlePolicy = { freeAttempts: 2, delaysMs: [1000, 4000], memoryMs: 60_000 };

function setup() {
  let at = 0;
  const now = () => new Date(at);
  const store = createMemoryRateLimitStore({ now: () => at });
  return { throttle: createThrottler(store, policy, now), advance: (ms: number) => void (at += ms) };
}

const retryAfter = async (check: Promise<void>) => {
  try {
    await check;
    return 0;
  } catch (error) {
    expect((error as { code: string }).code).toBe('RATE_LIMITED');
    return (error as { extensions: { retryAfter: number } }).extensions.retryAfter;
  }
};

describe('createThrottler', () => {
  it('allows the free attempts, then blocks for growing delays (the last repeating)', async () => {
    const { throttle, advance } = setup();
    await throttle.hit('k');
    await throttle.hit('k');
    expect(await retryAfter(throttle.check('k'))).toBe(0);
    await throttle.hit('k');
    expect(await retryAfter(throttle.check('k'))).toBe(1);
    advance(1000);
    expect(await retryAfter(throttle.check('k'))).toBe(0);
    await throttle.hit('k');
    expect(await retryAfter(throttle.check('k'))).toBe(4);
    advance(4000);
    await throttle.hit('k');
    expect(await retryAfter(throttle.check('k'))).toBe(4);
  });

  it('keeps keys apart, resets on success and forgets after memoryMs', async () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) await throttle.hit('a');
    expect(await retryAfter(throttle.check('b'))).toBe(0);
    await throttle.reset('a');
    expect(await retryAfter(throttle.check('a'))).toBe(0);
    for (let i = 0; i < 3; i++) await throttle.hit('a');
    advance(60_000);
    await throttle.hit('a'); // the old failures were forgotten: this is the first again
    expect(await retryAfter(throttle.check('a'))).toBe(0);
  });

  it('the memory store stays bounded under a flood of keys', async () => {
    const store = createMemoryRateLimitStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.set(`k${i}`, { failures: 1, blockedUntil: 0 }, 60_000);
    expect(await store.get('k999')).toEqual({ failures: 1, blockedUntil: 0 });
    expect(await store.get('k0')).toBeUndefined();
  });
});
