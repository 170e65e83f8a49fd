import type { MigrationSession } from './open-migration-session.ts';

export const migrationsTable = '_prisma_migrations';

/** A row of `_prisma_migrations`, as Prisma writes it. */
export interface MigrationRecord {
  id: string;
  checksum: string;
  migrationName: string;
  startedAt: Date;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
  appliedStepsCount: number;
}

/** Tables in the database (PostgreSQL: in the current schema), without SQLite's internal ones. */
export async function listTables(session: MigrationSession): Promise<string[]> {
  const sql =
    session.provider === 'postgresql'
      ? `SELECT table_name::text AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`;
  return (await session.query(sql)).map((row) => String(row.name));
}

/**
 * The migration history, oldest first. Read directly because the wasm engine fails with P1014
 * (instead of "no history yet") when asked to diagnose a database without this table.
 */
export async function readMigrationRecords(session: MigrationSession): Promise<MigrationRecord[]> {
  const text = (column: string) => (session.provider === 'postgresql' ? `${column}::text` : column);
  const rows = await session.query(
    `SELECT id, checksum, migration_name, ${text('started_at')} AS started_at, ${text('finished_at')} AS finished_at,
     ${text('rolled_back_at')} AS rolled_back_at, logs, applied_steps_count FROM "${migrationsTable}" ORDER BY started_at`,
  );
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(String(value)));
  return rows.map((row) => ({
    id: String(row.id),
    checksum: String(row.checksum),
    migrationName: String(row.migration_name),
    startedAt: date(row.started_at)!,
    finishedAt: date(row.finished_at),
    rolledBackAt: date(row.rolled_back_at),
    logs: row.logs === null ? null : String(row.logs),
    appliedStepsCount: Number(row.applied_steps_count),
  }));
}
