import { sqliteFilePath } from '../provider.ts';
import { resolve } from 'node:path';
import type { MigrationSession } from './open-migration-session.ts';

/** The advisory lock id `prisma migrate` takes on PostgreSQL, so Cairn and Prisma exclude each other. */
export const prismaAdvisoryLockId = 72707369;

/**
 * Takes the migration lock on the session's own connection and keeps it until `session.close()`.
 * PostgreSQL: `pg_advisory_lock(72707369)`, session-level and re-entrant, so the engine's own
 * `pg_advisory_lock` on the same connection passes straight through. SQLite: an exclusive file lock
 * held by `locking_mode=EXCLUSIVE` (what the engine switches to itself), so a second process waits
 * for the first to finish, then finds nothing left to apply.
 */
export async function acquireMigrationLock(session: MigrationSession, timeoutMs: number): Promise<void> {
  const ms = Math.max(1, Math.round(timeoutMs));
  try {
    if (session.provider === 'postgresql') {
      await session.execute(`SET lock_timeout = ${ms}`);
      try {
        await session.execute(`SELECT pg_advisory_lock(${prismaAdvisoryLockId})`);
      } finally {
        await session.execute('RESET lock_timeout');
      }
    } else {
      await session.execute(`PRAGMA busy_timeout = ${ms}`);
      // Wait in NORMAL locking mode, so a waiter gives its SHARED lock back between retries: two
      // deploys waiting in EXCLUSIVE mode each kept theirs and blocked each other until the busy
      // timeout. Inside the transaction switch to EXCLUSIVE, so COMMIT keeps the lock held.
      await session.execute('BEGIN EXCLUSIVE; PRAGMA locking_mode = EXCLUSIVE; COMMIT;');
    }
  } catch (error) {
    throw new Error(
      `Could not take the migration lock within ${ms} ms: another \`cairn migrate\` or \`prisma migrate\` ` +
        `(or, on SQLite, the running app) holds the database. (${(error as Error).message})`,
    );
  }
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs migration work for one database one at a time within this process. SQLite's busy wait is
 * synchronous (it would block the event loop the lock holder needs), so waiting happens here.
 */
export function serializeByDatabase<T>(databaseUrl: string, run: () => Promise<T>): Promise<T> {
  const key = databaseUrl.startsWith('file:') ? `file:${resolve(sqliteFilePath(databaseUrl))}` : databaseUrl;
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(run);
  const settled = next.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => queues.get(key) === settled && queues.delete(key));
  return next;
}
