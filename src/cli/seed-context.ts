import type { Datamodel, DbClient } from '../db/index.ts';

/** A password user the seed created: `password` is the plain text, for the seed to print. */
export interface SeededUser {
  id: string | number;
  email: string;
  roles: string;
  password: string;
}

/**
 * What `cairn seed` passes to the default export of the app's seed script
 * (`export default async function seed({ db, createUser, log }: SeedContext) { … }`).
 */
export interface SeedContext {
  /** The app's Prisma client on DATABASE_URL, without access rules (a seed is trusted code). */
  db: DbClient;
  datamodel: Datamodel;
  /**
   * A user who can sign in with a password, created under signUp's rules (normalised e-mail,
   * password policy, argon2id), e-mail verified. `data` sets the app's own User fields.
   * @default password: a random passphrase, returned so the seed can print it
   */
  createUser(input: { email: string; password?: string; roles?: string[]; data?: Record<string, unknown> }): Promise<SeededUser>;
  /** Prints a line (stdout). */
  log(line: string): void;
}
