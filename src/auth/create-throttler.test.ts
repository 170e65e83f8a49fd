import { describe, expect, it } from 'vitest';
import { accountKey, addressKey, createThrottler } from './create-throttler.ts';
import { createMemoryRateLimitStore, delayFor, type ThrottlePolicy } from './rate-limit-store.ts';

const policy: ThrottlePolicy = { freeAttempts: 2, delaysMs: [1000, 4000], memoryMs: 60_000 };

describe('createThrottler', () => {
  it('answers a blocked attempt with RATE_LIMITED and retryAfter in whole seconds', async () => {
    let at = 0;
    const throttle = createThrottler(createMemoryRateLimitStore({ now: () => at }), () => new Date(at));
    const rule = { key: 'k', policy };
    for (let i = 0; i < 3; i++) await throttle.attempt([rule]);
    at += 1;
    await expect(throttle.attempt([rule])).rejects.toMatchObject({ code: 'RATE_LIMITED', extensions: { retryAfter: 1 } });
    at += 999;
    await throttle.attempt([rule]);
    await expect(throttle.attempt([rule])).rejects.toMatchObject({ extensions: { retryAfter: 4 } });
  });

  it('delays grow per attempt past the free ones, the last repeating', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => delayFor(policy, n))).toEqual([0, 0, 1000, 4000, 4000, 4000]);
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, groups IPv6 by /64, bounds anything else', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:0:12:aaaa::1')).toBe('2001:db8:0:12::/64');
    expect(addressKey('2001:0db8:0000:0012:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:12::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('x'.repeat(500))).toHaveLength(64);
    expect(addressKey(undefined)).toBe('-');
  });

  it('hashes e-mail addresses out of the keys', () => {
    expect(accountKey('ada@example.org')).toMatch(/^[\w-]{22}$/);
    expect(accountKey('ada@example.org')).not.toBe(accountKey('bob@example.org'));
  });
});
