import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiTokenPrefix, hashToken } from '../../src/auth/index.ts';
import { runCli, type Io } from '../../src/cli/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { authEnv, authState, bearer, createClock, days, meEmail, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const createToken = 'mutation ($name: String!, $expiresAt: DateTime) { createApiToken(name: $name, expiresAt: $expiresAt) { token apiToken { id name createdAt expiresAt lastUsedAt } } }';
const setRoles = 'mutation ($id: ID!, $roles: [String!]!) { setUserRoles(userId: $id, roles: $roles) { id roles } }';

describeEachProvider('auth: API tokens, roles, users:create', (provider) => {
  let t: TestApp;
  let session: string;
  const clock = createClock();
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv, { auth: { now: clock.now } });
    session = (await signUp(t, 'dev@example.org')).token;
  });
  afterAll(() => t.close());

  it('createApiToken shows the token once; it works as a bearer token; only its hash is stored', async () => {
    const result = await t.gql(createToken, { name: ' CI deploy ' }, bearer(session));
    expect(result.errors).toBeUndefined();
    const { token, apiToken } = result.data.createApiToken;
    expect(token).toMatch(new RegExp(`^${apiTokenPrefix}[a-z2-7]{32}$`));
    expect(apiToken).toMatchObject({ name: 'CI deploy', expiresAt: null, lastUsedAt: null });
    expect(await meEmail(t, bearer(token))).toBe('dev@example.org');
    expect(await t.app.db.authToken.findUnique({ where: { id: hashToken(token) } })).toMatchObject({ kind: 'api' });
    expect(JSON.stringify(await authState(t))).not.toContain(token);

    const listed = (await t.gql('{ apiTokens { id name lastUsedAt } }', {}, bearer(session))).data.apiTokens;
    expect(listed).toEqual([{ id: apiToken.id, name: 'CI deploy', lastUsedAt: clock.now().toISOString() }]);
    expect(apiToken.id).not.toBe(hashToken(token));
  });

  it('revokeApiToken takes effect on the very next request', async () => {
    const { token, apiToken } = (await t.gql(createToken, { name: 'short-lived' }, bearer(session))).data.createApiToken;
    expect(await meEmail(t, bearer(token))).toBe('dev@example.org');
    expect((await t.gql('mutation ($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id }, bearer(session))).data.revokeApiToken).toBe(true);
    expect(await meEmail(t, bearer(token))).toBeNull();
    refused(await t.gql('mutation ($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id }, bearer(session)), 'NOT_FOUND');
  });

  it('an expiring token stops working when it expires', async () => {
    const expiresAt = new Date(clock.now().getTime() + days(1)).toISOString();
    const { token } = (await t.gql(createToken, { name: 'a day', expiresAt }, bearer(session))).data.createApiToken;
    expect(await meEmail(t, bearer(token))).toBe('dev@example.org');
    clock.advance(days(1));
    expect(await meEmail(t, bearer(token))).toBeNull();
  });

  it('API tokens cannot manage credentials, and bad input changes nothing', async () => {
    const { token } = (await t.gql(createToken, { name: 'limited' }, bearer(session))).data.createApiToken;
    const before = await authState(t);
    refused(await t.gql(createToken, { name: 'escalate' }, bearer(token)), 'FORBIDDEN');
    refused(await t.gql('mutation { changePassword(currentPassword: "x", newPassword: "a long new secret") }', {}, bearer(token)), 'FORBIDDEN');
    refused(await t.gql(createToken, { name: 'anonymous' }), 'UNAUTHENTICATED');
    refused(await t.gql(createToken, { name: 'n'.repeat(101) }, bearer(session)), 'BAD_USER_INPUT');
    refused(await t.gql(createToken, { name: '   ' }, bearer(session)), 'BAD_USER_INPUT');
    refused(await t.gql(createToken, { name: 'past', expiresAt: '2020-01-01T00:00:00Z' }, bearer(session)), 'BAD_USER_INPUT');
    expect(await authState(t)).toEqual(before);
  });

  it('tampered or misplaced API tokens are nobody', async () => {
    const { token } = (await t.gql(createToken, { name: 'tamper' }, bearer(session))).data.createApiToken;
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect(await meEmail(t, bearer(tampered))).toBeNull();
    expect(await meEmail(t, bearer(token.slice(apiTokenPrefix.length)))).toBeNull(); // without its prefix
    expect(await meEmail(t, { cookie: `cairn_session=${token}`, origin: 'http://cairn.test' })).toBeNull(); // not a cookie credential
  });

  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const io: Io = { out: (l = '') => void lines.push(l), err: (l = '') => void lines.push(l), interactive: false, ask: async () => '' };
    const env = { DATABASE_URL: t.app.config.databaseUrl, CAIRN_SCHEMA: fixtures.blog.schema, CAIRN_GENERATED_DIR: fixtures.blog.generated };
    return { code: await runCli(argv, { io, env }), output: lines.join('\n') };
  };

  it('cairn users:create makes a verified user; --admin adds the admin role; bad input is refused', async () => {
    const made = await cli('users:create', '--email', ' Root@Example.org', '--password', password, '--admin');
    expect(made).toEqual({ code: 0, output: expect.stringMatching(/Created user \d+ <root@example.org> with roles user,admin/) });
    expect(await t.app.db.user.findUnique({ where: { email: 'root@example.org' }, select: { roles: true, emailVerified: true } })).toEqual({
      roles: 'user,admin',
      emailVerified: true,
    });
    expect((await signIn(t, 'root@example.org')).errors).toBeUndefined();
    const before = await authState(t);
    expect(await cli('users:create', '--email', 'root@example.org', '--password', password)).toMatchObject({ code: 1, output: expect.stringMatching(/exists already/) });
    expect(await cli('users:create', '--email', 'weak@example.org', '--password', 'password1')).toMatchObject({ code: 1, output: expect.stringMatching(/too common/) });
    expect(await cli('users:create', '--password', password)).toMatchObject({ code: 2, output: expect.stringMatching(/--email is required/) });
    expect(await authState(t)).toEqual(before);
  });

  it('roles: "user" by default; setUserRoles needs admin; a change applies to the next request', async () => {
    const { id: userId, token: userSession } = await signUp(t, 'member@example.org');
    await cli('users:create', '--email', 'boss@example.org', '--password', password, '--admin');
    const admin = (await signIn(t, 'boss@example.org')).data.signIn.token;
    const before = await authState(t);
    refused(await t.gql(setRoles, { id: userId, roles: ['admin'] }, bearer(userSession)), 'FORBIDDEN');
    refused(await t.gql(setRoles, { id: userId, roles: ['admin'] }), 'UNAUTHENTICATED');
    refused(await t.gql(setRoles, { id: userId, roles: ['Admin!'] }, bearer(admin)), 'BAD_USER_INPUT');
    refused(await t.gql(setRoles, { id: 'not-a-number', roles: ['user'] }, bearer(admin)), 'BAD_USER_INPUT');
    refused(await t.gql(setRoles, { id: 999_999, roles: ['user'] }, bearer(admin)), 'NOT_FOUND');
    expect(await authState(t)).toEqual(before);

    const promoted = await t.gql(setRoles, { id: userId, roles: ['user', 'editor', 'admin', 'user'] }, bearer(admin));
    expect(promoted.data.setUserRoles).toEqual({ id: userId, roles: 'user,editor,admin' });
    // The member's existing session carries the new roles at once: they may now promote others.
    expect((await t.gql(setRoles, { id: userId, roles: ['user'] }, bearer(userSession))).data.setUserRoles.roles).toBe('user');
    refused(await t.gql(setRoles, { id: userId, roles: ['admin'] }, bearer(userSession)), 'FORBIDDEN');
  });
});
