import { afterAll, beforeAll, expect, it } from 'vitest';
import { createArgon2Hasher, hashToken, type PasswordHasher } from '../../src/auth/index.ts';
import { authEnv, authState, bearer, createBrowser, meEmail, password, refused, signIn, signInMutation, signUp, signUpMutation } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('auth: sign-up and sign-in', (provider) => {
  let t: TestApp;
  // Counts verify calls, so the unknown-e-mail path is seen to do the same work as a wrong password.
  const argon = createArgon2Hasher();
  const verified: string[] = [];
  const hasher: PasswordHasher = {
    hash: (pw) => argon.hash(pw),
    verify: (hash, pw) => (verified.push(hash), argon.verify(hash, pw)),
  };
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { auth: { passwordHasher: hasher } });
  });
  afterAll(() => t.close());

  it('signUp creates the user (e-mail normalised, role user), signs in, sets the cookie and e-mails a verification link', async () => {
    const browser = createBrowser(t);
    const result = await browser.gql(signUpMutation, { email: '  Ada@Example.ORG ', password, name: 'Ada' });
    expect(result.errors).toBeUndefined();
    const { token, expiresAt, user } = result.data.signUp;
    expect(user).toMatchObject({ email: 'ada@example.org', roles: 'user', emailVerified: false, name: 'Ada' });
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    const [cookie] = result.response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^cairn_session=${token}; HttpOnly; SameSite=Lax; Path=/; Expires=`));
    expect(cookie).not.toContain('Secure'); // plain-http test URL
    expect(await meEmail(t, bearer(token))).toBe('ada@example.org');
    expect((await browser.gql('{ me { email } }')).data.me.email).toBe('ada@example.org');
    expect(t.app.auth!.outbox!.last('ada@example.org')?.subject).toBe('Confirm your e-mail address');
  });

  it('stores only the SHA-256 of the session token and an argon2id hash of the password', async () => {
    const { token, id } = await signUp(t, 'hash@example.org');
    const sessions = await t.app.db.session.findMany({ where: { userId: id } });
    expect(sessions.map((s: { id: string }) => s.id)).toEqual([hashToken(token)]);
    const user = await t.app.db.user.findUnique({ where: { id } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(await authState(t))).not.toContain(token);
  });

  it('never exposes secrets: no passwordHash field, no Session/Account/AuthToken types or queries', async () => {
    const { token } = await signUp(t, 'secret@example.org');
    refused(await t.gql('{ me { passwordHash } }', {}, bearer(token)), 'BAD_USER_INPUT');
    refused(await t.gql('{ users { passwordHash } }'), 'BAD_USER_INPUT');
    const types = (await t.gql('{ __schema { types { name } queryType { fields { name } } } }')).data.__schema;
    const names = types.types.map((x: { name: string }) => x.name);
    expect(names).not.toEqual(expect.arrayContaining(['Session']));
    expect(names.filter((n: string) => /^(Session|Account|AuthToken)/.test(n))).toEqual([]);
    const fields = types.queryType.fields.map((f: { name: string }) => f.name);
    expect(fields.filter((f: string) => /session|account|authToken/i.test(f))).toEqual(['mySessions']);
    const userFields = (await t.gql('{ __type(name: "User") { fields { name } } }')).data.__type.fields.map((f: { name: string }) => f.name);
    expect(userFields).not.toContain('passwordHash');
    expect(userFields).not.toContain('sessions');
  });

  it('duplicate sign-up is CONFLICT, in any spelling of the address, and changes nothing', async () => {
    await signUp(t, 'dup@example.org');
    const before = await authState(t);
    const error = refused(await t.gql(signUpMutation, { email: ' DUP@example.org', password: 'another fine password' }), 'CONFLICT');
    expect(error.message).toBe('An account with this email already exists; sign in or reset the password.');
    expect(await authState(t)).toEqual(before);
  });

  it('signIn returns a new session; a wrong password and an unknown e-mail fail alike, after the same work', async () => {
    await signUp(t, 'bob@example.org');
    const ok = await signIn(t, ' BOB@example.org', password);
    expect(ok.data.signIn.user.email).toBe('bob@example.org');
    expect(await meEmail(t, bearer(ok.data.signIn.token))).toBe('bob@example.org');

    const before = await authState(t);
    verified.length = 0;
    const wrong = refused(await signIn(t, 'bob@example.org', 'not the password'), 'UNAUTHENTICATED');
    const unknown = refused(await signIn(t, 'nobody@example.org', 'not the password'), 'UNAUTHENTICATED');
    expect(unknown.message).toBe(wrong.message);
    // One argon2id verification each: the unknown address is checked against a dummy hash.
    expect(verified).toHaveLength(2);
    expect(verified[1]).toMatch(/^\$argon2id\$/);
    expect(await authState(t)).toEqual(before);
  });

  it('session fixation: signing in replaces the session the browser had, never reuses it', async () => {
    await signUp(t, 'fix@example.org');
    const browser = createBrowser(t);
    const first = await browser.gql(signInMutation, { email: 'fix@example.org', password });
    const firstToken = first.data.signIn.token;
    expect(browser.jar.get('cairn_session')).toBe(firstToken);
    const second = await browser.gql(signInMutation, { email: 'fix@example.org', password });
    expect(second.data.signIn.token).not.toBe(firstToken);
    expect(browser.jar.get('cairn_session')).toBe(second.data.signIn.token);
    expect(await meEmail(t, bearer(firstToken))).toBeNull();
    expect(await t.app.db.session.findUnique({ where: { id: hashToken(firstToken) } })).toBeNull();
  });

  it('refuses bad and oversized input with BAD_USER_INPUT before hashing or writing anything', async () => {
    const before = await authState(t);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['short password', { email: 'x@example.org', password: 'short1' }, /at least 8 characters/],
      ['common password', { email: 'x@example.org', password: 'Password123' }, /too common/],
      ['password = e-mail', { email: 'same@example.org', password: 'same@example.org' }, /too common/],
      ['password over 256 bytes', { email: 'x@example.org', password: 'é'.repeat(129) }, /at most 256 bytes/],
      ['malformed e-mail', { email: 'not-an-email', password }, /e-mail address/],
      ['e-mail over 254 characters', { email: `${'a'.repeat(250)}@example.org`, password }, /at most 254/],
      ['name over 200 characters', { email: 'x@example.org', password, name: 'n'.repeat(201) }, /name must be at most 200/],
    ];
    verified.length = 0;
    for (const [label, variables, message] of cases) {
      expect(refused(await t.gql(signUpMutation, variables), 'BAD_USER_INPUT').message, label).toMatch(message);
    }
    expect(refused(await signIn(t, 'x@example.org', 'p'.repeat(100_000)), 'BAD_USER_INPUT').message).toMatch(/at most 256 bytes/);
    expect(refused(await signIn(t, 'x'.repeat(10_000), password), 'BAD_USER_INPUT').message).toMatch(/at most 254/);
    expect(verified).toEqual([]);
    expect(await authState(t)).toEqual(before);
    // …and the server keeps serving.
    expect((await signIn(t, 'bob@example.org', password)).errors).toBeUndefined();
  });

  it('me is null when signed out', async () => {
    expect(await meEmail(t, {})).toBeNull();
  });
});
