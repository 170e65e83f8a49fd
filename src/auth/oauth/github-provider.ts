import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import type { OAuthClientConfig } from '../../config/index.ts';
import { fetchJson, type OAuthProvider } from './oauth-provider.ts';

const authorizeUrl = 'https://github.com/login/oauth/authorize';
const tokenUrl = 'https://github.com/login/oauth/access_token';

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
}
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub through Arctic's generic client: Arctic's `GitHub` class predates GitHub's PKCE support
 * (2025), and every Cairn flow uses PKCE. The e-mail is the primary address, verified or not as
 * GitHub reports it (`/user/emails`, scope `user:email`).
 */
export function createGitHubProvider({ clientId, clientSecret }: OAuthClientConfig, redirectUri: string): OAuthProvider {
  const client = new OAuth2Client(clientId, clientSecret, redirectUri);
  return {
    name: 'github',
    authorizationUrl: async (state, verifier) =>
      client.createAuthorizationURLWithPKCE(authorizeUrl, state, CodeChallengeMethod.S256, verifier, ['read:user', 'user:email']),
    async profile(code, verifier) {
      const accessToken = (await client.validateAuthorizationCode(tokenUrl, code, verifier)).accessToken();
      const user = await fetchJson<GitHubUser>('https://api.github.com/user', accessToken);
      const emails = await fetchJson<GitHubEmail[]>('https://api.github.com/user/emails', accessToken);
      const primary = emails.find((e) => e.primary);
      return {
        providerAccountId: String(user.id),
        email: primary?.email ?? null,
        emailVerified: primary?.verified === true,
        name: user.name ?? user.login,
      };
    },
  };
}
