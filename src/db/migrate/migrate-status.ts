import { readFileSync } from 'node:fs';
import { providerOf } from '../provider.ts';
import { systemTableFilters } from '../system-tables.ts';
import { checkDrift, type Drift } from './check-drift.ts';
import { failedMigrationSteps } from './migrate-error.ts';
import { assertLockedProvider, migrationList, readMigrations } from './migrations-folder.ts';
import { listTables, migrationsTable, readMigrationRecords } from './migrations-table.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateStatusOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** A provider-specific schema; when given, reports schema changes that no migration contains yet. */
  schemaPath?: string;
  /** Compare the database with what its applied migrations produce (needs a shadow database: CREATEDB on PostgreSQL). @default true */
  checkDatabaseDrift?: boolean;
}

export interface MigrationStatus {
  /** Migration folders, oldest first. */
  migrations: string[];
  hasMigrationsTable: boolean;
  applied: { name: string; finishedAt: Date }[];
  /** In the folder, not yet applied: `cairn migrate deploy` applies them. */
  pending: string[];
  /** Started and not finished (nor rolled back); block every later deploy. */
  failed: { name: string; startedAt: Date; logs: string | null }[];
  /** Applied in the database but missing from the folder. */
  missingLocally: string[];
  /** Applied, but their migration.sql changed since (checksum mismatch). */
  edited: string[];
  /** The database against what its applied migrations produce (tables changed by hand, partial failures). */
  databaseDrift?: Drift;
  /** The schema against what all migrations produce: drifted means `cairn migrate dev` has work to do. */
  schemaDrift?: Drift;
  /** What to do, in order; empty when everything is up to date. */
  nextSteps: string[];
}

/** `prisma migrate status`, plus drift checks. Read-only: takes no lock and changes nothing. */
export async function migrateStatus(options: MigrateStatusOptions): Promise<MigrationStatus> {
  assertLockedProvider(options.migrationsDir, providerOf(options.databaseUrl));
  const migrations = readMigrations(options.migrationsDir).map((m) => m.name);
  const schema = options.schemaPath
    ? { path: options.schemaPath, content: readFileSync(options.schemaPath, 'utf8') }
    : undefined;
  return withMigrationSession({ databaseUrl: options.databaseUrl, schema, lock: false }, async (session) => {
    const tables = await listTables(session);
    const hasMigrationsTable = tables.includes(migrationsTable);
    const records = hasMigrationsTable ? await readMigrationRecords(session) : [];
    // The engine fails with P1014 on a database without the table, so it is asked only when there is one.
    const diagnosis = hasMigrationsTable
      ? await session.engine.diagnoseMigrationHistory({
          migrationsList: migrationList(options.migrationsDir, session.provider),
          optInToShadowDatabase: false,
          filters: systemTableFilters(session.provider),
        })
      : undefined;
    const history = diagnosis?.history ?? null;
    const applied = records.filter((r) => r.finishedAt && !r.rolledBackAt);
    const appliedNames = new Set(applied.map((r) => r.migrationName));
    const status: MigrationStatus = {
      migrations,
      hasMigrationsTable,
      applied: applied.map((r) => ({ name: r.migrationName, finishedAt: r.finishedAt! })),
      pending: !hasMigrationsTable ? migrations : history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : [],
      failed: records
        .filter((r) => (diagnosis?.failedMigrationNames ?? []).includes(r.migrationName) && !r.finishedAt && !r.rolledBackAt)
        .map((r) => ({ name: r.migrationName, startedAt: r.startedAt, logs: r.logs })),
      missingLocally: history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [],
      edited: diagnosis?.editedMigrationNames ?? [],
      nextSteps: [],
    };
    const userTables = tables.filter((t) => t !== migrationsTable);
    if (options.checkDatabaseDrift !== false && (userTables.length || appliedNames.size)) {
      status.databaseDrift = await checkDrift(session, options.migrationsDir, { database: session.schema }, appliedNames);
    }
    if (schema) status.schemaDrift = await checkDrift(session, options.migrationsDir, { schema });
    status.nextSteps = nextSteps(status, userTables.length > 0);
    return status;
  });
}

function nextSteps(status: MigrationStatus, hasTables: boolean): string[] {
  const steps: string[] = [];
  const unmanaged = !status.hasMigrationsTable && hasTables;
  if (unmanaged) {
    steps.push(
      'The database has tables but no migration history: baseline it with `cairn migrate resolve --applied <migration>` ' +
        'for each migration it already contains, or reset a development database with `cairn migrate reset`.',
    );
  }
  for (const failed of status.failed) steps.push(...failedMigrationSteps(failed.name));
  if (status.missingLocally.length) {
    steps.push(`Restore the migration folders applied to this database but missing here (from version control): ${status.missingLocally.join(', ')}.`);
  }
  if (status.edited.length) {
    steps.push(`Restore the applied migrations edited since (${status.edited.join(', ')}); put changes in a new migration instead.`);
  }
  if (status.pending.length && !status.failed.length && !unmanaged) {
    steps.push('Run `cairn migrate deploy` (or `cairn migrate dev` in development) to apply the pending migrations.');
  }
  if (status.databaseDrift?.status === 'drifted') {
    steps.push(
      'The database differs from its migrations (changed by hand, or a partly applied migration): undo the change, or capture it ' +
        'in a migration and mark it applied with `cairn migrate resolve --applied`; `cairn migrate reset` fixes a development database.',
    );
  }
  if (status.schemaDrift?.status === 'drifted') steps.push('schema.prisma has changes no migration contains: run `cairn migrate dev --name <name>`.');
  return steps;
}
