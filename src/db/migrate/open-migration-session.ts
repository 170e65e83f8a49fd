import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { createAdapter } from '../create-adapter.ts';
import { withPgCharAsText } from '../pg-char-workaround.ts';
import { providerOf, type Provider } from '../provider.ts';
import { openSchemaEngine } from '../schema-engine.ts';
import { patchConnection, type ErrorSink } from './patch-connection.ts';
import { createPgShadowDatabases } from './pg-shadow-database.ts';

export interface MigrationSessionOptions {
  databaseUrl: string;
  /** A provider-specific schema (datasource + models). Omit when only the migrations folder matters. */
  schema?: { path: string; content: string };
}

/** The wasm schema engine on exactly one database connection, plus that connection for our own SQL. */
export interface MigrationSession {
  readonly provider: Provider;
  readonly engine: SchemaEngine;
  /** The schema the engine was opened with (a bare datasource block when none was given). */
  readonly schema: { path: string; content: string };
  /** Rows of a query run on the engine's connection (same session, so same locks). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  execute(sql: string): Promise<void>;
  /** The engine error, cleaned of its Rust span trace, with the adapter's message when the engine kept only an id. */
  explain(error: unknown): Error & { code?: string };
  /** Frees the engine and closes the connection, releasing the migration lock. */
  close(): Promise<void>;
}

/**
 * Opens the schema engine on a single shared connection. The engine never disposes its
 * connection on `free()` — on SQLite it even leaves the file in `locking_mode=EXCLUSIVE` — so the
 * session owns it and closes it in `close()`.
 */
export async function openMigrationSession(options: MigrationSessionOptions): Promise<MigrationSession> {
  const provider = providerOf(options.databaseUrl);
  const factory = withPgCharAsText(createAdapter(options.databaseUrl, { poolSize: 1 }));
  const sink: ErrorSink = {};
  const main = patchConnection(await factory.connect(), sink);
  const disposeMain = main.dispose.bind(main);
  main.dispose = async () => {}; // the engine must not close the session's connection
  const pgShadows = provider === 'postgresql' ? createPgShadowDatabases(options.databaseUrl, main) : undefined;
  const closeConnections = async () => {
    try {
      await pgShadows?.dispose();
    } finally {
      await disposeMain();
    }
  };

  const sessionFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => main,
    connectToShadowDb: async () => patchConnection(await (pgShadows?.connect() ?? factory.connectToShadowDb()), sink),
  };
  const schema = options.schema ?? { path: 'schema.prisma', content: `datasource db {\n  provider = "${provider}"\n}\n` };
  let engine: SchemaEngine;
  try {
    engine = await openSchemaEngine(schema, sessionFactory);
  } catch (error) {
    await closeConnections();
    throw error;
  }
  return {
    provider,
    engine,
    schema,
    query: (sql) => main.queryRaw({ sql, args: [], argTypes: [] }).then(toObjects),
    execute: (sql) => main.executeScript(sql),
    explain: (error) => explainEngineError(error, sink),
    close: async () => {
      engine.free();
      await closeConnections();
    },
  };
}

function toObjects(result: Awaited<ReturnType<SqlDriverAdapter['queryRaw']>>): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])));
}

function explainEngineError(error: unknown, sink: ErrorSink): Error & { code?: string } {
  const err = error instanceof Error ? error : new Error(String(error));
  // Engine messages end with a tracing span dump ("   0: schema_engine_wasm::…\n at …rs:242").
  err.message = err.message.replace(/\n\s*0: [\w:]+[\s\S]*$/, '').trim();
  if (sink.last && /External error id#\d+|unknown variant|WASM_ERROR/.test(err.message)) {
    err.message = err.message.replace(/External error id#\d+/, sink.last.message);
    if (!err.message.includes(sink.last.message)) err.message += `\nCause: ${sink.last.message}`;
  }
  return err;
}
