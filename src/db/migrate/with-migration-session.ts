import { acquireMigrationLock, serializeByDatabase } from './migration-lock.ts';
import { openMigrationSession, type MigrationSession, type MigrationSessionOptions } from './open-migration-session.ts';

export interface LockOptions {
  /** Take the migration lock (PostgreSQL advisory lock / SQLite exclusive lock) for the whole run. */
  lock: boolean;
  /** How long to wait for another migration run to release the lock. @default 60000 */
  lockTimeoutMs?: number;
}

/** Opens a session (one at a time per database in this process), optionally locked, and always closes it. */
export function withMigrationSession<T>(
  options: MigrationSessionOptions & LockOptions,
  run: (session: MigrationSession) => Promise<T>,
): Promise<T> {
  return serializeByDatabase(options.databaseUrl, async () => {
    const session = await openMigrationSession(options);
    try {
      if (options.lock) await acquireMigrationLock(session, options.lockTimeoutMs ?? 60_000);
      return await run(session);
    } catch (error) {
      throw session.explain(error);
    } finally {
      await session.close();
    }
  });
}
