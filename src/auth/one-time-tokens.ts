import { badInput } from '../errors.ts';
import type { AuthDeps } from './auth-deps.ts';
import { generateToken, hashToken, isTokenShaped } from './random-token.ts';

/** Kinds of AuthToken rows that a link in an e-mail redeems once. */
export type OneTimeKind = 'password_reset' | 'email_verification' | 'email_change';

export interface OneTimeRecord {
  id: string;
  kind: OneTimeKind;
  userId: string | number;
  email: string | null;
}

/**
 * Issues and looks up single-use tokens. Issuing replaces the user's earlier tokens of the same
 * kind (only the newest link works); the caller redeems by deleting the row inside its transaction.
 */
export function createOneTimeTokens(deps: AuthDeps) {
  const { db, now } = deps;
  return {
    async issue(kind: OneTimeKind, userId: string | number, email: string, ttlMs: number): Promise<string> {
      const token = generateToken();
      const createdAt = now();
      await db.authToken.deleteMany({ where: { userId, kind } });
      await db.authToken.create({
        data: { id: hashToken(token), kind, userId, email, createdAt, expiresAt: new Date(createdAt.getTime() + ttlMs) },
        select: { id: true },
      });
      return token;
    },

    /** The live record for `token`, or BAD_USER_INPUT with `invalid` (unknown, used, expired, other kind: alike). */
    async find(kinds: OneTimeKind | readonly OneTimeKind[], token: string, invalid: string): Promise<OneTimeRecord> {
      const accepted: readonly string[] = typeof kinds === 'string' ? [kinds] : kinds;
      if (!isTokenShaped(token)) throw badInput(invalid, { field: 'token' });
      const row = await db.authToken.findUnique({
        where: { id: hashToken(token) },
        select: { id: true, kind: true, userId: true, email: true, expiresAt: true },
      });
      if (!row || !accepted.includes(row.kind) || !row.expiresAt || row.expiresAt <= now()) throw badInput(invalid, { field: 'token' });
      return { id: row.id, kind: row.kind as OneTimeKind, userId: row.userId, email: row.email };
    },
  };
}

export type OneTimeTokens = ReturnType<typeof createOneTimeTokens>;
