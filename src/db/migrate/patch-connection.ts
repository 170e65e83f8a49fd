import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';

/** Where a patched connection reports the last error it raised (the engine only keeps an id). */
export interface ErrorSink {
  last?: Error;
}

/**
 * Fixes, for the schema engine's sake, what it cannot handle from the stock adapters:
 * - SQLite: the engine replays migrations on the shadow database with `executeRaw`, which
 *   better-sqlite3 refuses for multi-statement scripts; those are retried as `executeScript`.
 * - SQLite: a busy database surfaces as kind `SocketTimeout`, which the wasm engine cannot
 *   deserialize ("unknown variant"); it is rethrown as a plain error with a readable message.
 * - Any error is recorded in `sink`, because the engine reports adapter errors as
 *   "External error id#N" without their message.
 */
export function patchConnection<T extends SqlDriverAdapter>(connection: T, sink: ErrorSink): T {
  const conn = connection as SqlDriverAdapter;
  const executeRaw = conn.executeRaw.bind(conn);
  const executeScript = conn.executeScript.bind(conn);
  const queryRaw = conn.queryRaw.bind(conn);
  const guard = async <R>(run: () => Promise<R>): Promise<R> => {
    try {
      return await run();
    } catch (error) {
      throw (sink.last = readable(error));
    }
  };
  conn.queryRaw = (query: SqlQuery) => guard(() => queryRaw(query));
  conn.executeScript = (script: string) => guard(() => executeScript(script));
  conn.executeRaw = (query: SqlQuery) =>
    guard(async () => {
      try {
        return await executeRaw(query);
      } catch (error) {
        if (query.args.length || !/more than one statement/.test((error as Error).message)) throw error;
        await executeScript(query.sql);
        return 0;
      }
    });
  return connection;
}

function readable(error: unknown): Error {
  if (!(error instanceof Error) || !isDriverAdapterError(error)) return error as Error;
  const cause = error.cause as { kind: string; originalMessage?: string; message?: string };
  if (cause.kind === 'SocketTimeout') {
    return new Error(
      `The database is locked by another connection (${cause.originalMessage ?? 'busy'}); ` +
        'another migration or the running app may hold it. Retry when it is done.',
    );
  }
  error.message = cause.originalMessage ?? cause.message ?? `${error.message}: ${JSON.stringify(cause)}`;
  return error;
}
