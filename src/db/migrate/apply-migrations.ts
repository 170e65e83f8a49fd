import type { MigrationSession } from './open-migration-session.ts';
import { failedMigrationSteps, MigrateError } from './migrate-error.ts';
import { migrationList, readMigrations } from './migrations-folder.ts';
import { summarizeMigration, type SchemaChange } from './summarize-migration.ts';
import { systemTableFilters } from '../system-tables.ts';

/** A migration applied by this run, with what its SQL changed. */
export interface AppliedMigration {
  name: string;
  changes: SchemaChange[];
}

/**
 * Applies the pending migrations through the engine, which records each in `_prisma_migrations`
 * (creating the table on first use) exactly as `prisma migrate deploy` does, and stops at the first
 * failure, leaving that row with `finished_at` NULL and the database error in `logs`.
 */
export async function applyPendingMigrations(session: MigrationSession, migrationsDir: string): Promise<AppliedMigration[]> {
  let names: string[];
  try {
    ({ appliedMigrationNames: names } = await session.engine.applyMigrations({
      migrationsList: migrationList(migrationsDir, session.provider),
      filters: systemTableFilters(session.provider),
    }));
  } catch (error) {
    // The wasm engine raises the bare database error; the failing migration is only named in its span trace.
    const failed = /apply_script\s+with migration_name="([^"]+)"/.exec((error as Error).message ?? '')?.[1];
    throw translateApplyError(session.explain(error), failed);
  }
  const onDisk = new Map(readMigrations(migrationsDir).map((m) => [m.name, m.sql ?? '']));
  return names.map((name) => ({ name, changes: summarizeMigration(onDisk.get(name) ?? '') }));
}

function translateApplyError(error: Error & { code?: string }, failed: string | undefined): Error {
  if (failed) {
    const dbError = error.message.replace(/^external connector error\s*/, '').replace(/^Error querying the database: /, '');
    return new MigrateError('P3018', `Migration ${failed} failed to apply:\n  ${dbError}`, failedMigrationSteps(failed), {
      migrationName: failed,
    });
  }
  const name = /`([^`]+)` migration/.exec(error.message)?.[1];
  if (error.code === 'P3009' && name) {
    return new MigrateError('P3009', `Migration ${name} failed in an earlier run; no migration is applied until it is resolved.`,
      failedMigrationSteps(name), { migrationName: name });
  }
  if (error.code === 'P3005') {
    return new MigrateError('P3005', 'The database already has tables but no migration history (_prisma_migrations).', [
      'On a development database: `cairn migrate reset` (drops all data) then `cairn migrate dev`.',
      'To adopt an existing database (baseline): create the first migration so it matches the current tables, then `cairn migrate resolve --applied <that migration>`.',
    ]);
  }
  return error;
}
