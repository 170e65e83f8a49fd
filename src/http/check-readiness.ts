import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lockfileName, readMigrations, type Datamodel, type DbClient, type Provider } from '../db/index.ts';

export interface ReadinessOptions {
  db: DbClient;
  provider: Provider;
  datamodel: Datamodel;
  /** With a `migration_lock.toml` in it, every migration here must be applied for the instance to be ready. */
  migrationsDir?: string;
  /** True once shutdown began: /ready fails first, so a load balancer stops routing here before sockets close. */
  stopping?: () => boolean;
}

/**
 * `/ready`: the database answers, every model's table exists, and (with a migrations folder)
 * no migration is pending or failed. Throws an Error saying what is missing — yoga answers it as
 * 503 with the message as body, so an orchestrator's event log says why. Read-only, two queries.
 */
export function createReadinessCheck({ db, provider, datamodel, migrationsDir, stopping }: ReadinessOptions): () => Promise<true> {
  const tables = datamodel.models.map((model) => model.dbName ?? model.name);
  const migrations = migrationsDir && existsSync(join(migrationsDir, lockfileName)) ? readMigrations(migrationsDir).map((m) => m.name) : undefined;
  const listTables =
    provider === 'postgresql'
      ? `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()`
      : `SELECT name FROM sqlite_master WHERE type = 'table'`;

  return async () => {
    if (stopping?.()) throw new Error('not ready: shutting down');
    let present: Set<string>;
    try {
      present = new Set(((await db.$queryRawUnsafe(listTables)) as { name: string }[]).map((row) => row.name));
    } catch {
      throw new Error('not ready: the database is unreachable');
    }
    const missing = tables.filter((table) => !present.has(table));
    if (missing.length) {
      throw new Error(`not ready: ${missing.length} table(s) missing in the database (${missing.slice(0, 10).join(', ')}); run \`cairn migrate deploy\` or \`cairn db push\``);
    }
    if (migrations?.length) {
      if (!present.has('_prisma_migrations')) throw new Error(`not ready: no migration applied yet (${migrations.length} pending); run \`cairn migrate deploy\``);
      const rows = (await db.$queryRawUnsafe(
        'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
      )) as { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[];
      const applied = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
      const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name);
      if (failed.length) throw new Error(`not ready: migration ${failed[0]} failed or is still running; see \`cairn migrate status\``);
      const pending = migrations.filter((name) => !applied.has(name));
      if (pending.length) throw new Error(`not ready: ${pending.length} migration(s) pending (${pending.slice(0, 5).join(', ')}); run \`cairn migrate deploy\``);
    }
    return true;
  };
}
