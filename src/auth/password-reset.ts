import { badInput } from '../errors.ts';
import { authEmails } from './auth-emails.ts';
import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { accountKey, addressKey, addressPolicy, usagePolicy } from './create-throttler.ts';
import { normalizeEmail } from './email-address.ts';
import type { OneTimeTokens } from './one-time-tokens.ts';
import { signInRules } from './password-check.ts';
import { checkNewPassword } from './password-policy.ts';
import { revokeCredentials } from './revoke-credentials.ts';

const minutes = 60;
const invalid = 'The reset link is invalid or has expired; request a new one.';

export type PasswordReset = ReturnType<typeof createPasswordReset>;

/** requestPasswordReset / resetPassword. */
export function createPasswordReset(deps: AuthDeps, tokens: OneTimeTokens) {
  const { db, hasher, throttle } = deps;
  return {
    /**
     * Always true, for known and unknown addresses alike (no account enumeration). Counted per
     * address and per client, so nobody can flood one inbox or probe many cheaply. The answer
     * goes out before the account is even looked up: the lookup, the token and the e-mail happen
     * afterwards, so known and unknown addresses take the same time to answer.
     */
    async request(request: Request, rawEmail: string): Promise<boolean> {
      const email = normalizeEmail(rawEmail);
      const address = clientAddress(request, deps.settings.trustProxy);
      await throttle.attempt([
        { key: `reset:${accountKey(email)}`, policy: usagePolicy },
        ...(address ? [{ key: `reset-addr:${addressKey(address)}`, policy: addressPolicy }] : []),
      ]);
      deps.background.run(async () => {
        const user = await db.user.findUnique({ where: { email }, select: { id: true } });
        if (!user) return;
        const token = await tokens.issue('password_reset', user.id, email, minutes * 60_000);
        await deps.mailer.send(authEmails.passwordReset(email, `${deps.settings.publicUrl}/reset-password?token=${token}`, minutes));
      });
      return true;
    },

    /**
     * Sets a new password with a link from requestPasswordReset. The link works once; every
     * session and API token of the user ends, and so do pending e-mail changes (whoever knew the
     * old password is out). A new password the
     * rules reject leaves the link usable.
     */
    async reset(request: Request, token: string, newPassword: string): Promise<boolean> {
      const record = await tokens.find('password_reset', token, invalid);
      const user = await db.user.findUniqueOrThrow({ where: { id: record.userId }, select: { email: true } });
      checkNewPassword(newPassword, user.email);
      const passwordHash = await hasher.hash(newPassword);
      await db.$transaction(async (tx) => {
        const used = await tx.authToken.deleteMany({ where: { id: record.id } });
        if (used.count !== 1) throw badInput(invalid, { field: 'token' });
        // The link reached the inbox, so the address is proven, if it is still the user's.
        const verified = record.email === user.email ? { emailVerified: true } : {};
        await tx.user.update({ where: { id: record.userId }, data: { passwordHash, ...verified }, select: { id: true } });
      });
      await revokeCredentials(deps, record.userId);
      // The owner is back in: the account's failures (and this address's on it) are moot now.
      const rules = signInRules(deps, request, user.email);
      await throttle.reset(rules.account.key);
      await throttle.reset(rules.pair.key);
      return true;
    },
  };
}
