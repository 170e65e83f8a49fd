import type { DbClient } from '../db/index.ts';
import type { BackgroundWork } from './background-work.ts';
import type { Viewer } from '../schema/index.ts';
import type { SessionManager } from './create-session-manager.ts';
import type { Throttler } from './create-throttler.ts';
import type { Mailer } from './mailer.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { AuthModels } from './resolve-auth-models.ts';

/** Auth settings normalised once at boot from the config. */
export interface AuthSettings {
  /** PUBLIC_URL without a trailing slash: base of e-mail links and OAuth redirect URIs. */
  publicUrl: string;
  /** Origins whose pages may use the session cookie: PUBLIC_URL's plus CAIRN_ALLOWED_ORIGINS. */
  trustedOrigins: ReadonlySet<string>;
  /** Secure cookies: everywhere except plain-http development and tests. */
  secureCookies: boolean;
  /** Reverse proxies in front of Cairn whose X-Forwarded-For entries are believed (CAIRN_TRUST_PROXY). */
  trustProxy: number;
}

/** Everything the auth operations share; built by createAuth, passed to each feature. */
export interface AuthDeps {
  /** The raw client: auth's own reads and writes are not subject to the app's access rules. */
  db: DbClient;
  /** A client applying the access rules for `viewer` (what a resolver's `ctx.db` would be). */
  clientFor: (viewer: Viewer) => DbClient;
  models: AuthModels;
  settings: AuthSettings;
  now: () => Date;
  hasher: PasswordHasher;
  mailer: Mailer;
  sessions: SessionManager;
  /** Attempt counters (sign-in per account × address, address and account; e-mails sent). */
  throttle: Throttler;
  /** Work done after the answer (what must not show in its timing). */
  background: BackgroundWork;
  /** Where failures that must not fail the request go (an e-mail that could not be sent). */
  logError: (error: unknown) => void;
}
