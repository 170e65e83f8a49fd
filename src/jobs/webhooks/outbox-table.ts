import type { Provider } from '../../db/index.ts';
import { sqlOn, type Sql } from '../sql.ts';

/** Where the outbox lives and how to write SQL for it on one provider. */
export interface OutboxDialect {
  provider: Provider;
  table: string;
  /** A parameter used as a BIGINT (PostgreSQL needs the cast; ms timestamps exceed int4). */
  big(n: number): string;
  sql(db: unknown): Sql;
  create(db: unknown): Promise<void>;
}

export function outboxDialect(provider: Provider, systemSchema: string): OutboxDialect {
  if (provider === 'sqlite') {
    const table = '"_cairn_webhook_events"';
    return {
      provider,
      table,
      big: (n) => `$${n}`,
      sql: (db) => sqlOn(db, provider),
      async create(db) {
        const sql = sqlOn(db, provider);
        await sql.execute(`CREATE TABLE IF NOT EXISTS ${table} (
          id INTEGER PRIMARY KEY AUTOINCREMENT, webhook TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, model TEXT NOT NULL,
          row_key TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
          attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, lease_until INTEGER, last_status INTEGER,
          last_error TEXT, created_at INTEGER NOT NULL, delivered_at INTEGER)`);
        await sql.execute(`CREATE INDEX IF NOT EXISTS "_cairn_webhook_events_due" ON ${table} (state, next_attempt_at)`);
        await sql.execute(`CREATE INDEX IF NOT EXISTS "_cairn_webhook_events_row" ON ${table} (webhook, row_key, id)`);
      },
    };
  }
  const table = `"${systemSchema}".webhook_events`;
  return {
    provider,
    table,
    big: (n) => `$${n}::bigint`,
    sql: (db) => sqlOn(db, provider),
    async create(db) {
      const sql = sqlOn(db, provider);
      const statements = [
        `CREATE SCHEMA IF NOT EXISTS "${systemSchema}"`,
        `CREATE TABLE IF NOT EXISTS ${table} (
          id BIGSERIAL PRIMARY KEY, webhook TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, model TEXT NOT NULL,
          row_key TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
          attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_until BIGINT, last_status INTEGER,
          last_error TEXT, created_at BIGINT NOT NULL, delivered_at BIGINT)`,
        `CREATE INDEX IF NOT EXISTS webhook_events_due ON ${table} (state, next_attempt_at)`,
        `CREATE INDEX IF NOT EXISTS webhook_events_row ON ${table} (webhook, row_key, id)`,
      ];
      for (const statement of statements) {
        // Two instances booting at once may race on IF NOT EXISTS (a catalog unique violation): the loser retries.
        for (let attempt = 1; ; attempt++) {
          try {
            await sql.execute(statement);
            break;
          } catch (error) {
            if (attempt >= 3) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          }
        }
      }
    },
  };
}
