import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerOf } from '../provider.ts';
import { applyPendingMigrations, type AppliedMigration } from './apply-migrations.ts';
import { assertLockedProvider, migrationList, readMigrations } from './migrations-folder.ts';
import { listTables, migrationsTable } from './migrations-table.ts';
import type { MigrationSession } from './open-migration-session.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateResetOptions {
  databaseUrl: string;
  migrationsDir: string;
}

/** What a reset destroys and rebuilds, for the person to read before saying yes. */
export interface ResetPlan {
  /** Every table that will be dropped, with its row count (the history table included). */
  tables: { name: string; rows: number }[];
  /** The migrations that will be applied afterwards. */
  migrations: string[];
}

/** Lists what `migrateReset` would drop and apply, without changing anything. */
export async function planReset(options: MigrateResetOptions): Promise<ResetPlan> {
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  const tables = await withMigrationSession({ databaseUrl: options.databaseUrl, lock: false }, async (session) => {
    const names = await listTables(session);
    const counted = [];
    for (const name of names) {
      const [row] = await session.query(`SELECT COUNT(*) AS n FROM "${name.replaceAll('"', '""')}"`);
      counted.push({ name, rows: Number(row?.n ?? 0) });
    }
    return counted;
  });
  return { tables, migrations: readMigrations(options.migrationsDir).map((m) => m.name) };
}

/**
 * `prisma migrate reset`: drops every table (all data) and applies all migrations again. Works on
 * any database: one with a migration history, one made by `db push` (no history), an empty one.
 */
export async function migrateReset(options: MigrateResetOptions): Promise<AppliedMigration[]> {
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  const historyTable = providerOf(options.databaseUrl) === 'sqlite' ? await sqliteHistoryTableDdl() : undefined;
  return withMigrationSession({ databaseUrl: options.databaseUrl, lock: true }, async (session) => {
    if (session.provider === 'sqlite') await dropSqliteSchema(session, historyTable!);
    else await session.engine.reset({ filter: { externalTables: [], externalEnums: [] } });
    return applyPendingMigrations(session, options.migrationsDir);
  });
}

/**
 * On SQLite the wasm engine's `reset` only DELETEs the rows of every table (the native engine
 * deletes the file), so re-applying the first migration would fail on existing tables. Dropping
 * them all is not enough either: `sqlite_sequence` cannot be dropped, and the engine then takes
 * the database for a non-empty one without history (P3005) — the state a pushed database is left
 * in. So the history table is kept, emptied, or created as the engine would create it.
 */
async function dropSqliteSchema(session: MigrationSession, historyTableDdl: string): Promise<void> {
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
      tables.has(migrationsTable) ? `DELETE FROM "${migrationsTable}";` : tables.has('sqlite_sequence') ? `${historyTableDdl};` : '',
      tables.has('sqlite_sequence') ? 'DELETE FROM sqlite_sequence;' : '',
      'PRAGMA foreign_keys = ON;',
    ].join('\n'),
  );
}

let historyDdl: Promise<string> | undefined;

/** `CREATE TABLE "_prisma_migrations" …` exactly as the engine writes it, taken from a scratch database. */
function sqliteHistoryTableDdl(): Promise<string> {
  historyDdl ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-history-'));
    try {
      return await withMigrationSession({ databaseUrl: `file:${join(dir, 'scratch.db')}`, lock: false }, async (session) => {
        await session.engine.applyMigrations({ migrationsList: migrationList(join(dir, 'none'), 'sqlite'), filters: { externalTables: [], externalEnums: [] } });
        const [row] = await session.query(`SELECT sql FROM sqlite_master WHERE name = '${migrationsTable}'`);
        return String(row!.sql);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return historyDdl;
}
