import type { Viewer } from '../../schema/index.ts';
import type { AuthDeps } from '../auth-deps.ts';
import { normalizeEmail } from '../email-address.ts';
import { parseRoles } from '../session-store.ts';
import type { OAuthProfile } from './oauth-provider.ts';

/** Why an OAuth sign-in could not pick a user; sent back to the app as `?auth_error=<code>`. */
export class OAuthSignInError extends Error {
  readonly code: 'email_required' | 'email_not_verified';
  constructor(code: OAuthSignInError['code']) {
    super(code);
    this.code = code;
  }
}

/**
 * The user an OAuth sign-in stands for: the one already linked to this provider account; else
 * the user with the same e-mail, if the provider verified it; else a new user. A password-less
 * link to an unverified address would let whoever registered it first share the account, so:
 * - an unverified provider e-mail never links to an existing user;
 * - linking to a user whose own address was unverified (someone may have registered it without
 *   owning it: "pre-hijacking") verifies it and removes that password, sessions and API tokens.
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
    await db.$transaction(async (tx) => {
      await tx.account.create({ data: { ...account, userId: existing.id }, select: { id: true } });
      if (!existing.emailVerified) {
        await tx.user.update({ where: { id: existing.id }, data: { emailVerified: true, passwordHash: null }, select: { id: true } });
        await tx.authToken.deleteMany({ where: { userId: existing.id } });
      }
    });
    if (!existing.emailVerified) await deps.sessions.invalidateAll(existing.id);
    return { id: existing.id, roles: parseRoles(existing.roles) };
  }

  const name = deps.models.userHasName && profile.name ? { name: profile.name.slice(0, 200) } : {};
  const user = await db.user.create({
    data: { email, emailVerified: profile.emailVerified, ...name, accounts: { create: account } },
    select: { id: true, roles: true },
  });
  return { id: user.id, roles: parseRoles(user.roles) };
}
