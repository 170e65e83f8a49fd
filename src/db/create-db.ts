import { createAdapter } from './create-adapter.ts';
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
  /** Receives every SQL statement Prisma sends (tests count them to catch N+1). */
  onQuery?: (event: QueryEvent) => void;
}

/** A Prisma client on the driver adapter that fits the URL. */
export function createDb(options: DbOptions): DbClient {
  const adapter = createAdapter(options.databaseUrl, { poolSize: options.poolSize, statementTimeoutMs: options.statementTimeoutMs });
  const client = new options.generated.PrismaClient({
    adapter,
    // Errors are translated to Cairn's own (translate-prisma-error.ts); any other format makes
    // Prisma capture a stack trace on every call to point at the caller, ~5% of a simple query.
    errorFormat: 'minimal',
    log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (options.onQuery) client.$on('query', options.onQuery);
  return client;
}
