import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { generateToken, hashToken } from '../../src/auth/index.ts';
import { apiTokenCacheKey } from '../../src/auth/api-tokens.ts';
import { loadGenerated, type Provider } from '../../src/db/index.ts';
import { authEnv, bearer, meEmail, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { fixtures } from '../support/fixtures.ts';
import { sharedRedisUrl } from '../support/redis-server.ts';
import { createTestApp, describeEachProvider, type GraphQLResponse, type TestApp } from '../support/test-app.ts';

/** The session lookup's statements: one join on PostgreSQL; the session, then its user's roles, on SQLite. */
const sessionStatements = (queries: string[]) => queries.filter((q) => /[`"]Session[`"]/.test(q) || /[`"]roles[`"] FROM/.test(q));
const lookupCount = (provider: Provider) => (provider === 'sqlite' ? 2 : 1);
const tokenStatements = (queries: string[]) => queries.filter((q) => /[`"]AuthToken[`"]/.test(q));
const createToken = 'mutation ($name: String!) { createApiToken(name: $name) { token apiToken { id } } }';
const revokeToken = 'mutation ($id: ID!) { revokeApiToken(id: $id) }';
const setRoles = 'mutation ($id: ID!, $roles: [String!]!) { setUserRoles(userId: $id, roles: $roles) { id roles } }';

/** An admin signed in: signed up, given the role directly in the database before any request used the session. */
async function signInAdmin(t: TestApp, email: string): Promise<string> {
  const { id } = await signUp(t, email);
  await t.app.db.user.update({ where: { id }, data: { roles: 'user,admin' } });
  return (await signIn(t, email)).data.signIn.token;
}

describeEachProvider('auth: session cache (one instance)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv);
  });
  afterAll(() => t.close());

  it('a second signed-in request sends no SQL for its session; the first one looks it up once', async () => {
    const { token } = await signUp(t, 'cached@example.org');
    t.resetQueries();
    expect(await meEmail(t, bearer(token))).toBe('cached@example.org');
    expect(sessionStatements(t.queries)).toHaveLength(lookupCount(provider));
    const first = t.queries.length;
    t.resetQueries();
    expect(await meEmail(t, bearer(token))).toBe('cached@example.org');
    expect(sessionStatements(t.queries)).toEqual([]);
    expect(t.queries.length).toBe(first - lookupCount(provider));
    expect(t.app.auth!.sessions.cache!.has(hashToken(token))).toBe(true);
  });

  it('signOut, then the very next request is signed out (me null, UNAUTHENTICATED)', async () => {
    const { token } = await signUp(t, 'leaver@example.org');
    expect(await meEmail(t, bearer(token))).toBe('leaver@example.org'); // cached now
    expect((await t.gql('mutation { signOut }', {}, bearer(token))).data.signOut).toBe(true);
    expect(await meEmail(t, bearer(token))).toBeNull();
    refused(await t.gql('mutation { signOutEverywhere }', {}, bearer(token)), 'UNAUTHENTICATED');
    expect(t.app.auth!.sessions.cache!.has(hashToken(token))).toBe(false);
  });

  it('revokeSession, signOutEverywhere and changePassword end cached sessions at once', async () => {
    const { token: first } = await signUp(t, 'many@example.org');
    const second = (await signIn(t, 'many@example.org')).data.signIn.token;
    const third = (await signIn(t, 'many@example.org')).data.signIn.token;
    for (const token of [first, second, third]) expect(await meEmail(t, bearer(token))).toBe('many@example.org');

    const listed = await t.gql('{ mySessions { id current } }', {}, bearer(first));
    const other = listed.data.mySessions.find((s: { current: boolean }) => !s.current);
    expect((await t.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: other.id }, bearer(first))).data.revokeSession).toBe(true);
    const alive = await Promise.all([first, second, third].map((token) => meEmail(t, bearer(token))));
    expect(alive.filter((email) => email === null)).toHaveLength(1);

    const changed = await t.gql(
      'mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
      { current: password, next: `${password} 2` },
      bearer(first),
    );
    expect(changed.errors, JSON.stringify(changed.errors)).toBeUndefined();
    // The session that asked stays; every other one ends.
    expect(await meEmail(t, bearer(first))).toBe('many@example.org');
    expect(await meEmail(t, bearer(second))).toBeNull();
    expect(await meEmail(t, bearer(third))).toBeNull();

    expect((await t.gql('mutation { signOutEverywhere }', {}, bearer(first))).data.signOutEverywhere).toBeGreaterThanOrEqual(1);
    expect(await meEmail(t, bearer(first))).toBeNull();
  });

  it('a role change applies to the next request of a cached session; a deleted user is signed out at once', async () => {
    const admin = await signInAdmin(t, 'chief@example.org');
    const { id, token } = await signUp(t, 'promoted@example.org');
    refused(await t.gql(setRoles, { id, roles: ['user'] }, bearer(token)), 'FORBIDDEN'); // cached as a plain user
    expect((await t.gql(setRoles, { id, roles: ['user', 'admin'] }, bearer(admin))).data.setUserRoles.roles).toBe('user,admin');
    expect((await t.gql(setRoles, { id, roles: ['user', 'admin'] }, bearer(token))).data.setUserRoles.roles).toBe('user,admin');
    expect((await t.gql(setRoles, { id, roles: ['user'] }, bearer(admin))).errors).toBeUndefined();
    refused(await t.gql(setRoles, { id, roles: ['admin'] }, bearer(token)), 'FORBIDDEN');

    // Deleted through the generic API: the cascade removes the sessions, the write path drops the cache.
    expect(await meEmail(t, bearer(token))).toBe('promoted@example.org');
    const deleted = await t.gql('mutation ($id: Int!) { deleteUser(where: { id: $id }) { id } }', { id }, bearer(admin));
    expect(deleted.errors, JSON.stringify(deleted.errors)).toBeUndefined();
    expect(await meEmail(t, bearer(token))).toBeNull();
  });

  it('API tokens: a second request sends no SQL for its token; revoking it, a password change or a role change apply to the next request', async () => {
    const { id, token: session } = await signUp(t, 'robot@example.org');
    const admin = await signInAdmin(t, 'robot-admin@example.org');
    const made = async (name: string) => (await t.gql(createToken, { name }, bearer(session))).data.createApiToken as { token: string; apiToken: { id: string } };
    const first = await made('deploy');
    expect(await meEmail(t, bearer(first.token))).toBe('robot@example.org');
    t.resetQueries();
    expect(await meEmail(t, bearer(first.token))).toBe('robot@example.org');
    expect(tokenStatements(t.queries)).toEqual([]);
    // Kept under its own key: the token's hash never answers a session lookup.
    expect(t.app.auth!.sessions.cache!.has(apiTokenCacheKey(hashToken(first.token)))).toBe(true);
    expect(t.app.auth!.sessions.cache!.has(hashToken(first.token))).toBe(false);
    expect(await t.app.auth!.sessions.validate(first.token)).toBeNull();

    expect((await t.gql(revokeToken, { id: first.apiToken.id }, bearer(session))).data.revokeApiToken).toBe(true);
    expect(await meEmail(t, bearer(first.token))).toBeNull();

    const second = await made('ci');
    refused(await t.gql(setRoles, { id, roles: ['user'] }, bearer(second.token)), 'FORBIDDEN'); // cached as a plain user
    expect((await t.gql(setRoles, { id, roles: ['user', 'admin'] }, bearer(admin))).errors).toBeUndefined();
    expect((await t.gql(setRoles, { id, roles: ['user', 'admin'] }, bearer(second.token))).errors).toBeUndefined();

    expect(await meEmail(t, bearer(second.token))).toBe('robot@example.org');
    const changed = await t.gql('mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }', { current: password, next: `${password} 2` }, bearer(session));
    expect(changed.errors, JSON.stringify(changed.errors)).toBeUndefined();
    expect(await meEmail(t, bearer(second.token))).toBeNull();
    expect(t.app.auth!.sessions.cache!.has(apiTokenCacheKey(hashToken(second.token)))).toBe(false);
  });

  it('abuse: forged, malformed and revoked tokens never enter the cache; each try asks the store again', async () => {
    const forged = generateToken();
    for (let i = 0; i < 2; i++) {
      t.resetQueries();
      expect(await meEmail(t, bearer(forged))).toBeNull();
      expect(sessionStatements(t.queries)).toHaveLength(1);
    }
    const size = t.app.auth!.sessions.cache!.size;
    for (const token of ['x'.repeat(32), `${forged}A`, 'a'.repeat(129), '']) {
      expect(await meEmail(t, bearer(token))).toBeNull();
    }
    expect(t.app.auth!.sessions.cache!.has(hashToken(forged))).toBe(false);
    expect(t.app.auth!.sessions.cache!.size).toBe(size);
  });
});

for (const [how, env, overrides] of [
  ['sessionCache: false', {}, { auth: { sessionCache: false as const } }],
  ['CAIRN_SESSION_CACHE_MS=0', { CAIRN_SESSION_CACHE_MS: '0' }, {}],
] as const) {
  describeEachProvider(`auth: session cache without caching (${how})`, (provider) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp('blog', provider, { ...authEnv, ...env }, overrides);
    });
    afterAll(() => t.close());

    it('every request looks its session up', async () => {
      const { token } = await signUp(t, 'uncached@example.org');
      for (let i = 0; i < 2; i++) {
        t.resetQueries();
        expect(await meEmail(t, bearer(token))).toBe('uncached@example.org');
        expect(sessionStatements(t.queries)).toHaveLength(lookupCount(provider));
      }
      expect(t.app.auth!.sessions.cache).toBeUndefined();
    });
  });
}

/** Two instances of one deployment: the same database, the same Redis (a channel prefix of their own). */
describeEachProvider('auth: session cache across two instances sharing Redis', (provider: Provider) => {
  let a: TestApp;
  let b: App;
  const gqlB = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse> => {
    const response = await b.yoga.fetch('http://cairn.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const meOnB = async (token: string) => (await gqlB('{ me { email } }', {}, bearer(token))).data?.me?.email ?? null;
  beforeAll(async () => {
    const env = { ...authEnv, REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:` };
    a = await createTestApp('blog', provider, env);
    b = await buildApp({
      config: { ...a.app.config, syncSchema: 'off' },
      generated: await loadGenerated(fixtures.blog.generated, provider),
      logError: () => {},
      warn: () => {},
    });
    // Until an instance hears revocations it caches nothing (correct, but then nothing here would be cached).
    await Promise.all([a.app.auth!.sessions.cache!.ready(), b.auth!.sessions.cache!.ready()]);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  it('signOut on A: the very next request on B is signed out', async () => {
    const { token } = await signUp(a, 'roamer@example.org');
    expect(await meOnB(token)).toBe('roamer@example.org');
    expect(await meOnB(token)).toBe('roamer@example.org');
    expect(b.auth!.sessions.cache!.has(hashToken(token))).toBe(true);
    expect((await a.gql('mutation { signOut }', {}, bearer(token))).data.signOut).toBe(true);
    expect(await meOnB(token)).toBeNull();
    refused(await gqlB('mutation { signOutEverywhere }', {}, bearer(token)), 'UNAUTHENTICATED');
  });

  it('signOutEverywhere and revokeSession on A end the cached sessions on B at once', async () => {
    const { token: first } = await signUp(a, 'twice@example.org');
    const second = (await signIn(a, 'twice@example.org')).data.signIn.token;
    expect(await meOnB(first)).toBe('twice@example.org');
    expect(await meOnB(second)).toBe('twice@example.org');
    const listed = await a.gql('{ mySessions { id current } }', {}, bearer(first));
    const other = listed.data.mySessions.find((s: { current: boolean }) => !s.current);
    await a.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: other.id }, bearer(first));
    expect(await meOnB(second)).toBeNull();
    expect(await meOnB(first)).toBe('twice@example.org');
    await a.gql('mutation { signOutEverywhere }', {}, bearer(first));
    expect(await meOnB(first)).toBeNull();
  });

  it('revokeApiToken on A: the very next request on B is nobody', async () => {
    const { token: session } = await signUp(a, 'bot@example.org');
    const { token, apiToken } = (await a.gql(createToken, { name: 'bot' }, bearer(session))).data.createApiToken;
    expect(await meOnB(token)).toBe('bot@example.org');
    expect(await meOnB(token)).toBe('bot@example.org');
    expect(b.auth!.sessions.cache!.has(apiTokenCacheKey(hashToken(token)))).toBe(true);
    expect((await a.gql(revokeToken, { id: apiToken.id }, bearer(session))).data.revokeApiToken).toBe(true);
    expect(await meOnB(token)).toBeNull();
  });

  it('a role change on A applies to the very next request on B', async () => {
    const admin = await signInAdmin(a, 'boss@example.org');
    const { id, token } = await signUp(a, 'climber@example.org');
    refused(await gqlB(setRoles, { id, roles: ['user'] }, bearer(token)), 'FORBIDDEN'); // cached on B as a plain user
    expect((await a.gql(setRoles, { id, roles: ['user', 'admin'] }, bearer(admin))).data.setUserRoles.roles).toBe('user,admin');
    expect((await gqlB(setRoles, { id, roles: ['user', 'admin'] }, bearer(token))).data.setUserRoles.roles).toBe('user,admin');
  });
});

describe('auth: session cache settings', () => {
  it('is on by default with a few seconds of lifetime', async () => {
    const t = await createTestApp('blog', 'sqlite', authEnv);
    try {
      expect(t.app.auth!.sessions.cache!.ttlMs).toBe(5000);
    } finally {
      await t.close();
    }
  });
});
