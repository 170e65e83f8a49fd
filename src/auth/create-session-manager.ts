import type { SessionCache } from './create-session-cache.ts';
import { generateToken, hashToken, isTokenShaped } from './random-token.ts';
import type { SessionRecord, SessionStore, SessionUser } from './session-store.ts';

export interface SessionManagerOptions {
  store: SessionStore;
  /** The clock; tests move it to cover expiry and renewal. */
  now: () => Date;
  /** How long a session lives without use. */
  ttlMs: number;
  /** Remembers found sessions for a few seconds; revocations go through it to every instance. @default none */
  cache?: SessionCache;
}

export interface ValidSession {
  session: SessionRecord;
  user: SessionUser;
  /** True when this check extended the session (a cookie should carry the new expiry). */
  renewed: boolean;
}

export type SessionManager = ReturnType<typeof createSessionManager>;

/**
 * Lucia's sessions: a random token goes to the client, only its SHA-256 is stored as the id.
 * A session expires after `ttlMs` without use; a check in the second half of its life extends
 * it to a full `ttlMs` again, so active users stay signed in and the store is written at most
 * about once per half-life.
 */
export function createSessionManager({ store, now, ttlMs, cache }: SessionManagerOptions) {
  return {
    ttlMs,
    cache,

    async create(userId: string | number, meta: { userAgent?: string | null; ip?: string | null } = {}) {
      const token = generateToken();
      const createdAt = now();
      const session: SessionRecord = {
        id: hashToken(token),
        userId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + ttlMs),
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
        ip: meta.ip ?? null,
      };
      await store.create(session);
      await store.deleteExpired(userId, createdAt);
      return { token, session };
    },

    /** The session a token stands for, or null (unknown, malformed, expired: all alike to callers). */
    async validate(token: string): Promise<ValidSession | null> {
      if (!isTokenShaped(token)) return null;
      const id = hashToken(token);
      let found = cache?.get(id);
      if (!found) {
        const generation = cache?.generation() ?? 0;
        const stored = await store.find(id);
        if (!stored) return null;
        // Only a live session is cached (an expired one is deleted below, a forged one was never found).
        if (now().getTime() < stored.session.expiresAt.getTime()) cache?.set(stored, generation);
        found = stored;
      }
      const { session, user } = found;
      const at = now().getTime();
      if (at >= session.expiresAt.getTime()) {
        cache?.forget(session.id);
        await store.delete(session.id);
        return null;
      }
      if (at >= session.expiresAt.getTime() - ttlMs / 2) {
        session.expiresAt = new Date(at + ttlMs);
        await store.extend(session.id, session.expiresAt);
        cache?.renewed(session.id, session.expiresAt);
        return { session, user, renewed: true };
      }
      return { session, user, renewed: false };
    },

    /** Ends one session: deleted from the store, then dropped from every instance's cache. */
    async invalidate(sessionId: string): Promise<void> {
      await store.delete(sessionId);
      await cache?.revokeSession(sessionId);
    },
    /** Ends every session of a user but `exceptId` (every instance drops all of the user's cached ones). */
    async invalidateAll(userId: string | number, exceptId?: string): Promise<number> {
      const count = await store.deleteForUser(userId, exceptId);
      await cache?.revokeUser(userId);
      return count;
    },
    /**
     * The user's roles changed or the user is gone: cached sessions are looked up again (every
     * instance), so the change applies from the next request on.
     */
    revokeUser: async (userId: string | number): Promise<void> => cache?.revokeUser(userId),

    /** A user's live sessions, newest first. */
    async list(userId: string | number): Promise<SessionRecord[]> {
      const at = now();
      return (await store.listForUser(userId)).filter((s) => s.expiresAt > at);
    },
  };
}
