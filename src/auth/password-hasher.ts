import { hash, verify } from '@node-rs/argon2';

/** Hashes and checks passwords; argon2id in production, replaceable in tests (e.g. to count calls). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

/** OWASP's argon2id minimum: 19 MiB of memory, 2 passes, 1 lane. */
export const argon2idOptions = {
  // Algorithm.Argon2id: the package declares it as a const enum, which has no runtime value here.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function createArgon2Hasher(): PasswordHasher {
  return {
    hash: (password) => hash(password, argon2idOptions),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
  };
}
