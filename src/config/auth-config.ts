import { httpUrl, integer, origins, pair, type Env } from './env-values.ts';

/** An OAuth app's credentials at a provider. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

/** A generic OpenID Connect provider, found through `<issuer>/.well-known/openid-configuration`. */
export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  /** Omitted for public clients (PKCE only). */
  clientSecret?: string;
}

/** The part of the configuration that authentication reads. */
export interface AuthConfig {
  /**
   * `PUBLIC_URL`: where browsers reach this Cairn. Links in e-mails, OAuth redirect URIs
   * (`<PUBLIC_URL>/auth/<provider>/callback`) and the allowed `Origin` derive from it.
   * @default "http://localhost:<PORT>"
   */
  publicUrl: string;
  /**
   * `CAIRN_ALLOWED_ORIGINS`: comma-separated origins, besides PUBLIC_URL's, whose pages may send
   * cookie-authenticated requests and read responses (CORS), e.g. a frontend dev server.
   * @default none
   */
  allowedOrigins: string[];
  /** `SESSION_TTL_DAYS`: a session ends after this many days unused; using it extends it. @default 30 */
  sessionTtlDays: number;
  /**
   * `CAIRN_SESSION_CACHE_MS`: how long a looked-up session is reused in memory (revocations drop it
   * on every instance at once through the event bus); 0 looks every session up. @default 5000
   */
  sessionCacheMs: number;
  /**
   * `SMTP_URL`: e.g. `smtps://user:pass@smtp.example.com:465`. Without it, e-mail goes to an
   * in-memory outbox and the log (development and tests).
   * @default none (outbox)
   */
  smtpUrl?: string;
  /** `MAIL_FROM`: the sender of auth e-mails. @default "Cairn <no-reply@localhost>" */
  mailFrom: string;
  /** `GITHUB_CLIENT_ID` + `GITHUB_CLIENT_SECRET`: enables `/auth/github/start`. @default disabled */
  github?: OAuthClientConfig;
  /** `GOOGLE_CLIENT_ID` + `GOOGLE_CLIENT_SECRET`: enables `/auth/google/start`. @default disabled */
  google?: OAuthClientConfig;
  /**
   * `OIDC_ISSUER` + `OIDC_CLIENT_ID` (+ `OIDC_CLIENT_SECRET` for confidential clients): enables
   * `/auth/oidc/start` against any OpenID Connect provider. @default disabled
   */
  oidc?: OidcClientConfig;
  /**
   * `CAIRN_TRUST_PROXY`: how many reverse proxies in front of Cairn append to `X-Forwarded-For`
   * (`true` = 1, `false` = 0). With N, the client address (throttling, session list) is the N-th
   * entry from the right: the one the outermost trusted proxy appended; entries left of it are
   * whatever the client claimed. 0 uses the socket's peer and ignores the header. @default 0
   */
  trustProxy: number;
  /**
   * `REDIS_URL`: sign-in throttling counters live in this Redis, shared by every instance
   * (`redis://[:password@]host:6379[/db]`, `rediss://` for TLS). @default none (in memory, per instance)
   */
  redisUrl?: string;
}

export function loadAuthConfig(env: Env, port: number): AuthConfig {
  const oidcIssuer = env.OIDC_ISSUER || undefined;
  if (oidcIssuer && !env.OIDC_CLIENT_ID) throw new Error('OIDC_CLIENT_ID must be set when OIDC_ISSUER is');
  if (!oidcIssuer && env.OIDC_CLIENT_ID) throw new Error('OIDC_ISSUER must be set when OIDC_CLIENT_ID is');
  return {
    publicUrl: httpUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`),
    allowedOrigins: origins('CAIRN_ALLOWED_ORIGINS', env.CAIRN_ALLOWED_ORIGINS),
    sessionTtlDays: integer('SESSION_TTL_DAYS', env.SESSION_TTL_DAYS, 30, 1, 3650),
    sessionCacheMs: integer('CAIRN_SESSION_CACHE_MS', env.CAIRN_SESSION_CACHE_MS, 5000, 0, 3_600_000),
    smtpUrl: env.SMTP_URL ? smtpUrl(env.SMTP_URL) : undefined,
    mailFrom: env.MAIL_FROM || 'Cairn <no-reply@localhost>',
    github: pair(env, 'GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'),
    google: pair(env, 'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'),
    oidc: oidcIssuer
      ? { issuer: issuer(oidcIssuer), clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET || undefined }
      : undefined,
    trustProxy: proxyHops(env.CAIRN_TRUST_PROXY),
    redisUrl: env.REDIS_URL ? redisUrl(env.REDIS_URL) : undefined,
  };
}

// Kept as written: an issuer must equal the id_token's `iss` exactly, trailing slash included.
function issuer(raw: string): string {
  httpUrl('OIDC_ISSUER', raw);
  return raw;
}

function smtpUrl(raw: string): string {
  if (!/^smtps?:\/\/[^\s]+$/.test(raw) || !URL.canParse(raw)) {
    throw new Error('SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465 (value not shown)');
  }
  return raw;
}

function proxyHops(raw: string | undefined): number {
  if (raw === undefined || raw === '' || ['0', 'false', 'no'].includes(raw)) return 0;
  if (['true', 'yes'].includes(raw)) return 1;
  return integer('CAIRN_TRUST_PROXY', raw, 0, 0, 10);
}

function redisUrl(raw: string): string {
  if (!/^rediss?:\/\/\S+$/.test(raw) || !URL.canParse(raw)) {
    throw new Error('REDIS_URL must look like redis://host:6379 or rediss://:password@host:6380/0 (value not shown)');
  }
  return raw;
}
