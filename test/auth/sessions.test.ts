import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateToken, hashToken } from '../../src/auth/index.ts';
import { authEnv, authState, bearer, createBrowser, createClock, days, meEmail, password, refused, signIn, signInMutation, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('auth: sessions', (provider) => {
  let t: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { auth: { now: clock.now } });
  });
  afterAll(() => t.close());

  const expiresAt = async (token: string) => (await t.app.db.session.findUnique({ where: { id: hashToken(token) } }))?.expiresAt as Date | undefined;

  it('lasts 30 days unused; a use in the second half extends it (cookie renewed); after expiry it is gone', async () => {
    await signUp(t, 'slide@example.org');
    const browser = createBrowser(t);
    const token = (await browser.gql(signInMutation, { email: 'slide@example.org', password })).data.signIn.token;
    const issued = (await expiresAt(token))!;
    expect(issued.getTime()).toBe(clock.now().getTime() + days(30));

    clock.advance(days(14)); // more than half left: nothing is written, no cookie sent
    let result = await browser.gql('{ me { email } }');
    expect(result.data.me.email).toBe('slide@example.org');
    expect(result.response.headers.getSetCookie()).toEqual([]);
    expect(await expiresAt(token)).toEqual(issued);

    clock.advance(days(2)); // 16 days in: extended to a full 30 days from now, cookie re-sent
    result = await browser.gql('{ me { email } }');
    expect(result.data.me.email).toBe('slide@example.org');
    const renewed = clock.now().getTime() + days(30);
    expect((await expiresAt(token))!.getTime()).toBe(renewed);
    expect(result.response.headers.getSetCookie()).toEqual([
      `cairn_session=${token}; HttpOnly; SameSite=Lax; Path=/; Expires=${new Date(renewed).toUTCString()}`,
    ]);

    clock.advance(days(30)); // unused for 30 days: expired, deleted, cookie cleared
    result = await browser.gql('{ me { email } }');
    expect(result.data.me).toBeNull();
    expect(result.response.headers.getSetCookie()[0]).toMatch(/^cairn_session=; .*Max-Age=0/);
    expect(await expiresAt(token)).toBeUndefined();
    expect(await meEmail(t, bearer(token))).toBeNull();
  });

  it('bearer sessions slide the same way (server side)', async () => {
    await signUp(t, 'bearer@example.org');
    const token = (await signIn(t, 'bearer@example.org')).data.signIn.token;
    for (let i = 0; i < 4; i++) {
      clock.advance(days(20)); // 80 days in total, never 30 idle
      expect(await meEmail(t, bearer(token))).toBe('bearer@example.org');
    }
  });

  it('signOut ends this session at once and clears the cookie; other sessions stay', async () => {
    await signUp(t, 'out@example.org');
    const other = (await signIn(t, 'out@example.org')).data.signIn.token;
    const browser = createBrowser(t);
    const token = (await browser.gql(signInMutation, { email: 'out@example.org', password })).data.signIn.token;
    const result = await browser.gql('mutation { signOut }');
    expect(result.data.signOut).toBe(true);
    expect(result.response.headers.getSetCookie()[0]).toMatch(/^cairn_session=; .*Max-Age=0/);
    expect(browser.jar.has('cairn_session')).toBe(false);
    expect(await meEmail(t, bearer(token))).toBeNull();
    expect(await meEmail(t, bearer(other))).toBe('out@example.org');
    expect((await t.gql('mutation { signOut }')).data.signOut).toBe(false);
  });

  it('signOutEverywhere ends every session of the user', async () => {
    await signUp(t, 'all@example.org');
    const tokens = [(await signIn(t, 'all@example.org')).data.signIn.token, (await signIn(t, 'all@example.org')).data.signIn.token];
    const bystander = (await signUp(t, 'bystander@example.org')).token;
    const result = await t.gql('mutation { signOutEverywhere }', {}, bearer(tokens[0]));
    expect(result.data.signOutEverywhere).toBe(3); // the sign-up session too
    for (const token of tokens) expect(await meEmail(t, bearer(token))).toBeNull();
    expect(await meEmail(t, bearer(bystander))).toBe('bystander@example.org');
    refused(await t.gql('mutation { signOutEverywhere }'), 'UNAUTHENTICATED');
  });

  it('mySessions lists public ids (never token hashes); revokeSession takes effect immediately', async () => {
    const { token: first } = await signUp(t, 'list@example.org');
    clock.advance(1000); // newest first: the order needs distinct creation times
    const second = (await signIn(t, 'list@example.org', password, { 'user-agent': 'TestBrowser/1.0' })).data.signIn.token;
    const listed = (await t.gql('{ mySessions { id current userAgent createdAt expiresAt } }', {}, bearer(second))).data.mySessions;
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ current: true, userAgent: 'TestBrowser/1.0' });
    expect(listed[1]).toMatchObject({ current: false });
    const hashes = [hashToken(first), hashToken(second)];
    for (const s of listed) expect(hashes).not.toContain(s.id);

    const revoked = await t.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: listed[1].id }, bearer(second));
    expect(revoked.data.revokeSession).toBe(true);
    expect(await meEmail(t, bearer(first))).toBeNull();
    expect(await meEmail(t, bearer(second))).toBe('list@example.org');

    // Another user's session, or an unknown id: NOT_FOUND, and nothing changes.
    const stranger = (await signUp(t, 'stranger@example.org')).token;
    const before = await authState(t);
    refused(await t.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: listed[0].id }, bearer(stranger)), 'NOT_FOUND');
    refused(await t.gql('mutation { revokeSession(id: "nope") }', {}, bearer(stranger)), 'NOT_FOUND');
    expect(await authState(t)).toEqual(before);
    refused(await t.gql('{ mySessions { id } }'), 'UNAUTHENTICATED');
  });

  it('forged, tampered and malformed tokens mean signed out, never an error or a crash', async () => {
    const { token } = await signUp(t, 'forge@example.org');
    const tampered = (token[0] === 'a' ? 'b' : 'a') + token.slice(1);
    const candidates = [
      generateToken(), // well-formed, never issued
      tampered,
      token.toUpperCase(),
      `${token}x`,
      hashToken(token), // the stored id is not a credential
      'x'.repeat(5000),
      '',
    ];
    for (const candidate of candidates) {
      expect(await meEmail(t, bearer(candidate)), candidate.slice(0, 40)).toBeNull();
      expect(await meEmail(t, { cookie: `cairn_session=${candidate}`, origin: 'http://cairn.test' })).toBeNull();
    }
    expect(await meEmail(t, { authorization: 'Basic dXNlcjpwYXNz' })).toBeNull();
    expect(await meEmail(t, { authorization: `Bearer ${token} extra` })).toBeNull();
    refused(await t.gql('{ mySessions { id } }', {}, bearer(tampered)), 'UNAUTHENTICATED');
    expect(await meEmail(t, bearer(token))).toBe('forge@example.org');
  });
});
