import type { Viewer } from '../../schema/index.ts';
import type { AuthDeps } from '../auth-deps.ts';
import { normalizeEmail } from '../email-address.ts';
import { parseRoles } from '../session-store.ts';
import type { OAuthProfile } from './oauth-provider.ts';

/** Why an OAuth sign-in could not pick a user; sent back to the app as `?auth_error=<code>`. */
export class OAuthSignInError extends Error {
  readonly code: 'email_required' | 'email_not_verified' | 'account_not_verified';
  constructor(code: OAuthSignInError['code']) {
    super(code);
    this.code = code;
  }
}

/**
 * The user an OAuth sign-in stands for: the one already linked to this provider account; else
 * the user with the same e-mail, when both sides proved the address; else a new user. Linking by
 * e-mail hands the existing account to whoever controls the provider account, so it happens only
 * when the provider vouches for the address (`email_not_verified` otherwise) and the existing
 * account's address was proven to Cairn: a link Cairn sent, a password reset, or the provider that
 * created the account (`account_not_verified` otherwise: someone may have registered the address
 * without owning it, "pre-hijacking"; its owner proves it with a password reset, then links).
 * `emailVerified` is trustworthy for this because only auth writes it and the address
 * (README "Authentication": protected fields, changeEmail).
 */
export async function linkOAuthAccount(deps: AuthDeps, provider: string, profile: OAuthProfile): Promise<Viewer> {
  const { db, now } = deps;
  const key = { provider, providerAccountId: profile.providerAccountId };
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: key },
    select: { user: { select: { id: true, roles: true } } },
  });
  if (linked) return { id: linked.user.id, roles: parseRoles(linked.user.roles) };
  if (!profile.email) throw new OAuthSignInError('email_required');
  const email = normalizeEmail(profile.email);
  const account = { ...key, createdAt: now() };

  const existing = await db.user.findUnique({ where: { email }, select: { id: true, emailVerified: true, roles: true } });
  if (existing) {
    if (!profile.emailVerified) throw new OAuthSignInError('email_not_verified');
    if (!existing.emailVerified) throw new OAuthSignInError('account_not_verified');
    await db.account.create({ data: { ...account, userId: existing.id }, select: { id: true } });
    return { id: existing.id, roles: parseRoles(existing.roles) };
  }

  const name = deps.models.userHasName && profile.name ? { name: profile.name.slice(0, 200) } : {};
  const user = await db.user.create({
    data: { email, emailVerified: profile.emailVerified, ...name, accounts: { create: account } },
    select: { id: true, roles: true },
  });
  return { id: user.id, roles: parseRoles(user.roles) };
}
