/**
 * Counts SQL statements where every server's traffic passes: `pg.Client.prototype.query` (raw
 * pg, Prisma's adapter-pg and PostGraphile all send through it; `Pool.query` delegates to it, so
 * nothing counts twice) and better-sqlite3's Statement methods. Counting in the driver instead of
 * in the database (pg_stat_statements needs `shared_preload_libraries` and a server restart)
 * sees exactly the statements this process sent, and nothing from the others on the same server.
 */
export interface StatementCounts {
  /** SELECT / INSERT / UPDATE / DELETE / WITH: statements that carry data. */
  data: number;
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET, set_config: transaction and session bookkeeping. */
  control: number;
}

export const counts: StatementCounts = { data: 0, control: 0 };

const controlStatement = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s|START|DEALLOCATE|DISCARD|select\s+set_config)/i;

export function countStatement(sql: string): void {
  if (controlStatement.test(sql)) counts.control++;
  else counts.data++;
}

type QueryFn = (this: unknown, config: unknown, ...rest: unknown[]) => unknown;

/** Wraps `Client.prototype.query` of the given `pg` module (each runtime passes its own copy). */
export function countPgStatements(pgModule: { Client: { prototype: object } }): void {
  const proto = pgModule.Client.prototype as { query: QueryFn };
  const query = proto.query;
  proto.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
    countStatement(typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? ''));
    return query.call(this, config, ...rest);
  };
}

/** Wraps the executing methods of better-sqlite3's Statement class (shared by every Database). */
export function countSqliteStatements(anyStatement: object): void {
  const proto = Object.getPrototypeOf(anyStatement) as Record<string, QueryFn>;
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = proto[method]!;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      countStatement((this as { source: string }).source);
      return original.apply(this, args as [unknown]);
    };
  }
}

/**
 * Counts what a Prisma-based server sends on the database it serves. better-sqlite3 is loaded only
 * for a SQLite run: its native build is for the runner's Node, and PostgreSQL runs may use another.
 */
export async function countDriverStatements(pgModule: { Client: { prototype: object } }, sqliteFile: string | undefined): Promise<void> {
  countPgStatements(pgModule);
  if (!sqliteFile) return;
  const { default: Database } = await import('better-sqlite3');
  countSqliteStatements(new Database(':memory:').prepare('SELECT 1'));
}
