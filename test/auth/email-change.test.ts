import { afterAll, beforeAll, expect, it } from 'vitest';
import { authEnv, authState, bearer, createClock, linkToken, meEmail, minutes, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const changeEmail = 'mutation ($e: String!, $p: String!) { changeEmail(newEmail: $e, password: $p) }';
const verifyEmail = 'mutation ($token: String!) { verifyEmail(token: $token) }';
const createToken = 'mutation { createApiToken(name: "ci") { token } }';
const requestReset = 'mutation ($email: String!) { requestPasswordReset(email: $email) }';

describeEachProvider('auth: e-mail, roles and verification are written by auth only; changeEmail', (provider) => {
  let t: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { auth: { now: clock.now } });
  });
  afterAll(() => t.close());
  const outbox = () => t.app.auth!.outbox!;
  const verified = async (email: string) => {
    const user = await signUp(t, email);
    await t.gql(verifyEmail, { token: linkToken(t, email) });
    return user;
  };
  const admin = async (email: string) => {
    const user = await verified(email);
    await t.app.db.user.update({ where: { id: user.id }, data: { roles: 'user,admin' } });
    return user;
  };
  const unknownField = (result: Awaited<ReturnType<TestApp['gql']>>, field: string) => {
    const error = refused(result, 'BAD_USER_INPUT');
    expect(error.message).toMatch(new RegExp(`"${field}"`));
  };

  it('the generic API cannot write email, emailVerified or roles: not even an admin, not nested, not in bulk', async () => {
    const { id, token } = await verified('owner@example.com');
    const boss = await admin('boss@example.com');
    const before = await authState(t);
    const attempts: [string, string][] = [
      ['email', `mutation { updateUser(where: { id: ${id} }, data: { email: "victim@example.com" }) { id } }`],
      ['emailVerified', `mutation { updateUser(where: { id: ${id} }, data: { emailVerified: true }) { id } }`],
      ['roles', `mutation { updateUser(where: { id: ${id} }, data: { roles: "user,admin" }) { id } }`],
      ['email', 'mutation { updateManyUsers(where: {}, data: { email: "victim@example.com" }) { count } }'],
      ['email', `mutation { upsertUser(where: { id: ${id} }, create: { name: "x" }, update: { email: "victim@example.com" }) { id } }`],
      ['email', 'mutation { createPost(data: { title: "t", slug: "nested-author", author: { create: { email: "fake@example.com" } } }) { id } }'],
      ['passwordHash', `mutation { updateUser(where: { id: ${id} }, data: { passwordHash: "x" }) { id } }`],
    ];
    for (const [field, mutation] of attempts) unknownField(await t.gql(mutation, {}, bearer(token)), field);
    for (const [field, mutation] of attempts) unknownField(await t.gql(mutation, {}, bearer(boss.token)), field);
    unknownField(await t.gql('mutation { createUser(data: { email: "made@example.com" }) { id } }', {}, bearer(boss.token)), 'email');
    expect(await authState(t)).toEqual(before);
    // What the app owns stays writable.
    expect((await t.gql(`mutation { updateUser(where: { id: ${id} }, data: { name: "Owner" }) { name } }`, {}, bearer(token))).data.updateUser).toEqual({ name: 'Owner' });
  });

  it('the token-driven takeover is refused: an API token changes no e-mail, so a password reset never reaches the attacker', async () => {
    const { id, token: session } = await verified('target@example.com');
    const apiToken = (await t.gql(createToken, {}, bearer(session))).data.createApiToken.token;
    const before = await authState(t);
    unknownField(await t.gql(`mutation { updateUser(where: { id: ${id} }, data: { email: "attacker@evil.test" }) { id } }`, {}, bearer(apiToken)), 'email');
    refused(await t.gql(changeEmail, { e: 'attacker@evil.test', p: password }, bearer(apiToken)), 'FORBIDDEN');
    outbox().clear();
    expect((await t.gql(requestReset, { email: 'attacker@evil.test' })).data.requestPasswordReset).toBe(true);
    await t.app.auth!.settled(); // the reset e-mail goes out after the answer
    expect(outbox().messages).toEqual([]);
    expect(await authState(t)).toEqual(before);
    expect(await meEmail(t, bearer(session))).toBe('target@example.com');
  });

  it('changeEmail: the address changes only when the new one is proven; it is normalised; the old one is told twice', async () => {
    const { token } = await verified('old@example.com');
    outbox().clear();
    expect((await t.gql(changeEmail, { e: '  New.Address@Example.COM ', p: password }, bearer(token))).data.changeEmail).toBe(true);
    expect(outbox().messages.map((m) => [m.to, m.subject])).toEqual([
      ['new.address@example.com', 'Confirm your new e-mail address'],
      ['old@example.com', 'Your e-mail address is about to change'],
    ]);
    expect(outbox().last('old@example.com')!.text).toContain('new.address@example.com');
    // Until the link is opened nothing changed: the old address still signs in, verified.
    expect((await t.gql('{ me { email emailVerified } }', {}, bearer(token))).data.me).toEqual({ email: 'old@example.com', emailVerified: true });
    expect((await signIn(t, 'old@example.com')).errors).toBeUndefined();
    refused(await signIn(t, 'new.address@example.com'), 'UNAUTHENTICATED');

    const link = linkToken(t, 'new.address@example.com');
    expect((await t.gql(verifyEmail, { token: link })).data.verifyEmail).toBe(true);
    expect((await t.gql('{ me { email emailVerified } }', {}, bearer(token))).data.me).toEqual({ email: 'new.address@example.com', emailVerified: true });
    expect(outbox().last('old@example.com')!.subject).toBe('Your e-mail address was changed');
    expect((await signIn(t, 'new.address@example.com')).errors).toBeUndefined();
    refused(await signIn(t, 'old@example.com'), 'UNAUTHENTICATED');
    refused(await t.gql(verifyEmail, { token: link }), 'BAD_USER_INPUT'); // once only
  });

  it('changeEmail refuses a wrong password, no session, a bad or unchanged address, and accounts without a password; nothing is sent', async () => {
    const { id, token } = await verified('careful@example.com');
    outbox().clear();
    const before = await authState(t);
    expect(refused(await t.gql(changeEmail, { e: 'other@example.com', p: 'not my password' }, bearer(token)), 'FORBIDDEN').message).toMatch(/password/);
    refused(await t.gql(changeEmail, { e: 'other@example.com', p: password }), 'UNAUTHENTICATED');
    refused(await t.gql(changeEmail, { e: 'not an address', p: password }, bearer(token)), 'BAD_USER_INPUT');
    refused(await t.gql(changeEmail, { e: 'Careful@Example.com', p: password }, bearer(token)), 'BAD_USER_INPUT');
    await t.app.db.user.update({ where: { id }, data: { passwordHash: null } });
    refused(await t.gql(changeEmail, { e: 'other@example.com', p: password }, bearer(token)), 'BAD_USER_INPUT');
    expect(outbox().messages).toEqual([]);
    expect((await authState(t)).tokens).toEqual(before.tokens);
  });

  it('wrong passwords to changeEmail count against the sign-in throttle', async () => {
    const { token } = await verified('guessed@example.com');
    for (let i = 0; i < 6; i++) refused(await t.gql(changeEmail, { e: 'x@example.com', p: `guess number ${i}` }, bearer(token)), 'FORBIDDEN');
    refused(await t.gql(changeEmail, { e: 'x@example.com', p: password }, bearer(token)), 'RATE_LIMITED');
    clock.advance(minutes(20));
  });

  it('a change to an address another account took is CONFLICT at the link, and changes nothing', async () => {
    const { token } = await verified('first@example.com');
    expect((await t.gql(changeEmail, { e: 'taken@example.com', p: password }, bearer(token))).data.changeEmail).toBe(true);
    const link = linkToken(t, 'taken@example.com');
    await signUp(t, 'taken@example.com');
    const before = await authState(t);
    refused(await t.gql(verifyEmail, { token: link }), 'CONFLICT');
    expect(await authState(t)).toEqual(before);
    expect(await meEmail(t, bearer(token))).toBe('first@example.com');
  });

  it('after a change, reset links sent to the old address are dead; a change link expires after 24 hours', async () => {
    const { token } = await verified('moving@example.com');
    await t.gql(requestReset, { email: 'moving@example.com' });
    await t.app.auth!.settled(); // the reset e-mail goes out after the answer
    const resetLink = linkToken(t, 'moving@example.com');
    await t.gql(changeEmail, { e: 'moved@example.com', p: password }, bearer(token));
    await t.gql(verifyEmail, { token: linkToken(t, 'moved@example.com') });
    refused(await t.gql('mutation ($t: String!) { resetPassword(token: $t, newPassword: "an attacker secret") }', { t: resetLink }), 'BAD_USER_INPUT');

    await t.gql(changeEmail, { e: 'later@example.com', p: password }, bearer(token));
    const late = linkToken(t, 'later@example.com');
    clock.advance(minutes(24 * 60 + 1));
    refused(await t.gql(verifyEmail, { token: late }), 'BAD_USER_INPUT');
    expect(await meEmail(t, bearer(token))).toBe('moved@example.com');
  });
});
