import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryRateLimitStore, createRedisRateLimitStore, type RateLimitStore } from '../../src/auth/index.ts';
import { authEnv, authState, createClock, minutes, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Behind one trusted proxy: the client's claim, then the address the proxy saw. */
const from = (ip: string) => ({ 'x-forwarded-for': `198.51.100.77, ${ip}` });
const codes = (results: { errors?: { extensions: { code: string } }[] }[]) =>
  results.reduce<Record<string, number>>((count, r) => {
    const code = r.errors?.[0]?.extensions.code ?? 'OK';
    return { ...count, [code]: (count[code] ?? 0) + 1 };
  }, {});

describeEachProvider('auth: throttling', (provider) => {
  let t: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_TRUST_PROXY: '1' }, { auth: { now: clock.now } });
  });
  afterAll(() => t.close());

  it('wrong passwords block the account from that address only, with growing delays; the owner elsewhere signs in', async () => {
    await signUp(t, 'victim@example.org');
    for (let i = 0; i < 6; i++) refused(await signIn(t, 'victim@example.org', `guess ${i}`, from('203.0.113.1')), 'UNAUTHENTICATED');
    const before = await authState(t);
    const limited = refused(await signIn(t, 'victim@example.org', password, from('203.0.113.1')), 'RATE_LIMITED');
    expect(limited.extensions.retryAfter).toBe(1);
    expect(await authState(t)).toEqual(before); // no session was created

    expect((await signIn(t, 'victim@example.org', password, from('203.0.113.50'))).errors).toBeUndefined();
    clock.advance(1000);
    refused(await signIn(t, 'victim@example.org', 'guess 7', from('203.0.113.1')), 'UNAUTHENTICATED');
    expect(refused(await signIn(t, 'victim@example.org', password, from('203.0.113.1')), 'RATE_LIMITED').extensions.retryAfter).toBe(2);
    clock.advance(2000);
    // The right password from the attacker's address, once the delay is over, works and clears that pair.
    expect((await signIn(t, 'victim@example.org', password, from('203.0.113.1'))).errors).toBeUndefined();
    refused(await signIn(t, 'victim@example.org', 'one slip', from('203.0.113.1')), 'UNAUTHENTICATED');
    expect((await signIn(t, 'victim@example.org', password, from('203.0.113.1'))).errors).toBeUndefined();
  });

  it('unknown accounts are throttled exactly like real ones', async () => {
    for (let i = 0; i < 6; i++) refused(await signIn(t, 'ghost@example.org', `guess ${i}`, from('192.0.2.7')), 'UNAUTHENTICATED');
    refused(await signIn(t, 'ghost@example.org', 'guess 6', from('192.0.2.7')), 'RATE_LIMITED');
  });

  it('per address: 20 free failures across any accounts, then RATE_LIMITED for that address, except for accounts that signed in from it', async () => {
    await signUp(t, 'innocent@example.org');
    await signUp(t, 'regular@example.org');
    expect((await signIn(t, 'regular@example.org', password, from('203.0.113.200'))).errors).toBeUndefined();
    for (let i = 0; i < 21; i++) refused(await signIn(t, `spray${i}@example.org`, 'Summer2026!', from('203.0.113.200')), 'UNAUTHENTICATED');
    refused(await signIn(t, 'innocent@example.org', password, from('203.0.113.200')), 'RATE_LIMITED');
    refused(await signIn(t, 'spray99@example.org', 'Summer2026!', from('203.0.113.200')), 'RATE_LIMITED');
    expect((await signIn(t, 'innocent@example.org', password, from('203.0.113.201'))).errors).toBeUndefined();
    expect((await signIn(t, 'regular@example.org', password, from('203.0.113.200'))).errors).toBeUndefined();
  });

  it('many addresses at one account (a botnet): after 100 failures new addresses wait (at most 30 s); the owner from a known address does not', async () => {
    await signUp(t, 'popular@example.org');
    expect((await signIn(t, 'popular@example.org', password, from('198.51.100.10'))).errors).toBeUndefined();
    const wave = await Promise.all(Array.from({ length: 101 }, (_, i) => signIn(t, 'popular@example.org', `bot guess ${i}`, from(`10.9.${i >> 8}.${i & 255}`))));
    expect(codes(wave)).toEqual({ UNAUTHENTICATED: 101 });
    const slowed = refused(await signIn(t, 'popular@example.org', 'bot guess', from('10.9.200.1')), 'RATE_LIMITED');
    expect(slowed.extensions.retryAfter).toBeLessThanOrEqual(30);
    expect((await signIn(t, 'popular@example.org', password, from('198.51.100.10'))).errors).toBeUndefined();
    clock.advance(minutes(1));
  });

  it('CAIRN_TRUST_PROXY=1 believes the entry its proxy appended, not what the client put before it', async () => {
    await signUp(t, 'spoofed@example.org');
    for (let i = 0; i < 6; i++) {
      refused(await signIn(t, 'spoofed@example.org', `guess ${i}`, { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.99` }), 'UNAUTHENTICATED');
    }
    refused(await signIn(t, 'spoofed@example.org', password, { 'x-forwarded-for': '10.0.0.77, 203.0.113.99' }), 'RATE_LIMITED');
  });

  it('password-reset e-mails are throttled per e-mail address too', async () => {
    await signUp(t, 'inbox@example.org');
    t.app.auth!.outbox!.clear();
    const request = () => t.gql('mutation { requestPasswordReset(email: "inbox@example.org") }', {}, from('203.0.113.150'));
    for (let i = 0; i < 6; i++) expect((await request()).data.requestPasswordReset).toBe(true);
    refused(await request(), 'RATE_LIMITED');
    await t.app.auth!.settled(); // the reset e-mail goes out after the answer
    expect(t.app.auth!.outbox!.messages).toHaveLength(6);
  });

  it('RATE_LIMITED travels with HTTP status 429', async () => {
    for (let i = 0; i < 6; i++) await signIn(t, 'x@example.org', `whatever ${i}`, from('203.0.113.230'));
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from('203.0.113.230') },
      body: JSON.stringify({ query: 'mutation { signIn(email: "x@example.org", password: "whatever1") { token } }' }),
    });
    expect((await response.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(response.status).toBe(429);
  });
});

describeEachProvider('auth: throttling in Redis, two deployments sharing it under their own CAIRN_REDIS_PREFIX', (provider) => {
  const prefixes = [`test:${randomBytes(6).toString('hex')}:`, `test:${randomBytes(6).toString('hex')}:`];
  const apps: TestApp[] = [];
  beforeAll(async () => {
    for (const prefix of prefixes) apps.push(await createTestApp('blog', provider, { ...authEnv, CAIRN_TRUST_PROXY: '1', REDIS_URL: redisUrl, CAIRN_REDIS_PREFIX: prefix }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    const redis = new Redis(redisUrl);
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it("one deployment's throttle is not the other's, and its keys carry its prefix", async () => {
    const [a, b] = apps as [TestApp, TestApp];
    for (const t of apps) await signUp(t, 'shared@example.org');
    for (let i = 0; i < 6; i++) refused(await signIn(a, 'shared@example.org', `guess ${i}`, from('203.0.113.9')), 'UNAUTHENTICATED');
    refused(await signIn(a, 'shared@example.org', password, from('203.0.113.9')), 'RATE_LIMITED');
    expect((await signIn(b, 'shared@example.org', password, from('203.0.113.9'))).errors).toBeUndefined();
    const redis = new Redis(redisUrl);
    try {
      expect((await redis.keys(`${prefixes[0]}throttle:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});

const stores: [string, () => { store: RateLimitStore; cleanup: () => Promise<void> }][] = [
  ['memory', () => ({ store: createMemoryRateLimitStore(), cleanup: async () => {} })],
  [
    'redis',
    () => {
      const prefix = `test:${randomBytes(6).toString('hex')}:`;
      return {
        store: createRedisRateLimitStore({ url: redisUrl, prefix }),
        async cleanup() {
          const redis = new Redis(redisUrl);
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  ],
];

for (const [storeName, make] of stores) {
  describeEachProvider(`auth: a burst of concurrent guesses (${storeName} store)`, (provider) => {
    let t: TestApp;
    const { store, cleanup } = make();
    // A still clock: however long the burst takes on a busy machine, the delay it earned holds.
    const clock = createClock();
    beforeAll(async () => {
      t = await createTestApp('blog', provider, { ...authEnv, CAIRN_TRUST_PROXY: '1' }, { auth: { rateLimitStore: store, now: clock.now } });
    });
    afterAll(async () => {
      await t.close();
      await store.close();
      await cleanup();
    });

    it('60 concurrent wrong passwords on one account are throttled; the right password from a fresh address signs in; the attacker stays throttled', async () => {
      await signUp(t, 'burst@example.org');
      const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(t, 'burst@example.org', `wrong guess ${i}`, from('203.0.113.66'))));
      // 5 free attempts and the one that earns the first delay; the rest never reach the hash.
      expect(codes(burst)).toEqual({ UNAUTHENTICATED: 6, RATE_LIMITED: 54 });
      expect((await signIn(t, 'burst@example.org', password, from('203.0.113.67'))).errors).toBeUndefined();
      refused(await signIn(t, 'burst@example.org', password, from('203.0.113.66')), 'RATE_LIMITED');
    });
  });
}

describeEachProvider('auth: behind a proxy with the default CAIRN_TRUST_PROXY (every client shares one address)', (provider) => {
  let t: TestApp;
  let url: string;
  const warnings: string[] = [];
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { warn: (message) => void warnings.push(message) });
    url = (await t.app.start()).url;
  });
  afterAll(() => t.close());
  // Real HTTP from 127.0.0.1, as through a proxy on the same host: the socket address is everyone's.
  const viaProxy = async (query: string, variables: Record<string, unknown>, forwardedFor = '203.0.113.5') => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: authEnv.PUBLIC_URL, 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { errors?: { extensions: { code: string } }[] };
  };
  const signInViaProxy = (email: string, pw = password) =>
    viaProxy('mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: email, p: pw });

  it('one attacker spraying passwords does not lock out the users who signed in from there before', async () => {
    await signUp(t, 'alice@example.org');
    await signUp(t, 'bob@example.org');
    for (const user of ['alice@example.org', 'bob@example.org']) expect((await signInViaProxy(user)).errors).toBeUndefined();
    for (let i = 0; i < 25; i++) await signInViaProxy(`target${i}@example.org`, 'Winter2026!');
    refused(await signInViaProxy('target99@example.org', 'Winter2026!') as never, 'RATE_LIMITED');
    for (const user of ['alice@example.org', 'bob@example.org']) expect((await signInViaProxy(user)).errors).toBeUndefined();
  });

  it('warns once, at the first request that carries X-Forwarded-For, that CAIRN_TRUST_PROXY is not set', async () => {
    await viaProxy('{ me { id } }', {});
    expect(warnings.filter((w) => /CAIRN_TRUST_PROXY/.test(w))).toHaveLength(1);
  });
});

describeEachProvider('auth: CAIRN_TRUST_PROXY=2 (a CDN, then a load balancer)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_TRUST_PROXY: '2' });
  });
  afterAll(() => t.close());

  it('the client address is the second entry from the right, whatever the client put before it', async () => {
    await signUp(t, 'hops@example.org');
    for (let i = 0; i < 6; i++) {
      refused(await signIn(t, 'hops@example.org', `guess ${i}`, { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.8, 192.0.2.1` }), 'UNAUTHENTICATED');
    }
    refused(await signIn(t, 'hops@example.org', password, { 'x-forwarded-for': '203.0.113.8, 192.0.2.1' }), 'RATE_LIMITED');
    expect((await signIn(t, 'hops@example.org', password, { 'x-forwarded-for': '203.0.113.9, 192.0.2.1' })).errors).toBeUndefined();
  });
});
