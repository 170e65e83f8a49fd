import { afterAll, beforeAll, expect, it } from 'vitest';
import { authEnv, authState, createClock, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const from = (ip: string) => ({ 'x-forwarded-for': `198.51.100.77, ${ip}` });

describeEachProvider('auth: throttling', (provider) => {
  let t: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_TRUST_PROXY: 'true' }, { auth: { now: clock.now } });
  });
  afterAll(() => t.close());

  it('per account: 5 free failures, then growing delays answered with RATE_LIMITED, even for the right password', async () => {
    await signUp(t, 'victim@example.org');
    for (let i = 0; i < 6; i++) refused(await signIn(t, 'victim@example.org', `guess ${i}`, from(`203.0.113.${i}`)), 'UNAUTHENTICATED');
    const before = await authState(t);
    const limited = refused(await signIn(t, 'victim@example.org', password, from('203.0.113.50')), 'RATE_LIMITED');
    expect(limited.extensions.retryAfter).toBe(1);
    expect(await authState(t)).toEqual(before); // no session was created

    clock.advance(1000);
    refused(await signIn(t, 'victim@example.org', 'guess 7', from('203.0.113.51')), 'UNAUTHENTICATED');
    expect(refused(await signIn(t, 'victim@example.org', password), 'RATE_LIMITED').extensions.retryAfter).toBe(2);
    clock.advance(2000);
    expect((await signIn(t, 'victim@example.org', password)).errors).toBeUndefined();
    // Success resets the account's counter.
    refused(await signIn(t, 'victim@example.org', 'one slip'), 'UNAUTHENTICATED');
    expect((await signIn(t, 'victim@example.org', password)).errors).toBeUndefined();
  });

  it('unknown accounts are throttled exactly like real ones', async () => {
    for (let i = 0; i < 6; i++) refused(await signIn(t, 'ghost@example.org', `guess ${i}`, from(`192.0.2.${i}`)), 'UNAUTHENTICATED');
    refused(await signIn(t, 'ghost@example.org', 'guess 6', from('192.0.2.99')), 'RATE_LIMITED');
  });

  it('per address: 20 free failures across any accounts, then RATE_LIMITED for that address only', async () => {
    await signUp(t, 'innocent@example.org');
    for (let i = 0; i < 21; i++) refused(await signIn(t, `spray${i}@example.org`, 'Summer2026!', from('203.0.113.200')), 'UNAUTHENTICATED');
    refused(await signIn(t, 'innocent@example.org', password, from('203.0.113.200')), 'RATE_LIMITED');
    expect((await signIn(t, 'innocent@example.org', password, from('203.0.113.201'))).errors).toBeUndefined();
  });

  it('password-reset e-mails are throttled per e-mail address too', async () => {
    await signUp(t, 'inbox@example.org');
    t.app.auth!.outbox!.clear();
    const request = () => t.gql('mutation { requestPasswordReset(email: "inbox@example.org") }', {}, from('203.0.113.150'));
    for (let i = 0; i < 6; i++) expect((await request()).data.requestPasswordReset).toBe(true);
    refused(await request(), 'RATE_LIMITED');
    expect(t.app.auth!.outbox!.messages).toHaveLength(6);
  });

  it('RATE_LIMITED travels with HTTP status 429', async () => {
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from('203.0.113.200') },
      body: JSON.stringify({ query: 'mutation { signIn(email: "x@example.org", password: "whatever1") { token } }' }),
    });
    expect((await response.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(response.status).toBe(429);
  });
});
