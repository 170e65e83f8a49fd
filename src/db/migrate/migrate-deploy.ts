import { providerOf } from '../provider.ts';
import { applyPendingMigrations, type AppliedMigration } from './apply-migrations.ts';
import { assertLockedProvider, readMigrations } from './migrations-folder.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateDeployOptions {
  databaseUrl: string;
  /** The migrations folder, e.g. `prisma/migrations`. */
  migrationsDir: string;
  /** How long to wait for another deploy (Cairn's or Prisma's) to finish. @default 60000 */
  lockTimeoutMs?: number;
}

export interface MigrateDeployResult {
  /** Migration folders found. */
  found: number;
  /** Migrations applied by this run (empty when none were pending). */
  applied: AppliedMigration[];
}

/**
 * Applies pending migrations (`prisma migrate deploy`): never creates migrations, never resets,
 * never looks at the schema. Holds Prisma's migration lock so concurrent deploys apply each
 * migration once; the later one waits, then finds nothing pending.
 */
export async function migrateDeploy(options: MigrateDeployOptions): Promise<MigrateDeployResult> {
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  const found = readMigrations(options.migrationsDir).length;
  const applied = await withMigrationSession({ ...options, lock: true }, (session) =>
    applyPendingMigrations(session, options.migrationsDir),
  );
  return { found, applied };
}
