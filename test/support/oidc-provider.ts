import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

/** Who "signs in" at the provider next (the test sets it before following the redirect). */
export interface OidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next authorization signs in as. */
  user: OidcUser;
  /** Sign id_tokens with a key that is not in the JWKS (a forged token). */
  forgeSignature: boolean;
  /** Leave e-mail claims out of the id_token (the client must ask userinfo). */
  emailOnlyInUserinfo: boolean;
  /** Token requests received, with their outcome, for assertions. */
  tokenRequests: { grantType: string | null; ok: boolean }[];
  close(): Promise<void>;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
  user: OidcUser;
}

/**
 * A small OpenID Connect provider on 127.0.0.1 for end-to-end OAuth tests: discovery, an
 * authorize endpoint that approves at once, a token endpoint that checks client credentials, the
 * redirect URI and the PKCE verifier (S256), RS256 id_tokens, JWKS and userinfo. Real HTTP and
 * real signatures; nothing of the client's flow is mocked.
 */
export async function startOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, OidcUser>();
  const server = createServer((req, res) => handle(req, res).catch((e) => send(res, 500, { error: String(e) })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: TestOidcProvider = {
    issuer,
    clientId: 'cairn-test',
    clientSecret: randomBytes(12).toString('hex'),
    user: { sub: 'user-1', email: 'oidc@example.com', email_verified: true, name: 'Oidc User' },
    forgeSignature: false,
    emailOnlyInUserinfo: false,
    tokenRequests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') return send(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') return authorize(url, res);
    if (url.pathname === '/token' && req.method === 'POST') return token(req, res);
    if (url.pathname === '/userinfo') {
      const user = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      return user ? send(res, 200, user) : send(res, 401, { error: 'invalid_token' });
    }
    send(res, 404, { error: 'not_found' });
  }

  function authorize(url: URL, res: ServerResponse) {
    const p = url.searchParams;
    const problem =
      p.get('client_id') !== provider.clientId ? 'unknown client' :
      p.get('redirect_uri') !== options.redirectUri ? 'unregistered redirect_uri' :
      p.get('response_type') !== 'code' ? 'response_type must be code' :
      p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge') ? 'PKCE (S256) required' :
      !p.get('scope')?.split(' ').includes('openid') ? 'scope must include openid' : undefined;
    if (problem) return send(res, 400, { error: 'invalid_request', error_description: problem });
    const code = randomBytes(16).toString('hex');
    codes.set(code, { challenge: p.get('code_challenge')!, redirectUri: p.get('redirect_uri')!, user: { ...provider.user } });
    const back = new URL(options.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', p.get('state') ?? '');
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const body = new URLSearchParams(await readBody(req));
    const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    const pending = codes.get(body.get('code') ?? '');
    codes.delete(body.get('code') ?? ''); // a code works once, right or wrong
    const verifier = body.get('code_verifier') ?? '';
    const ok =
      id === provider.clientId && secret === provider.clientSecret &&
      body.get('grant_type') === 'authorization_code' && pending !== undefined &&
      body.get('redirect_uri') === pending.redirectUri &&
      createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
    provider.tokenRequests.push({ grantType: body.get('grant_type'), ok });
    if (!ok || !pending) return send(res, 400, { error: 'invalid_grant' });
    const accessToken = randomBytes(16).toString('hex');
    accessTokens.set(accessToken, pending.user);
    const claims = provider.emailOnlyInUserinfo ? { sub: pending.user.sub, name: pending.user.name } : pending.user;
    const key: CryptoKey = provider.forgeSignature ? rogue.privateKey : privateKey;
    const idToken = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(issuer)
      .setAudience(provider.clientId)
      .setSubject(pending.user.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    send(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken });
  }

  return provider;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
