import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authState, bearer, createBrowser, meEmail, password, refused, signInMutation, signUp, signUpMutation } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const app = 'https://app.example.com';
const evil = 'https://evil.example';

describeEachProvider('auth: Origin checks (CSRF) and CORS', (provider) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { PUBLIC_URL: 'https://api.example.com', CAIRN_ALLOWED_ORIGINS: `${app}, http://localhost:5173` });
    token = (await signUp(t, 'csrf@example.org')).token;
  });
  afterAll(() => t.close());

  const withCookie = (origin?: string) => ({ cookie: `cairn_session=${token}`, ...(origin ? { origin } : {}) });
  const destructive = 'mutation { signOutEverywhere }';

  it('a cookie-authenticated POST needs a trusted Origin: PUBLIC_URL, an allowed origin, or the same host', async () => {
    expect(await meEmail(t, withCookie('https://api.example.com'))).toBe('csrf@example.org');
    expect(await meEmail(t, withCookie(app))).toBe('csrf@example.org');
    expect(await meEmail(t, withCookie('http://localhost:5173'))).toBe('csrf@example.org');
    // The request's own host (t.gql talks to the app's server on a loopback port).
    const own = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    expect(await meEmail(t, withCookie(own))).toBe('csrf@example.org');
  });

  it('a cookie sent cross-site or without Origin is FORBIDDEN, and the mutation does not run', async () => {
    const before = await authState(t);
    for (const origin of [evil, 'null', 'https://app.example.com.evil.example', 'http://app.example.com', undefined]) {
      const response = await t.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...withCookie(origin) },
        body: JSON.stringify({ query: destructive }),
      });
      expect(response.status, String(origin)).toBe(403);
      const body = await response.json();
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toMatch(/CSRF/);
    }
    expect(await authState(t)).toEqual(before);
    expect(await meEmail(t, withCookie(app))).toBe('csrf@example.org');
  });

  it('GET with the cookie: fine same-origin (no Origin), FORBIDDEN when a foreign page reads it', async () => {
    const url = `/graphql?query=${encodeURIComponent('{ me { email } }')}`;
    const sameOrigin = await t.fetch(url, { headers: withCookie() });
    expect((await sameOrigin.json()).data.me.email).toBe('csrf@example.org');
    const crossSite = await t.fetch(url, { headers: withCookie(evil) });
    expect(crossSite.status).toBe(403);
  });

  it('bearer tokens need no Origin (browsers never attach them on their own)', async () => {
    expect(await meEmail(t, bearer(token))).toBe('csrf@example.org');
    expect(await meEmail(t, { ...bearer(token), origin: evil, cookie: `cairn_session=${token}` })).toBe('csrf@example.org');
  });

  it('login CSRF: signUp and signIn from a foreign page are FORBIDDEN and create nothing', async () => {
    const before = await authState(t);
    const page = createBrowser(t, evil);
    refused(await page.gql(signInMutation, { email: 'csrf@example.org', password }), 'FORBIDDEN');
    refused(await page.gql(signUpMutation, { email: 'planted@example.org', password }), 'FORBIDDEN');
    expect(page.jar.size).toBe(0);
    expect(await authState(t)).toEqual(before);
    // Servers and scripts send no Origin: allowed.
    expect((await t.gql(signInMutation, { email: 'csrf@example.org', password })).errors).toBeUndefined();
  });

  it('CORS lets trusted origins read responses with credentials, and nobody else', async () => {
    const preflight = (origin: string) =>
      t.fetch('/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const trusted = await preflight(app);
    expect(trusted.headers.get('access-control-allow-origin')).toBe(app);
    expect(trusted.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await preflight(evil);
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe(evil);
  });

  it('cookies are Secure when PUBLIC_URL is https', async () => {
    const result = await createBrowser(t, app).gql(signInMutation, { email: 'csrf@example.org', password });
    expect(result.response.headers.getSetCookie()[0]).toMatch(/; HttpOnly; SameSite=Lax; Path=\/; Expires=[^;]+; Secure$/);
  });
});
