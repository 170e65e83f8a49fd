import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDeploy, prismaAdvisoryLockId, readMigrationRecords, withMigrationSession } from '../../src/db/migrate/index.ts';
import { sqliteFilePath } from '../../src/db/provider.ts';
import { createTestDatabases, providers } from './helpers.ts';

const child = new URL('./fixtures/deploy-child.ts', import.meta.url).pathname;

/** One `migrateDeploy` in a separate Node process (its own wasm engine and connection). */
function deployInChild(databaseUrl: string, migrationsDir: string): Promise<{ applied?: string[]; error?: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', child, databaseUrl, migrationsDir], (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`deploy child failed: ${error?.message}\n${stdout}\n${stderr}`));
      }
    });
  });
}

describe.each(providers)('concurrent deploys on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`concurrent_${provider}`);
  afterAll(() => dbs.cleanup());
  const migrationsDir = join(dbs.dir, 'migrations');
  mkdirSync(migrationsDir, { recursive: true });
  writeFileSync(join(migrationsDir, 'migration_lock.toml'), `provider = "${provider}"\n`);
  for (let i = 1; i <= 4; i++) {
    mkdirSync(join(migrationsDir, `2024010100000${i}_table_${i}`));
    writeFileSync(join(migrationsDir, `2024010100000${i}_table_${i}`, 'migration.sql'), `CREATE TABLE "T${i}" ("id" INTEGER NOT NULL PRIMARY KEY);\n`);
  }
  const names = [1, 2, 3, 4].map((i) => `2024010100000${i}_table_${i}`);
  const records = (databaseUrl: string) => withMigrationSession({ databaseUrl, lock: false }, readMigrationRecords);

  it('two processes deploying at once apply each migration exactly once', async () => {
    const databaseUrl = await dbs.create(provider);
    const results = await Promise.all([1, 2].map(() => deployInChild(databaseUrl, migrationsDir)));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.map((r) => r.applied).sort((a, b) => b!.length - a!.length)).toEqual([names, []]);
    expect((await records(databaseUrl)).map((r) => r.migrationName)).toEqual(names);
  });

  it('two deploys in one process (two engines) apply each migration once', async () => {
    const databaseUrl = await dbs.create(provider);
    const [a, b] = await Promise.all([migrateDeploy({ databaseUrl, migrationsDir }), migrateDeploy({ databaseUrl, migrationsDir })]);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, 4]);
    expect((await records(databaseUrl)).map((r) => r.migrationName)).toEqual(names);
  });

  it('waits while another migration run holds the lock, then applies', async () => {
    const databaseUrl = await dbs.create(provider);
    const release = await holdMigrationLock(databaseUrl);
    const deploy = deployInChild(databaseUrl, migrationsDir);
    let settled = false;
    void deploy.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 3000)); // long enough for the child to start and block
    expect(settled).toBe(false);
    await release();
    expect((await deploy).applied).toEqual(names);
  });

  it('gives up with a clear error when the lock is not released in time', async () => {
    const databaseUrl = await dbs.create(provider);
    const release = await holdMigrationLock(databaseUrl);
    try {
      await expect(migrateDeploy({ databaseUrl, migrationsDir, lockTimeoutMs: 300 })).rejects.toThrow(/Could not take the migration lock within 300 ms/);
    } finally {
      await release();
    }
  });
});

/** What a concurrent `prisma migrate deploy` holds: the advisory lock on PostgreSQL, an exclusive file lock on SQLite. */
async function holdMigrationLock(databaseUrl: string): Promise<() => Promise<void>> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(sqliteFilePath(databaseUrl));
    db.exec('BEGIN EXCLUSIVE');
    return async () => {
      db.exec('COMMIT');
      db.close();
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(${prismaAdvisoryLockId})`);
  return async () => {
    await client.query(`SELECT pg_advisory_unlock(${prismaAdvisoryLockId})`);
    await client.end();
  };
}
