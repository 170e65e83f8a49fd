import type { SessionRecord, SessionStore, SessionUser } from './session-store.ts';

/**
 * Sessions in a Map, for unit tests and experiments: lost on restart and not shared between
 * instances. `userOf` supplies the roles a real store would join in (default: role "user").
 */
export function createMemorySessionStore(
  userOf: (userId: string | number) => SessionUser | undefined = (id) => ({ id, roles: ['user'] }),
): SessionStore {
  const sessions = new Map<string, SessionRecord>();
  const ofUser = (userId: string | number) => [...sessions.values()].filter((s) => s.userId === userId);
  return {
    async create(session) {
      sessions.set(session.id, { ...session });
    },
    async find(id) {
      const session = sessions.get(id);
      const user = session && userOf(session.userId);
      return session && user ? { session: { ...session }, user } : null;
    },
    async extend(id, expiresAt) {
      const session = sessions.get(id);
      if (session) session.expiresAt = expiresAt;
    },
    async delete(id) {
      sessions.delete(id);
    },
    async deleteForUser(userId, exceptId) {
      const doomed = ofUser(userId).filter((s) => s.id !== exceptId);
      for (const s of doomed) sessions.delete(s.id);
      return doomed.length;
    },
    async listForUser(userId) {
      return ofUser(userId)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((s) => ({ ...s }));
    },
    async deleteExpired(userId, now) {
      for (const s of ofUser(userId)) if (s.expiresAt <= now) sessions.delete(s.id);
    },
  };
}
