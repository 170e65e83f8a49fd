import { badInput, conflict, forbidden } from '../errors.ts';
import type { Viewer } from '../schema/index.ts';
import { authEmails } from './auth-emails.ts';
import type { AuthDeps } from './auth-deps.ts';
import { usagePolicy } from './create-throttler.ts';
import { normalizeEmail } from './email-address.ts';
import type { OneTimeRecord, OneTimeTokens } from './one-time-tokens.ts';
import type { PasswordCheck } from './password-check.ts';
import { checkOfferedPassword } from './password-policy.ts';

const hours = 24;

export type EmailChange = ReturnType<typeof createEmailChange>;

/**
 * changeEmail: the address of an account changes only once the new address is proven. The
 * request (password re-checked, session only) sends a link to the new address and a notice to
 * the old one; until the link is opened the account keeps its old, verified address, so there is
 * never a moment where an unproven address signs in, resets the password or links an OAuth
 * identity. Opening the link (verifyEmail) swaps the address, marks it verified, drops reset
 * links sent to the old address and tells the old address.
 */
export function createEmailChange(deps: AuthDeps, tokens: OneTimeTokens, checkPassword: PasswordCheck) {
  const { db, throttle } = deps;
  const send = (message: Parameters<AuthDeps['mailer']['send']>[0]) => deps.mailer.send(message).catch(deps.logError);

  return {
    async request(request: Request, viewer: Viewer, input: { newEmail: string; password: string }): Promise<boolean> {
      checkOfferedPassword(input.password);
      const email = normalizeEmail(input.newEmail);
      const user = await db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, passwordHash: true } });
      if (!user.passwordHash) throw badInput('This account has no password yet; set one with requestPasswordReset first.');
      if (email === user.email) throw badInput('newEmail is the address the account has already', { field: 'newEmail' });
      if (!(await checkPassword(request, user.email, user.passwordHash, input.password))) {
        throw forbidden('The password is incorrect.');
      }
      await throttle.attempt([{ key: `email-change:${viewer.id}`, policy: usagePolicy }]);
      // Whether the new address is taken is not told here (that would probe for accounts); the
      // link then fails with CONFLICT, and the new address's owner just gets an e-mail to ignore.
      const token = await tokens.issue('email_change', viewer.id, email, hours * 3600_000);
      send(authEmails.confirmEmailChange(email, `${deps.settings.publicUrl}/verify-email?token=${token}`, hours));
      send(authEmails.emailChangeRequested(user.email, email, hours));
      return true;
    },

    /** Applies a change whose link was opened; `record` is the live email_change token. */
    async apply(record: OneTimeRecord, invalid: string): Promise<boolean> {
      const newEmail = record.email ?? '';
      const user = await db.user.findUniqueOrThrow({ where: { id: record.userId }, select: { email: true } });
      try {
        await db.$transaction(async (tx) => {
          const used = await tx.authToken.deleteMany({ where: { id: record.id } });
          if (used.count !== 1) throw badInput(invalid, { field: 'token' });
          await tx.user.update({ where: { id: record.userId }, data: { email: newEmail, emailVerified: true }, select: { id: true } });
          // Links sent to the old address must not act on the account any more.
          await tx.authToken.deleteMany({ where: { userId: record.userId, kind: { in: ['password_reset', 'email_verification'] } } });
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') {
          throw conflict('Another account uses this e-mail address now; the change was not made.', { field: 'email' });
        }
        throw error;
      }
      send(authEmails.emailChanged(user.email, newEmail));
      return true;
    },
  };
}
