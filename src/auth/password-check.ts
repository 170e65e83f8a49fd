import type { AuthDeps } from './auth-deps.ts';
import { clientAddress } from './client-address.ts';
import { accountKey, accountPolicy, addressKey, addressPolicy, knownPairMs, pairPolicy } from './create-throttler.ts';
import { generateToken } from './random-token.ts';

/**
 * The sign-in counters of `email` from `request`'s address: the pair (this account from this
 * address), the address (any account), the account (any address), and the mark a successful
 * sign-in leaves on the pair.
 */
export function signInRules(deps: AuthDeps, request: Request, email: string) {
  const raw = clientAddress(request, deps.settings.trustProxy);
  const address = addressKey(raw);
  const account = accountKey(email);
  return {
    pair: { key: `signin:pair:${account}|${address}`, policy: pairPolicy },
    // A call without any address (in-process, not over HTTP) has no address to throttle.
    address: raw ? { key: `signin:addr:${address}`, policy: addressPolicy } : undefined,
    account: { key: `signin:acct:${account}`, policy: accountPolicy },
    known: `signin:known:${account}|${address}`,
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;

/**
 * Verifies an offered password for the account `email` under the sign-in throttle (signIn,
 * changePassword and changeEmail share it, so no path guesses faster): RATE_LIMITED while a
 * counter is blocked, else true or false.
 *
 * Every attempt is counted before the hash is checked, in one atomic step, so a burst of
 * concurrent guesses cannot all pass. A wrong password from one address blocks that account from
 * that address only; the owner elsewhere is not locked out. The address counter (spraying many
 * accounts) and the account counter (many addresses at one account) are skipped for a pair that
 * signed in before (within 30 days): an attacker sharing an address (NAT, a proxy without
 * CAIRN_TRUST_PROXY) or a botnet cannot lock out users who signed in from there. A success
 * clears the pair, gives back what it was charged on the others, and marks the pair known.
 *
 * Unknown e-mails and password-less (OAuth-only) users are checked against a dummy hash, so they
 * take as long as a wrong password and timing does not tell which e-mails have accounts.
 */
export function createPasswordCheck(deps: AuthDeps) {
  const { hasher, throttle } = deps;
  const dummyHash = hasher.hash(generateToken());
  dummyHash.catch(() => {});

  return async function checkPassword(request: Request, email: string, hash: string | null | undefined, offered: string): Promise<boolean> {
    const rules = signInRules(deps, request, email);
    const wide = (await throttle.has(rules.known)) ? [] : [rules.address, rules.account].filter((rule) => rule !== undefined);
    await throttle.attempt([rules.pair, ...wide]);
    const valid = await hasher.verify(hash ?? (await dummyHash), offered);
    if (!hash || !valid) return false;
    await throttle.reset(rules.pair.key);
    for (const rule of wide) await throttle.refund(rule);
    await throttle.remember(rules.known, knownPairMs);
    return true;
  };
}
