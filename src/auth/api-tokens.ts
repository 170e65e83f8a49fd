import { badInput, notFound } from '../errors.ts';
import type { AuthDeps } from './auth-deps.ts';
import { apiTokenPrefix, generateToken, hashToken, isTokenShaped, publicIdOf } from './random-token.ts';
import { parseRoles, type SessionUser } from './session-store.ts';

/** An API token as its owner sees it; the token itself is shown once, at creation. */
export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const maxPerUser = 50;
const maxNameLength = 100;
/** lastUsedAt is written at most this often, so a busy token does not write on every request. */
const lastUsedPrecisionMs = 3600_000;
const columns = { id: true, name: true, createdAt: true, expiresAt: true, lastUsedAt: true } as const;

/** API tokens share the session cache; their entries are keyed apart from sessions' token hashes. */
export const apiTokenCacheKey = (tokenId: string) => `api:${tokenId}`;
const never = new Date(8.64e15);

type Row = { id: string; name: string | null; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null };
const view = (row: Row): ApiTokenView => ({ ...row, id: publicIdOf(row.id), name: row.name ?? '' });

export type ApiTokens = ReturnType<typeof createApiTokens>;

/**
 * Personal API tokens for server-to-server calls: `cairn_pat_<32 base32>` sent as a bearer
 * token, stored as SHA-256 only, optionally expiring, revocable at once.
 */
export function createApiTokens(deps: AuthDeps) {
  const { db, now } = deps;
  const cache = deps.sessions.cache;
  const rows = (userId: string | number): Promise<Row[]> =>
    db.authToken.findMany({ where: { userId, kind: 'api' }, select: columns, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });

  return {
    async create(userId: string | number, rawName: string, expiresAt?: Date | null) {
      const name = rawName.trim();
      if (!name || name.length > maxNameLength) throw badInput(`name must be 1 to ${maxNameLength} characters`, { field: 'name' });
      if (expiresAt && expiresAt <= now()) throw badInput('expiresAt must be in the future', { field: 'expiresAt' });
      if ((await db.authToken.count({ where: { userId, kind: 'api' } })) >= maxPerUser) {
        throw badInput(`A user can hold at most ${maxPerUser} API tokens; revoke one first.`);
      }
      const token = generateToken(apiTokenPrefix);
      const row = await db.authToken.create({
        data: { id: hashToken(token), kind: 'api', userId, name, expiresAt: expiresAt ?? null, createdAt: now() },
        select: columns,
      });
      return { token, apiToken: view(row) };
    },

    list: async (userId: string | number) => (await rows(userId)).map(view),

    async revoke(userId: string | number, publicId: string): Promise<boolean> {
      const row = (await rows(userId)).find((r) => publicIdOf(r.id) === publicId);
      if (!row) throw notFound('No API token of yours has this id.');
      await db.authToken.deleteMany({ where: { id: row.id } });
      await cache?.revokeSession(apiTokenCacheKey(row.id));
      return true;
    },

    /**
     * The user a bearer API token acts for, or null (malformed, unknown, revoked, expired). A live
     * token is kept in the session cache for a few seconds like a session (under its own key, so a
     * token hash never answers a session lookup); revoking it, a password change and a role
     * change drop it on every instance through the same bus message.
     */
    async validate(token: string): Promise<(SessionUser & { tokenId: string }) | null> {
      if (!isTokenShaped(token, apiTokenPrefix)) return null;
      const tokenId = hashToken(token);
      const cached = cache?.get(apiTokenCacheKey(tokenId));
      if (cached) return { ...cached.user, tokenId };
      const generation = cache?.generation() ?? 0;
      const row = await db.authToken.findUnique({
        where: { id: tokenId },
        select: { id: true, kind: true, expiresAt: true, createdAt: true, lastUsedAt: true, user: { select: { id: true, roles: true } } },
      });
      const at = now();
      if (!row || row.kind !== 'api' || (row.expiresAt && row.expiresAt <= at)) return null;
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > lastUsedPrecisionMs) {
        await db.authToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: at } });
      }
      const user = { id: row.user.id, roles: parseRoles(row.user.roles) };
      // The cache never keeps an entry past `expiresAt`; a token without one lives until revoked.
      const session = { id: apiTokenCacheKey(row.id), userId: user.id, expiresAt: row.expiresAt ?? never, createdAt: row.createdAt, userAgent: null, ip: null };
      cache?.set({ session, user }, generation);
      return { ...user, tokenId: row.id };
    },
  };
}
