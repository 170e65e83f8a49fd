import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb, loadGenerated, type DbClient, type Provider } from '../../src/db/index.ts';
import { createJobs, systemSchema, type JobsOptions, type JobsRuntime } from '../../src/jobs/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { postgresUrl } from '../support/providers.ts';

/** A database of its own for one test file: a temporary SQLite file, or a fresh PostgreSQL schema (plus its `_cairn` system schema). */
export async function createQueueDatabase(provider: Provider): Promise<{ databaseUrl: string; db: DbClient; drop(): Promise<void> }> {
  const generated = await loadGenerated(fixtures.blog.generated, provider);
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-jobs-'));
    const databaseUrl = `file:${join(dir, 'jobs.db')}`;
    const db = createDb({ databaseUrl, generated });
    return { databaseUrl, db, drop: async () => { await db.$disconnect(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `j_${randomBytes(5).toString('hex')}`;
  const url = new URL(postgresUrl!);
  url.searchParams.set('schema', schema);
  const databaseUrl = url.toString();
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const db = createDb({ databaseUrl, generated });
  return {
    databaseUrl,
    db,
    drop: async () => {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${systemSchema(databaseUrl)}" CASCADE`);
      await client.end();
    },
  };
}

/** The jobs runtime as buildApp makes it, with test-friendly polling. */
export function createTestJobs(provider: Provider, database: { databaseUrl: string; db: DbClient }, options: Pick<JobsOptions, 'jobs' | 'schedules' | 'pollMs' | 'now' | 'retention' | 'logError'>): Promise<JobsRuntime> {
  return createJobs({
    provider,
    databaseUrl: database.databaseUrl,
    db: database.db,
    systemSchema: systemSchema(database.databaseUrl),
    pollMs: 100,
    maintenanceSeconds: 1,
    logError: () => {},
    ...options,
  });
}

/** Resolves once `check` returns a truthy value (polling; the test's own timeout bounds it). */
export async function eventually<T>(check: () => Promise<T> | T, intervalMs = 50): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
