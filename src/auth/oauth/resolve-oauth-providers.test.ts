import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { resolveOAuthProviders } from './resolve-oauth-providers.ts';

describe('resolveOAuthProviders', () => {
  it('enables only the configured providers', () => {
    expect([...resolveOAuthProviders(loadConfig({}), 'http://localhost:4000').keys()]).toEqual([]);
    const config = loadConfig({
      GITHUB_CLIENT_ID: 'gh-id',
      GITHUB_CLIENT_SECRET: 's',
      GOOGLE_CLIENT_ID: 'g-id',
      GOOGLE_CLIENT_SECRET: 's',
      OIDC_ISSUER: 'https://id.example.com',
      OIDC_CLIENT_ID: 'o',
    });
    expect([...resolveOAuthProviders(config, 'https://app.example.com').keys()]).toEqual(['github', 'google', 'oidc']);
  });

  it.each([
    ['github', 'https://github.com/login/oauth/authorize', 'read:user user:email'],
    ['google', 'https://accounts.google.com/o/oauth2/v2/auth', 'openid email profile'],
  ])('%s: authorization code with PKCE (S256), state and a callback on PUBLIC_URL', async (name, endpoint, scope) => {
    const config = loadConfig({ GITHUB_CLIENT_ID: 'gh-id', GITHUB_CLIENT_SECRET: 's', GOOGLE_CLIENT_ID: 'g-id', GOOGLE_CLIENT_SECRET: 's' });
    const url = await resolveOAuthProviders(config, 'https://app.example.com').get(name)!.authorizationUrl('the-state', 'v'.repeat(43));
    expect(`${url.origin}${url.pathname}`).toBe(endpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: name === 'github' ? 'gh-id' : 'g-id',
      redirect_uri: `https://app.example.com/auth/${name}/callback`,
      state: 'the-state',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope,
    });
  });
});
