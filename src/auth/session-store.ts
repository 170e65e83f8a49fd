/** A session as stored: `id` is the SHA-256 of the token the client holds. */
export interface SessionRecord {
  id: string;
  userId: string | number;
  expiresAt: Date;
  createdAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/** The part of a user a session check needs: who, and with which roles. */
export interface SessionUser {
  id: string | number;
  roles: string[];
}

/**
 * Where sessions live. Prisma (the app's Session model) in production; in memory for unit tests.
 * One contract suite (test/auth/session-store.test.ts) runs against every implementation.
 */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session and its user, in one round trip; null when unknown. */
  find(id: string): Promise<{ session: SessionRecord; user: SessionUser } | null>;
  extend(id: string, expiresAt: Date): Promise<void>;
  /** Deletes one session; unknown ids are not an error. */
  delete(id: string): Promise<void>;
  /** Deletes every session of a user but `exceptId`; returns how many went. */
  deleteForUser(userId: string | number, exceptId?: string): Promise<number>;
  /** A user's sessions, newest first (expired ones included until swept). */
  listForUser(userId: string | number): Promise<SessionRecord[]>;
  /** Deletes a user's sessions that expired before `now`. */
  deleteExpired(userId: string | number, now: Date): Promise<void>;
}

/** `roles` as stored ("user,admin"; SQLite has no lists) to a list. */
export const parseRoles = (roles: string): string[] =>
  roles.split(',').map((r) => r.trim()).filter(Boolean);
