import { badInput, conflict, forbidden, unauthenticated } from '../errors.ts';
import type { Viewer } from '../schema/index.ts';
import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { normalizeEmail } from './email-address.ts';
import type { EmailVerification } from './email-verification.ts';
import { issueSession } from './issue-session.ts';
import { checkNewPassword, checkOfferedPassword } from './password-policy.ts';
import { generateToken } from './random-token.ts';
import { parseRoles } from './session-store.ts';
import { assertNotCrossSite } from './request-origin.ts';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null;
}

/** Counter keys: sign-in and change-password share the account's, so neither path guesses faster. */
export const signInKey = (email: string) => `signin:${email}`;

export type PasswordAuth = ReturnType<typeof createPasswordAuth>;

/** signUp, signIn and changePassword. */
export function createPasswordAuth(deps: AuthDeps, verification: EmailVerification) {
  const { db, hasher, throttle, settings } = deps;
  // Unknown e-mails and password-less (OAuth-only) users are checked against this, so they take
  // as long as a wrong password and timing does not tell which e-mails have accounts.
  const dummyHash = hasher.hash(generateToken());
  dummyHash.catch(() => {});

  return {
    async signUp(request: Request, input: SignUpInput) {
      assertNotCrossSite(request, settings.trustedOrigins);
      const email = normalizeEmail(input.email);
      checkNewPassword(input.password, email);
      const name = input.name?.trim() || undefined;
      if (name && name.length > 200) throw badInput('name must be at most 200 characters', { field: 'name' });
      const address = clientAddress(request, settings.trustProxy);
      if (address) {
        await throttle.address.check(`signup:${address}`);
        await throttle.address.hit(`signup:${address}`);
      }
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
      const address = clientAddress(request, settings.trustProxy);
      await throttle.account.check(signInKey(email));
      if (address) await throttle.address.check(`signin:${address}`);
      const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, roles: true } });
      const valid = await hasher.verify(user?.passwordHash ?? (await dummyHash), input.password);
      if (!user?.passwordHash || !valid) {
        await throttle.account.hit(signInKey(email));
        if (address) await throttle.address.hit(`signin:${address}`);
        throw unauthenticated('Invalid email or password.');
      }
      await throttle.account.reset(signInKey(email));
      return issueSession(deps, request, { id: user.id, roles: parseRoles(user.roles) });
    },

    /** Keeps the current session and ends every other one: whoever knew the old password is out. */
    async changePassword(viewer: Viewer, sessionId: string, input: { currentPassword: string; newPassword: string }) {
      checkOfferedPassword(input.currentPassword);
      const user = await db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true, passwordHash: true } });
      checkNewPassword(input.newPassword, user.email);
      if (!user.passwordHash) throw badInput('This account has no password yet; set one with requestPasswordReset.');
      await throttle.account.check(signInKey(user.email));
      if (!(await hasher.verify(user.passwordHash, input.currentPassword))) {
        await throttle.account.hit(signInKey(user.email));
        throw forbidden('The current password is incorrect.');
      }
      const passwordHash = await hasher.hash(input.newPassword);
      await db.user.update({ where: { id: viewer.id }, data: { passwordHash }, select: { id: true } });
      await throttle.account.reset(signInKey(user.email));
      await deps.sessions.invalidateAll(viewer.id, sessionId);
      return true;
    },
  };
}
