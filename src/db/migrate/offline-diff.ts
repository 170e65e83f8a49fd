import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import type { Provider } from '../provider.ts';
import { openSchemaEngine } from '../schema-engine.ts';

const filters = { externalTables: [], externalEnums: [] };
const adapters = {
  sqlite: { provider: 'sqlite', adapterName: '@prisma/adapter-better-sqlite3' },
  postgresql: { provider: 'postgres', adapterName: '@prisma/adapter-pg' },
} as const;

/**
 * The SQL that takes a database from schema `from` (undefined: an empty database) to schema `to`,
 * for a provider no database of which is at hand — `prisma migrate diff --from-schema-datamodel
 * --to-schema-datamodel`, on the wasm engine. Both are provider-specific schemas (datasource +
 * models).
 *
 * What the engine needs for it, found out by trying: a datamodel-to-datamodel diff reads nothing
 * from a database, but on PostgreSQL the engine still opens a connection first and asks for the
 * server version (`SELECT EXISTS(… pg_namespace …), version(), current_setting('server_version_num')`)
 * to pick its flavour. A connection that answers that one query (as PostgreSQL 16) and refuses
 * every other statement is enough; SQLite asks nothing. A `{tag:"migrations"}` source would need
 * a shadow database to replay the migrations in, which is why the schema each migration was made
 * from is kept beside it (migration-snapshot.ts).
 */
export async function diffSchemasOffline(provider: Provider, from: string | undefined, to: string): Promise<string> {
  const engine = await openSchemaEngine({ path: 'schema.prisma', content: to }, offlineFactory(provider));
  try {
    const { stdout } = await engine.diff({
      from: from === undefined ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters,
    });
    return provider === 'postgresql' ? nameDroppedSequences(stdout ?? '') : (stdout ?? '');
  } finally {
    engine.free();
  }
}

/**
 * From datamodels alone the engine cannot know a serial column's sequence name, and writes
 * `DROP SEQUENCE "";` when an autoincrement id becomes e.g. a String. PostgreSQL names it
 * `<table>_<column>_seq`: taken from the `ALTER COLUMN … DROP DEFAULT` of the statement before.
 */
function nameDroppedSequences(sql: string): string {
  return sql.replace(/ALTER TABLE "([^"]+)"([^;]*?);\nDROP SEQUENCE "";/g, (statement, table: string, body: string) => {
    const columns = [...body.matchAll(/ALTER COLUMN "([^"]+)" DROP DEFAULT/g)].map((m) => m[1]!);
    if (columns.length !== 1) return statement;
    return statement.replace('DROP SEQUENCE "";', `DROP SEQUENCE IF EXISTS "${`${table}_${columns[0]}_seq`.slice(0, 63)}";`);
  });
}

function offlineFactory(provider: Provider): SqlMigrationAwareDriverAdapterFactory {
  const info = adapters[provider];
  const refuse = async (what: string): Promise<never> => {
    throw new Error(`an offline ${provider} diff ran ${what}; it needs a database`);
  };
  const connection: SqlDriverAdapter = {
    ...info,
    async queryRaw(query: SqlQuery) {
      if (provider === 'postgresql' && /\bversion\(\)/.test(query.sql)) {
        return { columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0], rows: [[true, 'PostgreSQL 16.0 (Cairn offline diff)', 160000]] };
      }
      return refuse(query.sql);
    },
    executeRaw: (query: SqlQuery) => refuse(query.sql),
    executeScript: (script: string) => refuse(script),
    startTransaction: () => refuse('a transaction'),
    dispose: async () => {},
  };
  return { ...info, connect: async () => connection, connectToShadowDb: async () => connection };
}
