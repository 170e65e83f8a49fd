import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { OidcClientConfig } from '../../config/index.ts';
import { fetchJson, type OAuthProvider } from './oauth-provider.ts';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

interface Claims extends JWTPayload {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * Any OpenID Connect provider, from its discovery document (fetched on first use, not at boot,
 * so a provider outage does not stop Cairn). The id_token's signature, issuer, audience and
 * expiry are verified against the provider's JWKS; userinfo fills in a missing e-mail.
 */
export function createOidcProvider(config: OidcClientConfig, redirectUri: string): OAuthProvider {
  const client = new OAuth2Client(config.clientId, config.clientSecret ?? null, redirectUri);
  let discovered: Promise<{ doc: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> | undefined;
  const discover = () =>
    (discovered ??= loadDiscovery(config.issuer).then(
      (doc) => ({ doc, jwks: createRemoteJWKSet(new URL(doc.jwks_uri)) }),
      (error) => {
        discovered = undefined; // try again on the next sign-in
        throw error;
      },
    ));

  return {
    name: 'oidc',
    async authorizationUrl(state, verifier) {
      const { doc } = await discover();
      return client.createAuthorizationURLWithPKCE(doc.authorization_endpoint, state, CodeChallengeMethod.S256, verifier, [
        'openid',
        'email',
        'profile',
      ]);
    },
    async profile(code, verifier) {
      const { doc, jwks } = await discover();
      const tokens = await client.validateAuthorizationCode(doc.token_endpoint, code, verifier);
      const { payload } = await jwtVerify<Claims>(tokens.idToken(), jwks, { issuer: config.issuer, audience: config.clientId });
      if (!payload.sub) throw new Error('OIDC: the id_token has no subject');
      let claims: Claims = payload;
      if (claims.email === undefined && doc.userinfo_endpoint) {
        const info = await fetchJson<Claims>(doc.userinfo_endpoint, tokens.accessToken());
        // Userinfo for another subject would be a token mix-up: ignore it.
        if (info.sub === payload.sub) claims = { ...info, ...payload, email: info.email, email_verified: info.email_verified };
      }
      return {
        providerAccountId: payload.sub,
        email: claims.email ?? null,
        emailVerified: claims.email_verified === true,
        name: claims.name ?? null,
      };
    },
  };
}

async function loadDiscovery(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`OIDC discovery: ${url} answered ${response.status}`);
  const doc = (await response.json()) as Discovery;
  if (doc.issuer !== issuer) throw new Error(`OIDC discovery: issuer is "${doc.issuer}", OIDC_ISSUER is "${issuer}"`);
  for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof doc[key] !== 'string') throw new Error(`OIDC discovery: ${url} has no ${key}`);
  }
  return doc;
}
