import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { providerOf, sqliteFilePath } from './provider.ts';
import { statementNames } from './statement-names.ts';

export interface AdapterOptions {
  /** Connections in the PostgreSQL pool. @default 10 */
  poolSize?: number;
  /** PostgreSQL `statement_timeout` for every pooled connection, in ms (0 or absent: none). */
  statementTimeoutMs?: number;
  /** PostgreSQL: distinct SQL texts each connection keeps prepared (statement-names.ts); 0 or absent: none. */
  preparedStatements?: number;
}

/** The Prisma driver adapter for a DATABASE_URL: better-sqlite3 for `file:`, pg for `postgresql://`. */
export function createAdapter(databaseUrl: string, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (providerOf(databaseUrl) === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return new PrismaBetterSqlite3({ url: file });
  }
  const { searchParams } = new URL(databaseUrl);
  const schema = searchParams.get('schema') ?? undefined;
  // `?schema=` selects a PostgreSQL schema; search_path makes unqualified DDL and queries land there too.
  const pool = { connectionString: databaseUrl, max: options.poolSize ?? 10 };
  const settings = [schema && `-c search_path="${schema}"`, options.statementTimeoutMs && `-c statement_timeout=${options.statementTimeoutMs}`].filter(Boolean);
  const statementNameGenerator = options.preparedStatements ? statementNames(options.preparedStatements) : undefined;
  return new PrismaPg(settings.length ? { ...pool, options: settings.join(' ') } : pool, { schema, statementNameGenerator });
}
