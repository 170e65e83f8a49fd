import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { generateToken } from './random-token.ts';

/** Counter keys: sign-in, changePassword and changeEmail share the account's, so no path guesses faster. */
export const signInKey = (email: string) => `signin:${email}`;

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;

/**
 * Verifies an offered password for the account `email` under the sign-in throttle: RATE_LIMITED
 * while the account is blocked, else true or false (a failure counts against the account).
 * Unknown e-mails and password-less (OAuth-only) users are checked against a dummy hash, so they
 * take as long as a wrong password and timing does not tell which e-mails have accounts.
 */
export function createPasswordCheck(deps: AuthDeps) {
  const { hasher, throttle, settings } = deps;
  const dummyHash = hasher.hash(generateToken());
  dummyHash.catch(() => {});

  return async function checkPassword(request: Request, email: string, hash: string | null | undefined, offered: string): Promise<boolean> {
    const address = clientAddress(request, settings.trustProxy);
    await throttle.account.check(signInKey(email));
    if (address) await throttle.address.check(`signin:${address}`);
    const valid = await hasher.verify(hash ?? (await dummyHash), offered);
    if (!hash || !valid) {
      await throttle.account.hit(signInKey(email));
      if (address) await throttle.address.hit(`signin:${address}`);
      return false;
    }
    await throttle.account.reset(signInKey(email));
    return true;
  };
}
