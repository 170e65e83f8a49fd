import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDev, migrateReset, migrateStatus } from '../../src/db/migrate/index.ts';
import { createTestDatabases, providers, sql, writeSchema } from './helpers.ts';

const models = `model Author {\n  id   Int    @id @default(autoincrement())\n  name String\n}`;

describe.each(providers)('drift detection on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`drift_${provider}`);
  afterAll(() => dbs.cleanup());
  const schemaPath = join(dbs.dir, 'schema.prisma');
  const migrationsDir = join(dbs.dir, 'migrations');
  let databaseUrl: string;
  const status = () => migrateStatus({ databaseUrl, migrationsDir, schemaPath });

  beforeAll(async () => {
    databaseUrl = await dbs.create(provider);
    writeSchema(schemaPath, provider, models);
    await migrateDev({ databaseUrl, schemaPath, migrationsDir, name: 'init' });
  });

  it('reports no drift right after migrating', async () => {
    expect(await status()).toMatchObject({ databaseDrift: { status: 'none' }, schemaDrift: { status: 'none' }, nextSteps: [] });
  });

  it('finds schema changes that no migration contains', async () => {
    writeSchema(schemaPath, provider, `${models}\nmodel Book {\n  id Int @id\n}`);
    const result = await status();
    expect(result.schemaDrift).toMatchObject({ status: 'drifted', summary: expect.stringContaining('Book') });
    expect(result.databaseDrift).toEqual({ status: 'none' });
    expect(result.nextSteps.join('\n')).toMatch(/cairn migrate dev --name/);
    writeSchema(schemaPath, provider, models);
  });

  it('finds a database changed by hand, and migrate dev refuses to build on it', async () => {
    await sql(databaseUrl, 'CREATE TABLE "Hotfix" ("id" INTEGER NOT NULL PRIMARY KEY)');
    await sql(databaseUrl, 'ALTER TABLE "Author" ADD COLUMN "nickname" TEXT');
    const result = await status();
    expect(result.databaseDrift).toMatchObject({ status: 'drifted', summary: expect.stringContaining('Hotfix') });
    expect(result.databaseDrift).toMatchObject({ summary: expect.stringContaining('nickname') });
    expect(result.schemaDrift).toEqual({ status: 'none' });
    expect(result.nextSteps.join('\n')).toMatch(/differs from its migrations/);
    await expect(migrateDev({ databaseUrl, schemaPath, migrationsDir, name: 'more' })).rejects.toMatchObject({
      code: 'RESET_REQUIRED',
      message: expect.stringMatching(/Drift detected/i),
    });
  });

  it('migrate reset brings the database back to its migrations', async () => {
    const applied = await migrateReset({ databaseUrl, migrationsDir });
    expect(applied).toHaveLength(1);
    expect(await status()).toMatchObject({ databaseDrift: { status: 'none' }, nextSteps: [] });
  });

  it('flags applied migrations that were edited or are missing from the folder', async () => {
    const [init] = (await status()).applied;
    const file = join(migrationsDir, init!.name, 'migration.sql');
    appendFileSync(file, '\n-- edited after deploy\n');
    expect((await status()).edited).toEqual([init!.name]);

    const backup = join(dbs.dir, 'backup');
    cpSync(migrationsDir, backup, { recursive: true });
    rmSync(join(migrationsDir, init!.name), { recursive: true });
    const missing = await migrateStatus({ databaseUrl, migrationsDir, checkDatabaseDrift: false });
    expect(missing.missingLocally).toEqual([init!.name]);
    expect(missing.nextSteps.join('\n')).toMatch(/missing here/);
    cpSync(backup, migrationsDir, { recursive: true });
  });
});
