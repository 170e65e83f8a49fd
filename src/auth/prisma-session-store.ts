import type { DbClient } from '../db/index.ts';
import { parseRoles, type SessionRecord, type SessionStore } from './session-store.ts';

const columns = { id: true, userId: true, expiresAt: true, createdAt: true, userAgent: true, ip: true } as const;

/** Sessions in the app's `Session` model (validated at boot by resolveAuthModels). */
export function createPrismaSessionStore(db: DbClient): SessionStore {
  return {
    async create(session) {
      await db.session.create({ data: session });
    },
    async find(id) {
      const row = await db.session.findUnique({ where: { id }, select: { ...columns, user: { select: { id: true, roles: true } } } });
      if (!row) return null;
      const { user, ...session } = row;
      return { session: session as SessionRecord, user: { id: user.id, roles: parseRoles(user.roles) } };
    },
    async extend(id, expiresAt) {
      // updateMany: a session revoked a moment ago is not an error here.
      await db.session.updateMany({ where: { id }, data: { expiresAt } });
    },
    async delete(id) {
      await db.session.deleteMany({ where: { id } });
    },
    async deleteForUser(userId, exceptId) {
      const { count } = await db.session.deleteMany({ where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) } });
      return count;
    },
    listForUser: (userId) => db.session.findMany({ where: { userId }, select: columns, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
    async deleteExpired(userId, now) {
      await db.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
    },
  };
}
