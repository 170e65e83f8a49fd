import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type Io } from '../../src/cli/index.ts';
import { pushSchema } from '../../src/db/index.ts';
import { diffSchemasOffline, migrateStatus } from '../../src/db/migrate/index.ts';
import { createTestDatabases, providers, sql, writeSchema } from './helpers.ts';

const models = `model Note {\n  id    Int    @id @default(autoincrement())\n  title String\n}\nmodel Tag {\n  name String @id\n}`;

/**
 * The report: `migrate reset` on a database `npm start` had pushed dropped every table,
 * then failed with "already has tables but no migration history" (SQLite keeps sqlite_sequence),
 * and its hint said to run reset again.
 */
describe.each(providers)('cairn migrate reset on a pushed database (%s)', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`reset_${provider}`);
  afterAll(() => dbs.cleanup());

  it('lists every table it drops with its rows, then leaves the database at its migrations', async () => {
    const databaseUrl = await dbs.create(provider);
    const schemaPath = writeSchema(join(dbs.dir, 'engine.prisma'), provider, models);
    await pushSchema({ databaseUrl, schemaPath });
    await sql(databaseUrl, `INSERT INTO "Note" ("title") VALUES ('a'), ('b')`);
    await sql(databaseUrl, `INSERT INTO "Tag" ("name") VALUES ('x')`);

    // A migrations folder made for the same schema (as `cairn migrate dev` writes for a second provider).
    const migrationsDir = join(dbs.dir, 'migrations', provider);
    mkdirSync(join(migrationsDir, '20260101000000_init'), { recursive: true });
    const schema = `datasource db {\n  provider = "${provider}"\n}\n${models}\n`;
    writeFileSync(join(migrationsDir, '20260101000000_init', 'migration.sql'), await diffSchemasOffline(provider, undefined, schema));
    writeFileSync(join(migrationsDir, 'migration_lock.toml'), `provider = "${provider}"\n`);

    const lines: string[] = [];
    const io: Io = { out: (l = '') => void lines.push(l), err: (l = '') => void lines.push(l), interactive: false, ask: async () => '' };
    const env = { DATABASE_URL: databaseUrl, CAIRN_MIGRATIONS_DIR: join(dbs.dir, 'migrations'), CAIRN_SCHEMA: join(dbs.dir, 'none.prisma') };
    const refused = await runCli(['migrate', 'reset'], { io, env, cwd: dbs.dir });
    expect(refused).toBe(1);
    expect(Number((await sql(databaseUrl, 'SELECT COUNT(*) AS n FROM "Note"'))[0]!.n)).toBe(2);

    lines.length = 0;
    expect(await runCli(['migrate', 'reset', '--force'], { io, env, cwd: dbs.dir })).toBe(0);
    const text = lines.join('\n');
    // Destructive steps come first, before anything ran.
    expect(text).toMatch(/^Resetting .*:\n {2}- drop table Note \(2 rows\)\n {2}- drop table Tag \(1 row\)\nthen apply 1 migration\(s\) from migrations\/\w+\.\n/);
    expect(text).toMatch(/✔ 20260101000000_init[\s\S]*✔ Database reset, 1 migration\(s\) applied/);
    const status = await migrateStatus({ databaseUrl, migrationsDir, checkDatabaseDrift: true });
    expect(status).toMatchObject({ pending: [], failed: [], databaseDrift: { status: 'none' }, nextSteps: [] });
    expect(Number((await sql(databaseUrl, 'SELECT COUNT(*) AS n FROM "Note"'))[0]!.n)).toBe(0);

    // And again, now that it has a history.
    expect(await runCli(['migrate', 'reset', '--force'], { io, env, cwd: dbs.dir })).toBe(0);
  });
});
