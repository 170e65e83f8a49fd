import { decodeIdToken, Google } from 'arctic';
import type { OAuthClientConfig } from '../../config/index.ts';
import type { OAuthProvider } from './oauth-provider.ts';

interface GoogleClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * Google with Arctic's `Google` client (PKCE). The id_token comes straight from Google's token
 * endpoint over TLS, which OpenID Connect Core (3.1.3.7) accepts in place of checking its signature.
 */
export function createGoogleProvider({ clientId, clientSecret }: OAuthClientConfig, redirectUri: string): OAuthProvider {
  const google = new Google(clientId, clientSecret, redirectUri);
  return {
    name: 'google',
    authorizationUrl: async (state, verifier) => google.createAuthorizationURL(state, verifier, ['openid', 'email', 'profile']),
    async profile(code, verifier) {
      const tokens = await google.validateAuthorizationCode(code, verifier);
      const claims = decodeIdToken(tokens.idToken()) as GoogleClaims;
      return {
        providerAccountId: claims.sub,
        email: claims.email ?? null,
        emailVerified: claims.email_verified === true,
        name: claims.name ?? null,
      };
    },
  };
}
