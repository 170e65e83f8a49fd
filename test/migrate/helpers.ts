import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Provider } from '../../src/db/provider.ts';
import { withMigrationSession } from '../../src/db/migrate/index.ts';

/** The databases integration suites run on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export { testProviders as providers } from '../support/providers.ts';

/**
 * Fresh databases for one test file, all dropped by `cleanup()`: temp SQLite files, or PostgreSQL
 * databases created with CREATE DATABASE next to TEST_POSTGRES_URL.
 */
export function createTestDatabases(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `cairn-${label}-`));
  const pgDatabases: string[] = [];
  let count = 0;
  const admin = async <T>(run: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    /** A temp directory for schemas and migration folders. */
    dir,
    async create(provider: Provider): Promise<string> {
      count++;
      if (provider === 'sqlite') return `file:${join(dir, `db-${count}.sqlite`)}`;
      const name = `cairn_${label}_${process.pid}_${count}_${Date.now() % 100000}`.replace(/\W/g, '_').toLowerCase();
      // template0: a polluted template1 must not leak tables into the "fresh" database.
      await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
      pgDatabases.push(name);
      const url = new URL(process.env.TEST_POSTGRES_URL!);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cleanup(): Promise<void> {
      if (pgDatabases.length) {
        await admin(async (client) => {
          for (const name of pgDatabases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a provider-specific schema (datasource + models), the only input the engine needs. */
export function writeSchema(path: string, provider: Provider, models: string): string {
  writeFileSync(path, `datasource db {\n  provider = "${provider}"\n}\n\n${models.trim()}\n`);
  return path;
}

/** Runs SQL on a database outside any migration (fixtures, hand-made drift, assertions). */
export function sql(databaseUrl: string, statement: string): Promise<Record<string, unknown>[]> {
  return withMigrationSession({ databaseUrl, lock: false }, (session) =>
    /^\s*(select|pragma|with)\b/i.test(statement) ? session.query(statement) : session.execute(statement).then(() => []),
  );
}

export const readText = (path: string) => readFileSync(path, 'utf8');
