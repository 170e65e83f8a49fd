import type { Datamodel, DbClient } from '../db/index.ts';
import { conflict } from '../errors.ts';
import { normalizeEmail } from './email-address.ts';
import { createArgon2Hasher, type PasswordHasher } from './password-hasher.ts';
import { checkNewPassword } from './password-policy.ts';
import { resolveAuthModels } from './resolve-auth-models.ts';

export interface CreatePasswordUserOptions {
  db: DbClient;
  datamodel: Datamodel;
  email: string;
  password: string;
  /** @default ["user"] */
  roles?: string[];
  /** @default argon2id */
  hasher?: PasswordHasher;
}

/**
 * Creates a user with a password outside any request (`cairn users:create`), under the same
 * rules as signUp. The address counts as verified: the operator vouches for it.
 */
export async function createPasswordUser(options: CreatePasswordUserOptions): Promise<{ id: string | number; email: string; roles: string }> {
  if (!resolveAuthModels(options.datamodel)) {
    throw new Error('This schema declares no auth models (User.passwordHash, Session, Account, AuthToken); see README "Auth".');
  }
  const email = normalizeEmail(options.email);
  checkNewPassword(options.password, email);
  const passwordHash = await (options.hasher ?? createArgon2Hasher()).hash(options.password);
  const roles = [...new Set(options.roles ?? ['user'])].join(',');
  try {
    return await options.db.user.create({
      data: { email, passwordHash, roles, emailVerified: true },
      select: { id: true, email: true, roles: true },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw conflict(`A user with the e-mail ${email} exists already.`);
    throw error;
  }
}
