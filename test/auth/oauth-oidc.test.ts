import { afterAll, beforeAll, expect, it } from 'vitest';
import { authState, bearer, createBrowser, meEmail, password, publicUrl, refused, signIn, signUp, type Browser } from '../support/auth-helpers.ts';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('auth: OAuth with a local OpenID Connect provider', (provider) => {
  let t: TestApp;
  let idp: TestOidcProvider;
  beforeAll(async () => {
    idp = await startOidcProvider({ redirectUri: `${publicUrl}/auth/oidc/callback` });
    t = await createTestApp('blog', provider, {
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  /** Start → the provider (real HTTP, approves at once) → the callback URL it redirects to. */
  async function authorize(browser: Browser, redirect = '/dashboard') {
    const start = await browser.get(`/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`);
    expect(start.status).toBe(302);
    const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    expect(approved.status, await approved.clone().text()).toBe(302);
    return { start, callback: approved.headers.get('location')! };
  }
  async function oauthSignIn(browser = createBrowser(t), redirect?: string) {
    const { callback } = await authorize(browser, redirect);
    const done = await browser.get(callback);
    expect(done.status).toBe(302);
    return { browser, location: new URL(done.headers.get('location')!), done };
  }
  const me = async (browser: Browser) => (await browser.gql('{ me { id email emailVerified name } }')).data.me;

  it('signs a new user up: PKCE + state, session cookie, redirect, verified e-mail from the provider', async () => {
    idp.user = { sub: 'new-1', email: 'New.User@Example.com', email_verified: true, name: 'New User' };
    const browser = createBrowser(t);
    const { start, callback } = await authorize(browser, '/dashboard?tab=1');
    const authorizeUrl = new URL(start.headers.get('location')!);
    expect(authorizeUrl.origin).toBe(idp.issuer);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: `${publicUrl}/auth/oidc/callback`,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(start.headers.getSetCookie().join('\n')).toMatch(/cairn_oauth_state=[^;]+; HttpOnly; SameSite=Lax; Path=\/auth\/; Max-Age=600/);

    const done = await browser.get(callback);
    expect(done.headers.get('location')).toBe(`${publicUrl}/dashboard?tab=1`);
    expect([...browser.jar.keys()]).toEqual(['cairn_session']); // flow cookies cleared
    expect(await me(browser)).toMatchObject({ email: 'new.user@example.com', emailVerified: true, name: 'New User' });
    expect(await t.app.db.account.findMany({ select: { provider: true, providerAccountId: true } })).toEqual([
      { provider: 'oidc', providerAccountId: 'new-1' },
    ]);
  });

  it('signs the same provider account into the same user next time', async () => {
    idp.user = { sub: 'new-1', email: 'changed@example.com', email_verified: true };
    const first = await me((await oauthSignIn()).browser);
    const users = (await authState(t)).users.length;
    const again = await me((await oauthSignIn()).browser);
    expect(again.id).toBe(first.id);
    expect((await authState(t)).users).toHaveLength(users);
  });

  it('never links to an account whose address Cairn has not seen proven (pre-hijacking); once the owner proves it, it links', async () => {
    const { id, token } = await signUp(t, 'squatted@example.com');
    idp.user = { sub: 'owner-1', email: 'squatted@example.com', email_verified: true };
    const before = await authState(t);
    const { browser, location } = await oauthSignIn();
    expect(location.searchParams.get('auth_error')).toBe('account_not_verified');
    expect(browser.jar.has('cairn_session')).toBe(false);
    expect(await authState(t)).toEqual(before);
    expect(await meEmail(t, bearer(token))).toBe('squatted@example.com');

    // The address's owner proves it with a password reset (which ends the squatter's sessions), then links.
    await t.gql('mutation { requestPasswordReset(email: "squatted@example.com") }');
    await t.app.auth!.settled(); // the reset e-mail goes out after the answer
    const link = /\?token=([a-z2-7]+)/.exec(t.app.auth!.outbox!.last('squatted@example.com')!.text)![1];
    expect((await t.gql('mutation ($t: String!) { resetPassword(token: $t, newPassword: "the real owner now") }', { t: link })).errors).toBeUndefined();
    expect(await meEmail(t, bearer(token))).toBeNull();
    expect(await me((await oauthSignIn()).browser)).toMatchObject({ id, emailVerified: true });
  });

  it('the takeover of the issue fails: an attacker cannot point their verified account at the victim\'s address, so the victim\'s OAuth sign-in is not theirs', async () => {
    const attacker = await signUp(t, 'mallory@example.com');
    await t.app.db.user.update({ where: { id: attacker.id }, data: { emailVerified: true } });
    const moved = await t.gql(`mutation { updateUser(where: { id: ${attacker.id} }, data: { email: "alice@example.com" }) { id } }`, {}, bearer(attacker.token));
    refused(moved, 'BAD_USER_INPUT');
    idp.user = { sub: 'alice-1', email: 'alice@example.com', email_verified: true };
    const alice = await me((await oauthSignIn()).browser);
    expect(alice).toMatchObject({ email: 'alice@example.com', emailVerified: true });
    expect(alice.id).not.toBe(attacker.id);
    expect(await meEmail(t, bearer(attacker.token))).toBe('mallory@example.com');
  });

  it('linking to a verified user keeps their password and sessions', async () => {
    const { id, token } = await signUp(t, 'verified@example.com');
    await t.app.db.user.update({ where: { id }, data: { emailVerified: true } });
    idp.user = { sub: 'verified-1', email: 'verified@example.com', email_verified: true };
    expect((await me((await oauthSignIn()).browser)).id).toBe(id);
    expect(await meEmail(t, bearer(token))).toBe('verified@example.com');
    expect((await signIn(t, 'verified@example.com')).errors).toBeUndefined();
  });

  it('an unverified provider e-mail never links to an existing user', async () => {
    await signUp(t, 'victim@example.com');
    idp.user = { sub: 'attacker-1', email: 'victim@example.com', email_verified: false };
    const before = await authState(t);
    const { browser, location } = await oauthSignIn();
    expect(location.searchParams.get('auth_error')).toBe('email_not_verified');
    expect(browser.jar.has('cairn_session')).toBe(false);
    expect(await authState(t)).toEqual(before);
  });

  it('an unverified provider e-mail makes an unverified new user; e-mail from userinfo is used when the id_token lacks it', async () => {
    idp.user = { sub: 'fresh-1', email: 'fresh@example.com', email_verified: false };
    expect(await me((await oauthSignIn()).browser)).toMatchObject({ email: 'fresh@example.com', emailVerified: false });
    idp.user = { sub: 'info-1', email: 'info@example.com', email_verified: true };
    idp.emailOnlyInUserinfo = true;
    try {
      expect(await me((await oauthSignIn()).browser)).toMatchObject({ email: 'info@example.com', emailVerified: true });
    } finally {
      idp.emailOnlyInUserinfo = false;
    }
  });

  it('refuses an account without an e-mail', async () => {
    idp.user = { sub: 'anonymous-1' };
    const before = await authState(t);
    expect((await oauthSignIn()).location.searchParams.get('auth_error')).toBe('email_required');
    expect(await authState(t)).toEqual(before);
  });

  it('a wrong or missing state, a stolen callback URL, a tampered verifier and a forged id_token all fail, changing nothing', async () => {
    idp.user = { sub: 'target-1', email: 'target@example.com', email_verified: true };
    const before = await authState(t);
    const tokenCalls = idp.tokenRequests.length;

    const tamperedState = createBrowser(t);
    const { callback } = await authorize(tamperedState);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'x'.repeat(43));
    expect(new URL((await tamperedState.get(wrong.href)).headers.get('location')!).searchParams.get('auth_error')).toBe('invalid_state');

    // Login CSRF: a callback URL replayed in another browser (no flow cookies) is refused.
    const other = createBrowser(t);
    const stolen = (await authorize(createBrowser(t))).callback;
    expect(new URL((await other.get(stolen)).headers.get('location')!).searchParams.get('auth_error')).toBe('invalid_state');
    expect(idp.tokenRequests.length).toBe(tokenCalls); // the provider was never asked

    const tamperedVerifier = createBrowser(t);
    const flow = await authorize(tamperedVerifier);
    tamperedVerifier.jar.set('cairn_oauth_verifier', 'A'.repeat(43));
    expect(new URL((await tamperedVerifier.get(flow.callback)).headers.get('location')!).searchParams.get('auth_error')).toBe('provider_error');
    expect(idp.tokenRequests.at(-1)).toEqual({ grantType: 'authorization_code', ok: false });

    idp.forgeSignature = true;
    try {
      expect((await oauthSignIn()).location.searchParams.get('auth_error')).toBe('provider_error');
    } finally {
      idp.forgeSignature = false;
    }
    const denied = createBrowser(t);
    await denied.get('/auth/oidc/start');
    expect(new URL((await denied.get('/auth/oidc/callback?error=access_denied')).headers.get('location')!).searchParams.get('auth_error')).toBe('access_denied');
    expect(await authState(t)).toEqual(before);
  });

  it('redirects only to this site or trusted origins; unknown providers are 404', async () => {
    idp.user = { sub: 'redirect-1', email: 'redirect@example.com', email_verified: true };
    for (const target of ['https://evil.example/steal', '//evil.example/x', '/\\evil.example']) {
      expect((await oauthSignIn(createBrowser(t), target)).location.href).toBe(`${publicUrl}/`);
    }
    expect((await t.fetch('/auth/github/start')).status).toBe(404);
    expect((await t.fetch('/auth/nope/callback')).status).toBe(404);
  });
});
