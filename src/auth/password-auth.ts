import { badInput, conflict, forbidden, unauthenticated } from '../errors.ts';
import type { Viewer } from '../schema/index.ts';
import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { addressKey, addressPolicy } from './create-throttler.ts';
import { normalizeEmail } from './email-address.ts';
import type { EmailVerification } from './email-verification.ts';
import { issueSession } from './issue-session.ts';
import type { PasswordCheck } from './password-check.ts';
import { checkNewPassword, checkOfferedPassword } from './password-policy.ts';
import { revokeCredentials } from './revoke-credentials.ts';
import { parseRoles } from './session-store.ts';
import { assertNotCrossSite } from './request-origin.ts';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null;
}

export type PasswordAuth = ReturnType<typeof createPasswordAuth>;

/** signUp, signIn and changePassword. */
export function createPasswordAuth(deps: AuthDeps, verification: EmailVerification, checkPassword: PasswordCheck) {
  const { db, hasher, throttle, settings } = deps;

  return {
    async signUp(request: Request, input: SignUpInput) {
      assertNotCrossSite(request, settings.trustedOrigins);
      const email = normalizeEmail(input.email);
      checkNewPassword(input.password, email);
      const name = input.name?.trim() || undefined;
      if (name && name.length > 200) throw badInput('name must be at most 200 characters', { field: 'name' });
      const address = clientAddress(request, settings.trustProxy);
      if (address) await throttle.attempt([{ key: `signup:${addressKey(address)}`, policy: addressPolicy }]);
      const passwordHash = await hasher.hash(input.password);
      let user: { id: string | number; roles: string };
      try {
        user = await db.user.create({
          data: { email, passwordHash, ...(name && deps.models.userHasName ? { name } : {}) },
          select: { id: true, roles: true },
        });
      } catch (error) {
        // Documented trade-off: sign-up says the address is taken (the user must learn it somehow);
        // sign-in and password reset never tell, and throttling slows anyone probing this way.
        if ((error as { code?: string }).code === 'P2002') {
          throw conflict('An account with this email already exists; sign in or reset the password.', { field: 'email' });
        }
        throw error;
      }
      await verification.send(user.id, email);
      return issueSession(deps, request, { id: user.id, roles: parseRoles(user.roles) });
    },

    async signIn(request: Request, input: { email: string; password: string }) {
      assertNotCrossSite(request, settings.trustedOrigins);
      checkOfferedPassword(input.password);
      const email = normalizeEmail(input.email);
      const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, roles: true } });
      // Checked (and counted) for unknown e-mails too: same time, same throttle.
      const valid = await checkPassword(request, email, user?.passwordHash, input.password);
      if (!user || !valid) {
        throw unauthenticated('Invalid email or password.');
      }
      return issueSession(deps, request, { id: user.id, roles: parseRoles(user.roles) });
    },

    /**
     * Keeps the current session and ends every other one, every API token and pending links:
     * whoever knew the old password, or took a token with it, is out.
     */
    async changePassword(request: Request, viewer: Viewer, sessionId: string, input: { currentPassword: string; newPassword: string }) {
      checkOfferedPassword(input.currentPassword);
      const user = await db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, passwordHash: true } });
      checkNewPassword(input.newPassword, user.email);
      if (!user.passwordHash) throw badInput('This account has no password yet; set one with requestPasswordReset.');
      if (!(await checkPassword(request, user.email, user.passwordHash, input.currentPassword))) {
        throw forbidden('The current password is incorrect.');
      }
      const passwordHash = await hasher.hash(input.newPassword);
      await db.user.update({ where: { id: viewer.id }, data: { passwordHash }, select: { id: true } });
      await revokeCredentials(deps, viewer.id, sessionId);
      return true;
    },
  };
}
