import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/index.ts';
import type { Datamodel, DbClient } from '../db/index.ts';
import { createMemoryEventBus, type EventBus } from '../events/index.ts';
import type { SchemaExtension, Viewer } from '../schema/index.ts';
import { createApiTokens } from './api-tokens.ts';
import { createBackgroundWork } from './background-work.ts';
import type { AuthDeps, AuthSettings } from './auth-deps.ts';
import { createSessionCache, type SessionCacheSettings } from './create-session-cache.ts';
import { createSessionManager, type SessionManager } from './create-session-manager.ts';
import { createThrottler } from './create-throttler.ts';
import { createViewerResolver } from './create-viewer-resolver.ts';
import { createEmailChange } from './email-change.ts';
import { createEmailVerification } from './email-verification.ts';
import { createOutbox, type Mailer, type Outbox } from './mailer.ts';
import { createOAuthFlow } from './oauth/create-oauth-flow.ts';
import { resolveOAuthProviders } from './oauth/resolve-oauth-providers.ts';
import { useOAuthRoutes } from './oauth/use-oauth-routes.ts';
import { createOneTimeTokens } from './one-time-tokens.ts';
import { createPasswordAuth } from './password-auth.ts';
import { createPasswordCheck } from './password-check.ts';
import { createArgon2Hasher, type PasswordHasher } from './password-hasher.ts';
import { createPasswordReset } from './password-reset.ts';
import { createPrismaSessionStore } from './prisma-session-store.ts';
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';
import { createRedisRateLimitStore } from './redis-rate-limit-store.ts';
import { resolveAuthModels, type AuthModels } from './resolve-auth-models.ts';
import { registerAuthSchema } from './schema/register-auth-schema.ts';
import type { SessionStore } from './session-store.ts';
import { createSmtpMailer } from './smtp-mailer.ts';
import { useClientAddress } from './use-client-address.ts';
import { useSessionCookies } from './use-session-cookies.ts';

/**
 * What auth alone writes: an address changes only through changeEmail (re-verified), its proof
 * only through a link or a provider, roles only through setUserRoles. Writable through the
 * generic API, `updateUser(data: { email })` would keep `emailVerified` and take over the
 * address (and then OAuth identities and password resets) without proof.
 */
export const protectedUserFields = ['email', 'emailVerified', 'roles', 'passwordHash'] as const;

/** Parts tests (and embedders) may replace; each has a production default. */
export interface AuthOverrides {
  /** The clock; tests move it to cover expiry and renewal. @default () => new Date() */
  now?: () => Date;
  /** @default argon2id with OWASP's parameters */
  passwordHasher?: PasswordHasher;
  /** @default SMTP when SMTP_URL is set, else an in-memory outbox */
  mailer?: Mailer;
  /** Attempt counters for throttling. @default Redis when REDIS_URL is set, else in memory (one instance) */
  rateLimitStore?: RateLimitStore;
  /** @default the app's Session model through Prisma */
  sessionStore?: SessionStore;
  /**
   * The in-process cache of looked-up sessions (revoked on every instance through the event bus);
   * `false` looks every session up in the store. @default { ttlMs: 5000, maxEntries: 10000 }
   */
  sessionCache?: SessionCacheSettings | false;
}

export interface AuthOptions extends AuthOverrides {
  config: Readonly<Config>;
  db: DbClient;
  /** The full datamodel (hidden models included): where the auth models are found. */
  datamodel: Datamodel;
  /**
   * A client that applies the access rules for `viewer`: the payload of signUp/signIn is read as
   * the user who just signed in. @default the raw client
   */
  clientFor?: (viewer: Viewer) => DbClient;
  logError?: (error: unknown) => void;
  /** Where boot warnings go (e.g. production without SMTP_URL). @default console.warn */
  warn?: (message: string) => void;
  /** Carries session revocations between instances (the app's bus). @default in-process */
  bus?: EventBus;
}

/** Authentication as the rest of the app sees it. */
export interface Auth {
  models: AuthModels;
  /** For createContextFactory: the viewer of an HTTP request or a WebSocket operation. */
  resolveViewer(request: Request, connectionParams?: Record<string, unknown>): Promise<Viewer | null>;
  /** For buildSchema: the auth queries and mutations. */
  extendSchema: SchemaExtension;
  /**
   * For buildSchema: the User fields only auth's own flows write (signUp, changeEmail,
   * verifyEmail, setUserRoles), left out of the generated create/update inputs.
   */
  readOnlyFields: Readonly<Record<string, readonly string[]>>;
  /** Yoga plugins, listed one by one in createCairnYoga. */
  plugins: { clientAddress: Plugin; sessionCookies: Plugin; oauthRoutes: Plugin };
  /** Origins allowed to use the session cookie cross-origin (CORS). */
  trustedOrigins: string[];
  /** The e-mails "sent" while no SMTP_URL is set (development, tests); null with SMTP. */
  outbox: Outbox | null;
  sessions: SessionManager;
  /** Resolves when the work auth does after answering (password-reset e-mails) is done. */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Builds auth for an app whose schema declares the auth models; null when it declares none (the
 * API is then served without sign-in). Misdeclared models are a boot error listing every gap.
 */
export function createAuth(options: AuthOptions): Auth | null {
  const models = resolveAuthModels(options.datamodel);
  if (!models) return null;
  const { config, db } = options;
  const now = options.now ?? (() => new Date());
  const settings: AuthSettings = {
    publicUrl: config.publicUrl,
    trustedOrigins: new Set([new URL(config.publicUrl).origin, ...config.allowedOrigins]),
    secureCookies: config.env === 'production' || config.publicUrl.startsWith('https:'),
    trustProxy: config.trustProxy,
  };
  const smtp = !options.mailer && config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined;
  const outbox = options.mailer || smtp ? null : createOutbox({ log: config.env === 'development' ? console.info : undefined });
  if (outbox && config.env === 'production') {
    (options.warn ?? console.warn)('SMTP_URL is not set: password-reset and verification e-mails stay in memory and are never sent.');
  }
  const rateLimits =
    options.rateLimitStore ??
    (config.redisUrl ? createRedisRateLimitStore({ url: config.redisUrl, prefix: `${config.redisPrefix}throttle:` }) : createMemoryRateLimitStore({ now: () => now().getTime() }));
  const logError = options.logError ?? console.error;
  const ownBus = options.bus ? undefined : createMemoryEventBus();
  const sessionCache =
    options.sessionCache === false || (options.sessionCache === undefined && config.sessionCacheMs === 0)
      ? undefined
      : createSessionCache({ ttlMs: config.sessionCacheMs, ...options.sessionCache, bus: options.bus ?? ownBus!, now, logError });
  const deps: AuthDeps = {
    db,
    clientFor: options.clientFor ?? (() => db),
    models,
    settings,
    now,
    hasher: options.passwordHasher ?? createArgon2Hasher(),
    mailer: options.mailer ?? smtp ?? outbox!,
    sessions: createSessionManager({
      store: options.sessionStore ?? createPrismaSessionStore(db),
      now,
      ttlMs: config.sessionTtlDays * 24 * 3600_000,
      cache: sessionCache,
    }),
    throttle: createThrottler(rateLimits, now),
    logError: options.logError ?? console.error,
    background: createBackgroundWork(options.logError ?? console.error),
  };
  const tokens = createOneTimeTokens(deps);
  const checkPassword = createPasswordCheck(deps);
  const emailChange = createEmailChange(deps, tokens, checkPassword);
  const verification = createEmailVerification(deps, tokens, emailChange);
  const features = {
    deps,
    passwords: createPasswordAuth(deps, verification, checkPassword),
    emailChange,
    reset: createPasswordReset(deps, tokens),
    verification,
    apiTokens: createApiTokens(deps),
  };
  const providers = resolveOAuthProviders(config, settings.publicUrl);
  return {
    models,
    resolveViewer: createViewerResolver(deps, features.apiTokens),
    extendSchema: (builder) => registerAuthSchema(builder, features),
    readOnlyFields: { User: protectedUserFields },
    plugins: {
      clientAddress: useClientAddress({ trustProxy: settings.trustProxy, warn: options.warn ?? console.warn }),
      sessionCookies: useSessionCookies(),
      oauthRoutes: useOAuthRoutes(createOAuthFlow(deps, providers), providers),
    },
    trustedOrigins: [...settings.trustedOrigins],
    outbox,
    sessions: deps.sessions,
    settled: () => deps.background.settled(),
    close: () => {
      smtp?.close();
      sessionCache?.close().then(() => ownBus?.close()).catch(logError);
      // A store passed in belongs to the caller.
      if (!options.rateLimitStore) rateLimits.close().catch(deps.logError);
    },
  };
}
