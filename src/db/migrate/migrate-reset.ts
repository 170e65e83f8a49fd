import { providerOf } from '../provider.ts';
import { applyPendingMigrations, type AppliedMigration } from './apply-migrations.ts';
import { assertLockedProvider } from './migrations-folder.ts';
import { migrationsTable } from './migrations-table.ts';
import type { MigrationSession } from './open-migration-session.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateResetOptions {
  databaseUrl: string;
  migrationsDir: string;
}

/** `prisma migrate reset`: drops every table (all data) and applies all migrations again. */
export async function migrateReset(options: MigrateResetOptions): Promise<AppliedMigration[]> {
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  return withMigrationSession({ databaseUrl: options.databaseUrl, lock: true }, async (session) => {
    if (session.provider === 'sqlite') await dropSqliteSchema(session);
    else await session.engine.reset({ filter: { externalTables: [], externalEnums: [] } });
    return applyPendingMigrations(session, options.migrationsDir);
  });
}

/**
 * On SQLite the wasm engine's `reset` only DELETEs the rows of every table (the native engine
 * deletes the file), so re-applying the first migration would fail on existing tables. Dropping
 * them all is not enough either: `sqlite_sequence` cannot be dropped, and the engine then takes
 * the database for a non-empty one without history (P3005). So the history table is kept, emptied.
 */
async function dropSqliteSchema(session: MigrationSession): Promise<void> {
  const objects = await session.query(
    `SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table')
     AND name NOT IN ('sqlite_sequence', '${migrationsTable}') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
     ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END`,
  );
  const quote = (name: unknown) => `"${String(name).replaceAll('"', '""')}"`;
  const tables = new Set((await session.query("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name));
  await session.execute(
    [
      'PRAGMA foreign_keys = OFF;',
      ...objects.map(({ type, name }) => `DROP ${String(type).toUpperCase()} IF EXISTS ${quote(name)};`),
      tables.has(migrationsTable) ? `DELETE FROM "${migrationsTable}";` : '',
      tables.has('sqlite_sequence') ? 'DELETE FROM sqlite_sequence;' : '',
      'PRAGMA foreign_keys = ON;',
    ].join('\n'),
  );
}
