import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerOf } from '../provider.ts';
import { systemTableFilters } from '../system-tables.ts';
import { applyPendingMigrations, type AppliedMigration } from './apply-migrations.ts';
import { MigrateError } from './migrate-error.ts';
import { nextMigrationName, slugifyMigrationName } from './migration-name.ts';
import { assertLockedProvider, migrationList, readMigrations, writeMigration } from './migrations-folder.ts';
import { listTables, migrationsTable } from './migrations-table.ts';
import type { MigrationSession } from './open-migration-session.ts';
import { summarizeMigration, type SchemaChange } from './summarize-migration.ts';
import { withMigrationSession } from './with-migration-session.ts';

export interface MigrateDevOptions {
  databaseUrl: string;
  /** The provider-specific schema (`<generated>/<provider>/schema.prisma`): the target of the migration. */
  schemaPath: string;
  /** The migrations folder, e.g. `prisma/migrations`. */
  migrationsDir: string;
  /** Name of the new migration, slugified (`add posts` → `<timestamp>_add_posts`). Required when there are changes. */
  name?: string;
  /** Write the migration without applying it, e.g. to turn a drop + add into a rename first. @default false */
  createOnly?: boolean;
  /** Create (and apply) a migration that loses data without asking. @default false */
  acceptDataLoss?: boolean;
  /** Asked when the migration would lose data and `acceptDataLoss` is false; without it such a migration is refused. */
  confirmDataLoss?: (warnings: string[]) => Promise<boolean>;
  /** How long to wait for another migration run. @default 60000 */
  lockTimeoutMs?: number;
}

export interface MigrateDevResult {
  /** Pending migrations applied before the new one was created. */
  appliedBefore: AppliedMigration[];
  /** The new migration; undefined when the migrations already match the schema. */
  created?: { name: string; path: string; sql: string; changes: SchemaChange[] };
  /** Whether `created` was applied (false with `createOnly`). */
  applied: boolean;
  /** Data-loss warnings for the new migration (accepted if we got here). */
  warnings: string[];
}


/**
 * `prisma migrate dev`: applies pending migrations, writes a migration for the difference between
 * them and the schema, and applies it. Refuses (MigrateError) when the database drifted from its
 * migrations, when a change cannot be executed, or when it would lose data without consent.
 */
export async function migrateDev(options: MigrateDevOptions): Promise<MigrateDevResult> {
  const provider = providerOf(options.databaseUrl);
  assertLockedProvider(options.migrationsDir, provider);
  const schema = { path: options.schemaPath, content: readFileSync(options.schemaPath, 'utf8') };
  const dir = options.migrationsDir;
  return withMigrationSession({ ...options, schema, lock: true }, async (session) => {
    const appliedBefore = await initializeHistory(session, dir);
    await diagnose(session, dir);
    const applied = await applyPendingMigrations(session, dir);
    appliedBefore.push(...applied);
    // evaluateDataLoss and createMigration only work right after a devDiagnostic that found every
    // migration applied ("shadow DB must be provided through an external factory" otherwise).
    if (applied.length) await diagnose(session, dir);
    const loss = await session.engine.evaluateDataLoss({ migrationsList: migrationList(dir, session.provider), schema: { files: [schema] }, filters: systemTableFilters(session.provider) });
    if (loss.unexecutableSteps.length) {
      throw new MigrateError('UNEXECUTABLE', `These changes cannot be executed:\n${loss.unexecutableSteps.map((s) => `  - ${s.message}`).join('\n')}`, [
        'Create the migration with `--create-only`, edit its SQL to handle the existing data, then run `cairn migrate dev` again.',
      ]);
    }
    const changes = loss.migrationSteps > 0 || options.createOnly;
    if (changes && !slugifyMigrationName(options.name ?? '')) {
      throw new MigrateError('NAME_REQUIRED', 'The schema has changes: name the migration with `--name <name>`.');
    }
    const warnings = loss.warnings.map((w) => w.message);
    if (warnings.length && !options.acceptDataLoss && !(await options.confirmDataLoss?.(warnings))) {
      throw new MigrateError('DATA_LOSS', `The migration would lose data:\n${warnings.map((w) => `  - ${w}`).join('\n')}`, [
        'Re-run with `--accept-data-loss` if that is intended.',
        'Or create it with `--create-only` and edit the SQL (e.g. RENAME COLUMN instead of drop + add).',
      ], { warnings });
    }
    if (!changes) return { appliedBefore, applied: false, warnings };
    const created = await createMigration(session, options, schema);
    if (options.createOnly) return { appliedBefore, created, applied: false, warnings };
    await applyPendingMigrations(session, dir);
    return { appliedBefore, created, applied: true, warnings };
  });
}

/** Refuses to go on when the engine finds drift or a failed migration that needs a reset. */
async function diagnose(session: MigrationSession, dir: string): Promise<void> {
  const { action } = await session.engine.devDiagnostic({ migrationsList: migrationList(dir, session.provider), filters: systemTableFilters(session.provider) });
  if (action.tag === 'reset') {
    throw new MigrateError('RESET_REQUIRED', `The database cannot be migrated as is: ${action.reason}`, [
      'On a development database: `cairn migrate reset` (drops all data, reapplies the migrations), then run this again.',
    ]);
  }
}

/**
 * The engine's devDiagnostic fails with P1014 on a database without `_prisma_migrations`.
 * An empty database gets its history started (and pending migrations applied) first; one with
 * tables but no history is refused, as Prisma would.
 */
async function initializeHistory(session: MigrationSession, dir: string): Promise<AppliedMigration[]> {
  const tables = await listTables(session);
  if (tables.includes(migrationsTable)) return [];
  if (tables.length) {
    throw new MigrateError('P3005', `The database has tables (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}) but no migration history.`, [
      'On a development database (e.g. one made with `cairn db push`): `cairn migrate reset`, then run this again.',
    ]);
  }
  return applyPendingMigrations(session, dir);
}

async function createMigration(session: MigrationSession, options: MigrateDevOptions, schema: { path: string; content: string }) {
  const output = await session.engine.createMigration({
    draft: options.createOnly ?? false,
    migrationName: slugifyMigrationName(options.name ?? ''),
    migrationsList: migrationList(options.migrationsDir, session.provider),
    schema: { files: [schema] },
    filters: systemTableFilters(session.provider),
  });
  const sql = output.migrationScript ?? '';
  const name = nextMigrationName(output.generatedMigrationName, readMigrations(options.migrationsDir).map((m) => m.name));
  const path = writeMigration(options.migrationsDir, name, sql, session.provider);
  return { name, path: join(path, 'migration.sql'), sql, changes: summarizeMigration(sql) };
}
