import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { rateLimited } from '../errors.ts';
import type { RateLimitStore, ThrottlePolicy, ThrottleRule } from './rate-limit-store.ts';

export type { ThrottlePolicy } from './rate-limit-store.ts';

const growing = [1, 2, 4, 8, 16, 32, 64, 128, 300, 900].map((s) => s * 1000);
const day = 24 * 3600_000;

/** One account from one address: 5 free wrong passwords, then 1 s, 2 s, 4 s … up to 15 min between tries. */
export const pairPolicy: ThrottlePolicy = { freeAttempts: 5, delaysMs: growing, memoryMs: day };
/** One address across any accounts (password spraying): 20 free, then the same growing delays. */
export const addressPolicy: ThrottlePolicy = { freeAttempts: 20, delaysMs: growing, memoryMs: day };
/**
 * One account from every address together (a botnet): 100 free, then delays that stay short
 * (at most 30 s), so an attack slows guessing without locking the owner out for long.
 */
export const accountPolicy: ThrottlePolicy = { freeAttempts: 100, delaysMs: [1, 2, 4, 8, 15, 30].map((s) => s * 1000), memoryMs: day };
/** Scarce things sent on request (reset and verification e-mails): 5 free per key, then growing delays. */
export const usagePolicy: ThrottlePolicy = { freeAttempts: 5, delaysMs: growing, memoryMs: day };
/** How long a sign-in from an address makes the pair "known" (exempt from the address and account limits). */
export const knownPairMs = 30 * day;

/**
 * The throttling form of a client address: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by
 * its /64 (one subscriber usually holds a whole /64). Anything else (an odd X-Forwarded-For) as
 * given, cut to 64 characters. No address at all (an in-process call) is one shared "-".
 */
export function addressKey(address: string | undefined): string {
  if (!address) return '-';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address.slice(0, 64);
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Keys hold e-mail addresses hashed: the store (a shared Redis) learns no addresses. */
export const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 22);

export type Throttler = ReturnType<typeof createThrottler>;

/**
 * Charges attempts to counters and refuses with RATE_LIMITED (`retryAfter` in seconds) while any
 * of them is blocked. `attempt` counts before the work (so concurrent requests cannot all pass
 * one check); a success then `refund`s or `reset`s what it should not be charged for.
 */
export function createThrottler(store: RateLimitStore, now: () => Date) {
  return {
    async attempt(rules: readonly ThrottleRule[]): Promise<void> {
      const result = await store.consume(rules, now().getTime());
      if (!result.allowed) throw rateLimited('Too many attempts; try again later.', Math.ceil(result.retryAfterMs / 1000));
    },
    refund: (rule: ThrottleRule) => store.refund(rule),
    reset: (key: string) => store.reset(key),
    remember: (key: string, ttlMs: number) => store.remember(key, ttlMs),
    has: (key: string) => store.has(key),
  };
}
