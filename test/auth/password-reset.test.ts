import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateToken } from '../../src/auth/index.ts';
import { authEnv, authState, bearer, createClock, linkToken, meEmail, minutes, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const requestReset = 'mutation ($email: String!) { requestPasswordReset(email: $email) }';
const resetPassword = 'mutation ($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';
const changePassword = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const verifyEmail = 'mutation ($token: String!) { verifyEmail(token: $token) }';

describeEachProvider('auth: password reset, password change, e-mail verification', (provider) => {
  let t: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { auth: { now: clock.now } });
  });
  afterAll(() => t.close());
  const outbox = () => t.app.auth!.outbox!;

  it('requestPasswordReset answers true for any address; only a real account gets an e-mail with a link on PUBLIC_URL', async () => {
    await signUp(t, 'reset@example.org');
    outbox().clear();
    expect((await t.gql(requestReset, { email: 'Reset@Example.org' })).data.requestPasswordReset).toBe(true);
    expect((await t.gql(requestReset, { email: 'ghost@example.org' })).data.requestPasswordReset).toBe(true);
    await t.app.auth!.settled();
    expect(outbox().messages.map((m) => m.to)).toEqual(['reset@example.org']);
    expect(outbox().last()!.text).toMatch(/http:\/\/cairn\.test\/reset-password\?token=[a-z2-7]{32}/);
  });

  it('resetPassword sets the password once, signs out every session and verifies the address', async () => {
    const { token: session } = await signUp(t, 'once@example.org');
    await t.gql(requestReset, { email: 'once@example.org' });
    await t.app.auth!.settled();
    const link = linkToken(t, 'once@example.org');
    expect((await t.gql(resetPassword, { token: link, newPassword: 'a brand new secret' })).data.resetPassword).toBe(true);
    expect(await meEmail(t, bearer(session))).toBeNull();
    refused(await signIn(t, 'once@example.org', password), 'UNAUTHENTICATED');
    const signedIn = await signIn(t, 'once@example.org', 'a brand new secret');
    expect(signedIn.errors).toBeUndefined();
    expect((await t.app.db.user.findUnique({ where: { email: 'once@example.org' } })).emailVerified).toBe(true);

    const before = await authState(t);
    expect(refused(await t.gql(resetPassword, { token: link, newPassword: 'yet another secret' }), 'BAD_USER_INPUT').message).toMatch(/invalid or has expired/);
    expect(await authState(t)).toEqual(before);
  });

  it('refuses expired, superseded, forged and oversized reset tokens, changing nothing', async () => {
    await signUp(t, 'expired@example.org');
    await t.gql(requestReset, { email: 'expired@example.org' });
    await t.app.auth!.settled();
    const old = linkToken(t, 'expired@example.org');
    await t.gql(requestReset, { email: 'expired@example.org' });
    await t.app.auth!.settled();
    const current = linkToken(t, 'expired@example.org');
    expect(current).not.toBe(old);
    const before = await authState(t);
    for (const token of [old, generateToken(), current.slice(0, -1) + (current.endsWith('a') ? 'b' : 'a'), 'x'.repeat(10_000), '']) {
      refused(await t.gql(resetPassword, { token, newPassword: 'a brand new secret' }), 'BAD_USER_INPUT');
    }
    clock.advance(minutes(61));
    refused(await t.gql(resetPassword, { token: current, newPassword: 'a brand new secret' }), 'BAD_USER_INPUT');
    expect(await authState(t)).toEqual(before);
    expect((await signIn(t, 'expired@example.org')).errors).toBeUndefined();
  });

  it('a new password the rules reject leaves the link usable', async () => {
    await signUp(t, 'weak@example.org');
    await t.gql(requestReset, { email: 'weak@example.org' });
    await t.app.auth!.settled();
    const link = linkToken(t, 'weak@example.org');
    const before = await authState(t);
    refused(await t.gql(resetPassword, { token: link, newPassword: 'password' }), 'BAD_USER_INPUT');
    refused(await t.gql(resetPassword, { token: link, newPassword: 'x'.repeat(300) }), 'BAD_USER_INPUT');
    expect(await authState(t)).toEqual(before);
    expect((await t.gql(resetPassword, { token: link, newPassword: 'strong enough now' })).data.resetPassword).toBe(true);
  });

  it('changePassword needs the current password, keeps this session and ends the others', async () => {
    const { token: other } = await signUp(t, 'change@example.org');
    const current = (await signIn(t, 'change@example.org')).data.signIn.token;
    const before = await authState(t);
    expect(refused(await t.gql(changePassword, { c: 'wrong password', n: 'a better secret' }, bearer(current)), 'FORBIDDEN').message).toMatch(/current password/);
    refused(await t.gql(changePassword, { c: password, n: '12345678' }, bearer(current)), 'BAD_USER_INPUT');
    refused(await t.gql(changePassword, { c: password, n: 'a better secret' }), 'UNAUTHENTICATED');
    expect(await authState(t)).toEqual(before);

    expect((await t.gql(changePassword, { c: password, n: 'a better secret' }, bearer(current))).data.changePassword).toBe(true);
    expect(await meEmail(t, bearer(current))).toBe('change@example.org');
    expect(await meEmail(t, bearer(other))).toBeNull();
    expect((await signIn(t, 'change@example.org', 'a better secret')).errors).toBeUndefined();
  });

  it('verifyEmail: the link from sign-up verifies the address once; requestEmailVerification sends a new one', async () => {
    const { token: session } = await signUp(t, 'verify@example.org');
    const first = linkToken(t, 'verify@example.org');
    refused(await t.gql('mutation { requestEmailVerification }'), 'UNAUTHENTICATED');
    expect((await t.gql('mutation { requestEmailVerification }', {}, bearer(session))).data.requestEmailVerification).toBe(true);
    const second = linkToken(t, 'verify@example.org');
    refused(await t.gql(verifyEmail, { token: first }), 'BAD_USER_INPUT'); // superseded
    expect((await t.gql(verifyEmail, { token: second })).data.verifyEmail).toBe(true);
    expect((await t.gql('{ me { emailVerified } }', {}, bearer(session))).data.me.emailVerified).toBe(true);
    refused(await t.gql(verifyEmail, { token: second }), 'BAD_USER_INPUT'); // used
  });

  it('a verification link expires, and proves nothing once the address changed', async () => {
    const { id } = await signUp(t, 'moved@example.org');
    const link = linkToken(t, 'moved@example.org');
    await t.app.db.user.update({ where: { id }, data: { email: 'elsewhere@example.org' } });
    const before = await authState(t);
    refused(await t.gql(verifyEmail, { token: link }), 'BAD_USER_INPUT');
    expect(await authState(t)).toEqual(before);

    const { token: session } = await signUp(t, 'late@example.org');
    await t.gql('mutation { requestEmailVerification }', {}, bearer(session));
    const late = linkToken(t, 'late@example.org');
    clock.advance(minutes(24 * 60 + 1));
    refused(await t.gql(verifyEmail, { token: late }), 'BAD_USER_INPUT');
  });
});
