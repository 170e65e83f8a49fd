import { badInput } from '../errors.ts';
import type { Viewer } from '../schema/index.ts';
import { authEmails } from './auth-emails.ts';
import type { AuthDeps } from './auth-deps.ts';
import { usagePolicy } from './create-throttler.ts';
import type { EmailChange } from './email-change.ts';
import type { OneTimeTokens } from './one-time-tokens.ts';

const hours = 24;
const invalid = 'The verification link is invalid or has expired; request a new one.';

export type EmailVerification = ReturnType<typeof createEmailVerification>;

/** requestEmailVerification / verifyEmail, and the e-mail sign-up sends. */
export function createEmailVerification(deps: AuthDeps, tokens: OneTimeTokens, emailChange: EmailChange) {
  const { db, throttle } = deps;

  /** Sends a verification link. Mail trouble is logged, not thrown: the account exists either way. */
  async function send(userId: string | number, email: string): Promise<void> {
    try {
      const token = await tokens.issue('email_verification', userId, email, hours * 3600_000);
      const link = `${deps.settings.publicUrl}/verify-email?token=${token}`;
      // Not awaited: an SMTP round trip must not hold up (or time) the request.
      deps.mailer.send(authEmails.verifyEmail(email, link, hours)).catch(deps.logError);
    } catch (error) {
      deps.logError(error);
    }
  }

  return {
    send,

    /** True once a link is on its way, or when the address is verified already. */
    async request(viewer: Viewer): Promise<boolean> {
      const user = await db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, emailVerified: true } });
      if (user.emailVerified) return true;
      await throttle.attempt([{ key: `verify:${viewer.id}`, policy: usagePolicy }]);
      await send(viewer.id, user.email);
      return true;
    },

    /**
     * Marks the address verified, or applies a changeEmail whose link this is (the same link page
     * serves both). The link proves only the address it was sent to.
     */
    async verify(token: string): Promise<boolean> {
      const record = await tokens.find(['email_verification', 'email_change'], token, invalid);
      if (record.kind === 'email_change') return emailChange.apply(record, invalid);
      await db.$transaction(async (tx) => {
        // Deleting first makes the token single-use even when two requests race with it.
        const used = await tx.authToken.deleteMany({ where: { id: record.id } });
        const user = await tx.user.updateMany({ where: { id: record.userId, email: record.email ?? '' }, data: { emailVerified: true } });
        if (used.count !== 1 || user.count !== 1) throw badInput(invalid, { field: 'token' });
      });
      return true;
    },
  };
}
