import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrateError, migrateDeploy, migrateResolve, migrateStatus, readMigrationRecords, withMigrationSession } from '../../src/db/migrate/index.ts';
import { createTestDatabases, providers, readText, sql } from './helpers.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(providers)('a failing migration on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`failed_${provider}`);
  afterAll(() => dbs.cleanup());
  const migrationsDir = join(dbs.dir, 'migrations');
  const write = (name: string, text: string) => {
    mkdirSync(join(migrationsDir, name), { recursive: true });
    writeFileSync(join(migrationsDir, name, 'migration.sql'), text);
  };
  const records = (databaseUrl: string) => withMigrationSession({ databaseUrl, lock: false }, readMigrationRecords);
  let databaseUrl: string;

  it('is recorded as failed, like Prisma records it, and reported with the next steps', async () => {
    databaseUrl = await dbs.create(provider);
    mkdirSync(migrationsDir, { recursive: true });
    writeFileSync(join(migrationsDir, 'migration_lock.toml'), `provider = "${provider}"\n`);
    write('20240101000000_init', 'CREATE TABLE "Thing" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    write('20240102000000_broken', 'CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nCREATE TABLEX "Oops";\n');
    write('20240103000000_after', 'CREATE TABLE "Later" ("id" INTEGER NOT NULL PRIMARY KEY);\n');

    const error = await migrateDeploy({ databaseUrl, migrationsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrateError);
    expect(error).toMatchObject({ code: 'P3018', details: { migrationName: '20240102000000_broken' } });
    expect((error as Error).message).toMatch(/Migration 20240102000000_broken failed to apply:\n.*TABLEX/);
    expect((error as MigrateError).nextSteps.join('\n')).toContain('cairn migrate resolve --rolled-back 20240102000000_broken');

    const [init, broken, ...rest] = await records(databaseUrl);
    expect(rest).toEqual([]); // stopped at the failure: "after" never started
    expect(init).toMatchObject({ migrationName: '20240101000000_init', appliedStepsCount: 1, logs: null, rolledBackAt: null });
    expect(init!.finishedAt).toBeInstanceOf(Date);
    expect(broken).toMatchObject({ migrationName: '20240102000000_broken', finishedAt: null, rolledBackAt: null, appliedStepsCount: 0 });
    expect(broken!.checksum).toBe(sha256(readText(join(migrationsDir, '20240102000000_broken', 'migration.sql'))));
    expect(broken!.logs).toMatch(/TABLEX/);

    const status = await migrateStatus({ databaseUrl, migrationsDir, checkDatabaseDrift: false });
    expect(status.failed.map((f) => f.name)).toEqual(['20240102000000_broken']);
    expect(status.failed[0]!.logs).toMatch(/TABLEX/);
    expect(status.applied.map((a) => a.name)).toEqual(['20240101000000_init']);
    expect(status.nextSteps.join('\n')).toMatch(/resolve --rolled-back 20240102000000_broken/);
  });

  it('blocks later deploys until resolved', async () => {
    await expect(migrateDeploy({ databaseUrl, migrationsDir })).rejects.toMatchObject({ code: 'P3009' });
  });

  it('deploys after the SQL is fixed, the partial change undone and the migration marked rolled back', async () => {
    write('20240102000000_broken', 'CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    await sql(databaseUrl, 'DROP TABLE "Half"'); // migrations run outside a transaction: "Half" was created
    await migrateResolve({ databaseUrl, migrationsDir, rolledBack: '20240102000000_broken' });
    const result = await migrateDeploy({ databaseUrl, migrationsDir });
    expect(result.applied.map((m) => m.name)).toEqual(['20240102000000_broken', '20240103000000_after']);

    const rows = await records(databaseUrl);
    expect(rows.map((r) => [r.migrationName, r.rolledBackAt !== null, r.finishedAt !== null])).toEqual([
      ['20240101000000_init', false, true],
      ['20240102000000_broken', true, false], // the failed attempt stays as an audit trail
      ['20240102000000_broken', false, true],
      ['20240103000000_after', false, true],
    ]);
    const status = await migrateStatus({ databaseUrl, migrationsDir });
    expect(status).toMatchObject({ pending: [], failed: [], nextSteps: [], databaseDrift: { status: 'none' } });
  });

  it('marks a migration applied without running it (resolve --applied)', async () => {
    write('20240104000000_manual', 'CREATE TABLE "Manual" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
    await migrateResolve({ databaseUrl, migrationsDir, applied: '20240104000000_manual' });
    expect((await migrateDeploy({ databaseUrl, migrationsDir })).applied).toEqual([]);
    const status = await migrateStatus({ databaseUrl, migrationsDir });
    expect(status.pending).toEqual([]);
    // The table was never created: the database now lacks what its history claims.
    expect(status.databaseDrift?.status).toBe('drifted');
  });
});
