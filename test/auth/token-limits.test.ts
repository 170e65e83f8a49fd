import { afterAll, beforeAll, expect, it } from 'vitest';
import { authEnv, authState, bearer, linkToken, meEmail, password, refused, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const createToken = 'mutation ($name: String!) { createApiToken(name: $name) { token apiToken { id } } }';
const changePassword = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const changeEmail = 'mutation ($e: String!, $p: String!) { changeEmail(newEmail: $e, password: $p) }';
const resetPassword = 'mutation ($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';

describeEachProvider('auth: what API tokens may not do, and what ends them', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv);
  });
  afterAll(() => t.close());
  const newToken = async (session: string, name = 'ci') => (await t.gql(createToken, { name }, bearer(session))).data.createApiToken;
  const resetLink = async (email: string) => {
    await t.gql('mutation ($e: String!) { requestPasswordReset(email: $e) }', { e: email });
    await t.app.auth!.settled(); // the reset e-mail goes out after the answer
    return linkToken(t, email);
  };

  it('an API token reaches none of the credential flows (FORBIDDEN, nothing changed), but still acts in the API', async () => {
    const { token: session } = await signUp(t, 'holder@example.org');
    const { token, apiToken } = await newToken(session);
    const sessionId = (await t.gql('{ mySessions { id } }', {}, bearer(session))).data.mySessions[0].id;
    const before = await authState(t);
    const credentialFlows: [string, Record<string, unknown>][] = [
      [changePassword, { c: password, n: 'a token chose this' }],
      [changeEmail, { e: 'thief@evil.test', p: password }],
      [createToken, { name: 'more' }],
      ['{ apiTokens { id } }', {}],
      ['mutation ($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id }],
      ['{ mySessions { id ip } }', {}],
      ['mutation ($id: ID!) { revokeSession(id: $id) }', { id: sessionId }],
      ['mutation { signOutEverywhere }', {}],
    ];
    for (const [query, variables] of credentialFlows) {
      expect(refused(await t.gql(query, variables, bearer(token)), 'FORBIDDEN').message).toMatch(/needs a session; API tokens cannot manage credentials/);
    }
    expect(await authState(t)).toEqual(before);
    expect(await meEmail(t, bearer(token))).toBe('holder@example.org');
    expect((await t.gql('mutation { requestEmailVerification }', {}, bearer(token))).data.requestEmailVerification).toBe(true);
  });

  it('changePassword ends every API token (and the other sessions), keeping the session that asked', async () => {
    const { token: session } = await signUp(t, 'rotate@example.org');
    const first = await newToken(session, 'one');
    const second = await newToken(session, 'two');
    expect(await meEmail(t, bearer(first.token))).toBe('rotate@example.org');
    expect((await t.gql(changePassword, { c: password, n: 'a fresh long secret' }, bearer(session))).data.changePassword).toBe(true);
    expect(await meEmail(t, bearer(first.token))).toBeNull();
    expect(await meEmail(t, bearer(second.token))).toBeNull();
    expect(await meEmail(t, bearer(session))).toBe('rotate@example.org');
    expect((await t.gql('{ apiTokens { id } }', {}, bearer(session))).data.apiTokens).toEqual([]);
  });

  it('resetPassword ends every API token and session, and cancels a pending e-mail change', async () => {
    const { token: session } = await signUp(t, 'forgot@example.org');
    const { token } = await newToken(session);
    await t.gql(changeEmail, { e: 'elsewhere@example.org', p: password }, bearer(session));
    const changeLink = linkToken(t, 'elsewhere@example.org');
    const link = await resetLink('forgot@example.org');
    expect((await t.gql(resetPassword, { token: link, newPassword: 'reset to this one' })).data.resetPassword).toBe(true);
    expect(await meEmail(t, bearer(token))).toBeNull();
    expect(await meEmail(t, bearer(session))).toBeNull();
    refused(await t.gql('mutation ($t: String!) { verifyEmail(token: $t) }', { t: changeLink }), 'BAD_USER_INPUT');
    expect((await signIn(t, 'forgot@example.org', 'reset to this one')).errors).toBeUndefined();
  });

  it('signOutEverywhere ends every session and API token, and counts both', async () => {
    const { token: session } = await signUp(t, 'everywhere@example.org');
    const other = (await signIn(t, 'everywhere@example.org')).data.signIn.token;
    const { token } = await newToken(session);
    expect((await t.gql('mutation { signOutEverywhere }', {}, bearer(session))).data.signOutEverywhere).toBe(3);
    for (const credential of [session, other, token]) expect(await meEmail(t, bearer(credential))).toBeNull();
  });
});
