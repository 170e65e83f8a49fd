import type { AuthDeps } from './auth-deps.ts';

/**
 * What a password change, a password reset and signOutEverywhere take away from whoever else
 * held the account: sessions (but `keepSession`, the one asking), every API token, and pending
 * reset and e-mail-change links. Returns how many sessions and API tokens ended.
 */
export async function revokeCredentials(deps: AuthDeps, userId: string | number, keepSession?: string): Promise<number> {
  // Tokens go first: the cache revocation in invalidateAll must come after every row is gone.
  const apiTokens = await deps.db.authToken.deleteMany({ where: { userId, kind: 'api' } });
  const sessions = await deps.sessions.invalidateAll(userId, keepSession);
  await deps.db.authToken.deleteMany({ where: { userId, kind: { in: ['password_reset', 'email_change'] } } });
  return sessions + apiTokens.count;
}
