import type { Builder, Context } from '../../schema/index.ts';
import type { EmailChange } from '../email-change.ts';
import type { EmailVerification } from '../email-verification.ts';
import type { PasswordAuth } from '../password-auth.ts';
import type { PasswordReset } from '../password-reset.ts';
import { requireSession, requireViewer } from '../viewer-guards.ts';

interface Features {
  passwords: PasswordAuth;
  emailChange: EmailChange;
  reset: PasswordReset;
  verification: EmailVerification;
}

/** changePassword, changeEmail, requestPasswordReset, resetPassword, requestEmailVerification, verifyEmail. */
export function registerAccountFields(builder: Builder, { passwords, emailChange, reset, verification }: Features): void {
  builder.mutationFields((t: any) => ({
    changePassword: t.boolean({
      description: 'Sets a new password (needs the current one and a session); every other session ends.',
      args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { currentPassword: string; newPassword: string }, ctx: Context) => {
        const { viewer, sessionId } = requireSession(ctx, 'changePassword');
        return passwords.changePassword(ctx.request, viewer, sessionId, args);
      },
    }),
    changeEmail: t.boolean({
      description:
        'Asks to change the address (needs the password and a session). A link goes to the new address and a notice to the old one; the address changes, verified, when the link is opened (`verifyEmail`), within 24 hours. CONFLICT then if another account took the address meanwhile.',
      args: { newEmail: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { newEmail: string; password: string }, ctx: Context) =>
        emailChange.request(ctx.request, requireSession(ctx, 'changeEmail').viewer, args),
    }),
    requestPasswordReset: t.boolean({
      description: 'E-mails a single-use reset link (valid 1 hour) if an account has this address. Always true: it does not tell whether one does.',
      args: { email: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { email: string }, ctx: Context) => reset.request(ctx.request, args.email),
    }),
    resetPassword: t.boolean({
      description: 'Sets a new password with the token from the reset link; signs the user out everywhere.',
      args: { token: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { token: string; newPassword: string }, ctx: Context) => reset.reset(ctx.request, args.token, args.newPassword),
    }),
    requestEmailVerification: t.boolean({
      description: "E-mails a verification link (valid 24 hours) to the signed-in user's address.",
      resolve: (_root: unknown, _args: unknown, ctx: Context) => verification.request(requireViewer(ctx, 'requestEmailVerification')),
    }),
    verifyEmail: t.boolean({
      description: 'Marks the address verified with the token from a verification link, or applies a `changeEmail` with the token from its link (no sign-in needed).',
      args: { token: t.arg.string({ required: true }) },
      resolve: (_root: unknown, args: { token: string }) => verification.verify(args.token),
    }),
  }));
}
