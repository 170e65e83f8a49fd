import { providerOf } from '../provider.ts';
import { assertLockedProvider, migrationList } from './migrations-folder.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateResolveOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** Record this migration as applied without running it (it was completed by hand, or baselining). */
  applied?: string;
  /** Record this failed migration as rolled back, so the next deploy runs it again. */
  rolledBack?: string;
}

/** `prisma migrate resolve`: fixes the history after a failed migration or to baseline a database. */
export async function migrateResolve(options: MigrateResolveOptions): Promise<void> {
  if (!options.applied === !options.rolledBack) throw new Error('Pass exactly one of `applied` or `rolledBack`.');
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  await withMigrationSession({ databaseUrl: options.databaseUrl, lock: true }, async (session) => {
    if (options.applied) {
      await session.engine.markMigrationApplied({ migrationName: options.applied, migrationsList: migrationList(options.migrationsDir, session.provider) });
    } else {
      await session.engine.markMigrationRolledBack({ migrationName: options.rolledBack! });
    }
  });
}
