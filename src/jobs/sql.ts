import type { Provider } from '../db/index.ts';

/** Raw SQL on a Prisma client or transaction client, written once with `$1…$n` for both providers. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  execute(text: string, params?: readonly unknown[]): Promise<number>;
}

interface RawClient {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * SQLite (better-sqlite3) takes anonymous `?` only, so `$n` becomes `?` and the parameters follow
 * the order of appearance (a `$n` used twice is passed twice).
 */
function forSqlite(text: string, params: readonly unknown[]): [string, unknown[]] {
  const ordered: unknown[] = [];
  const rewritten = text.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return '?';
  });
  return [rewritten, ordered];
}

export function sqlOn(db: unknown, provider: Provider): Sql {
  const client = db as RawClient;
  if (typeof client?.$queryRawUnsafe !== 'function') throw new Error('Expected a Prisma client or transaction client');
  const prepare = (text: string, params: readonly unknown[] = []) => (provider === 'sqlite' ? forSqlite(text, params) : [text, [...params]] as [string, unknown[]]);
  return {
    query: <T>(text: string, params?: readonly unknown[]) => {
      const [sql, values] = prepare(text, params);
      return client.$queryRawUnsafe<T[]>(sql, ...values);
    },
    execute: (text, params) => {
      const [sql, values] = prepare(text, params);
      return client.$executeRawUnsafe(sql, ...values);
    },
  };
}
