import type { SchemaContainer } from '@prisma/schema-engine-wasm';
import type { MigrationSession } from './open-migration-session.ts';
import { migrationList } from './migrations-folder.ts';
import { systemTableFilters } from '../system-tables.ts';

/** The outcome of comparing two schemas; `unknown` when the comparison could not run (e.g. no CREATEDB). */
export type Drift =
  | { status: 'none' }
  | { status: 'drifted'; /** The engine's summary, e.g. "[+] Added tables\n  - Post" */ summary: string }
  | { status: 'unknown'; reason: string };


/**
 * Differences between the schema the migrations produce (replayed on a shadow database) and
 * `target`: the live database (`database`) or a Prisma schema (`schema`). `only` restricts the
 * replay to some migrations, e.g. the applied ones when checking the database.
 */
export async function checkDrift(
  session: MigrationSession,
  migrationsDir: string,
  target: { database: SchemaContainer } | { schema: SchemaContainer },
  only?: ReadonlySet<string>,
): Promise<Drift> {
  try {
    const { stdout } = await session.engine.diff({
      from: { tag: 'migrations', ...migrationList(migrationsDir, session.provider, only) },
      to:
        'database' in target
          ? { tag: 'schemaDatasource', files: [target.database], configDir: '.' }
          : { tag: 'schemaDatamodel', files: [target.schema] },
      script: false,
      exitCode: true,
      filters: systemTableFilters(session.provider),
    });
    const summary = (stdout ?? '').trim();
    return !summary || /^No difference detected/i.test(summary) ? { status: 'none' } : { status: 'drifted', summary };
  } catch (error) {
    return { status: 'unknown', reason: session.explain(error).message };
  }
}
