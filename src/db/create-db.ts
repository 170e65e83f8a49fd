import { createAdapter } from './create-adapter.ts';
import { attachDirectSql, createDirectSql } from './direct-sql/direct-sql.ts';
import { providerOf } from './provider.ts';
import type { DbClient, Generated } from './load-generated.ts';

export interface QueryEvent {
  query: string;
  params: string;
  duration: number;
}

export interface DbOptions {
  databaseUrl: string;
  generated: Generated;
  poolSize?: number;
  /**
   * PostgreSQL: the database stops any statement running longer than this (ms), so work for a
   * request past its deadline (CAIRN_REQUEST_TIMEOUT_MS) or whose client left ends there too —
   * Prisma takes no AbortSignal. Absent or 0: none.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: distinct SQL texts each pooled connection keeps prepared. @default 0 (none) */
  preparedStatements?: number;
  /** Receives every SQL statement Prisma sends (tests count them to catch N+1). */
  onQuery?: (event: QueryEvent) => void;
}

/**
 * A Prisma client on the driver adapter that fits the URL. On PostgreSQL it also gets a direct
 * SQL (direct-sql/), which runs the common finds and updates as one statement on the same adapter.
 */
export function createDb(options: DbOptions): DbClient {
  let adapter = createAdapter(options.databaseUrl, {
    poolSize: options.poolSize,
    statementTimeoutMs: options.statementTimeoutMs,
    preparedStatements: options.preparedStatements,
  });
  let direct: ReturnType<typeof createDirectSql> | undefined;
  if (providerOf(options.databaseUrl) === 'postgresql') {
    const schema = new URL(options.databaseUrl).searchParams.get('schema') ?? undefined;
    direct = createDirectSql(adapter, { datamodel: options.generated.datamodel, schema, onQuery: options.onQuery });
    adapter = direct.factory;
  }
  const client = new options.generated.PrismaClient({
    adapter,
    // Errors are translated to Cairn's own (translate-prisma-error.ts); any other format makes
    // Prisma capture a stack trace on every call to point at the caller, ~5% of a simple query.
    errorFormat: 'minimal',
    log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (options.onQuery) client.$on('query', options.onQuery);
  if (direct) attachDirectSql(client, direct.sql);
  return client;
}
