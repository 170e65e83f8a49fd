import type { AuthConfig } from '../../config/index.ts';
import { createGitHubProvider } from './github-provider.ts';
import { createGoogleProvider } from './google-provider.ts';
import { createOidcProvider } from './oidc-provider.ts';
import type { OAuthProvider } from './oauth-provider.ts';

/** The providers the configuration enables, by name; redirect URIs derive from PUBLIC_URL. */
export function resolveOAuthProviders(config: AuthConfig, publicUrl: string): ReadonlyMap<string, OAuthProvider> {
  const callback = (name: string) => `${publicUrl}/auth/${name}/callback`;
  const providers = [
    config.github && createGitHubProvider(config.github, callback('github')),
    config.google && createGoogleProvider(config.google, callback('google')),
    config.oidc && createOidcProvider(config.oidc, callback('oidc')),
  ].filter((p): p is OAuthProvider => Boolean(p));
  return new Map(providers.map((p) => [p.name, p]));
}
