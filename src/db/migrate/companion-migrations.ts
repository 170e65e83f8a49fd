import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaForProvider } from '../generate.ts';
import type { Provider } from '../provider.ts';
import { lockfileContent, lockfileName, migrationFileName, readMigrations } from './migrations-folder.ts';
import { diffSchemasOffline } from './offline-diff.ts';
import { summarizeMigration, type SchemaChange } from './summarize-migration.ts';

/** Beside each migration.sql: the user's schema.prisma the migration brings the database to. */
export const snapshotFileName = 'schema.prisma';

export interface CompanionOptions {
  /** The migration just created for the main provider (`<timestamp>_<name>`). */
  name: string;
  /** The main provider's migrations folder, where `name` was written. */
  mainDir: string;
  /** The user's schema.prisma as it is now (the migration's target). */
  schema: string;
  /** The other providers and their folders. */
  others: { provider: Provider; dir: string }[];
}

export interface CompanionResult {
  provider: Provider;
  /** The migration.sql written; undefined when skipped. */
  path?: string;
  changes: SchemaChange[];
  /** Why no migration was written (e.g. a feature the provider lacks), or a caveat about the one written. */
  note?: string;
}

/**
 * The same schema change as SQL for every other provider, so one schema runs on SQLite in
 * development and PostgreSQL in production from migrations made once. Each is the offline diff
 * from the schema the previous migration was made from (its snapshot) to the current one, written
 * under the same name; nothing is applied. The snapshot is kept beside every new migration.
 */
export async function writeCompanionMigrations(options: CompanionOptions): Promise<CompanionResult[]> {
  const previous = readMigrations(options.mainDir).filter((m) => m.name !== options.name);
  const fromMigration = [...previous].reverse().find((m) => existsSync(join(options.mainDir, m.name, snapshotFileName)));
  const from = fromMigration ? readFileSync(join(options.mainDir, fromMigration.name, snapshotFileName), 'utf8') : undefined;
  writeFileSync(join(options.mainDir, options.name, snapshotFileName), options.schema);
  const results: CompanionResult[] = [];
  for (const { provider, dir } of options.others) {
    const theirs = readMigrations(dir);
    // An empty folder starts from an empty database; otherwise it must end where the main one did.
    if (theirs.length && theirs.at(-1)!.name !== fromMigration?.name) {
      results.push({
        provider,
        changes: [],
        note: fromMigration
          ? `${dir} ends at ${theirs.at(-1)!.name}, not at ${fromMigration.name}: the folders are out of step, so none was written`
          : `no ${snapshotFileName} beside the earlier migrations to diff from (made before Cairn wrote every provider's); write this ${provider} migration by hand`,
      });
      continue;
    }
    const start = theirs.length ? from : undefined;
    let sql: string;
    try {
      const target = (schema: string) => schemaForProvider(schema, provider, join(dir, '.unused'));
      sql = await diffSchemasOffline(provider, start === undefined ? undefined : target(start), target(options.schema));
    } catch (error) {
      const reason = (error as Error).message.split('\n').find((line) => /error/i.test(line)) ?? (error as Error).message.split('\n')[0];
      results.push({ provider, changes: [], note: `the schema does not run on ${provider}: ${reason}` });
      continue;
    }
    const folder = join(dir, options.name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, migrationFileName), sql);
    writeFileSync(join(folder, snapshotFileName), options.schema);
    if (!existsSync(join(dir, lockfileName))) writeFileSync(join(dir, lockfileName), lockfileContent(provider));
    results.push({ provider, path: join(folder, migrationFileName), changes: summarizeMigration(sql) });
  }
  return results;
}
