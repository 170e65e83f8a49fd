import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDeploy, migrateDev } from '../../src/db/migrate/index.ts';
import { createTestDatabases, providers, readText, sql, writeSchema } from './helpers.ts';

/** `_prisma_migrations` as Prisma's engines create it: column, type, nullable. */
const prismaColumns = {
  sqlite: [
    ['id', 'TEXT', false],
    ['checksum', 'TEXT', false],
    ['finished_at', 'DATETIME', true],
    ['migration_name', 'TEXT', false],
    ['logs', 'TEXT', true],
    ['rolled_back_at', 'DATETIME', true],
    ['started_at', 'DATETIME', false],
    ['applied_steps_count', 'INTEGER UNSIGNED', false],
  ],
  postgresql: [
    ['id', 'character varying(36)', false],
    ['checksum', 'character varying(64)', false],
    ['finished_at', 'timestamp with time zone', true],
    ['migration_name', 'character varying(255)', false],
    ['logs', 'text', true],
    ['rolled_back_at', 'timestamp with time zone', true],
    ['started_at', 'timestamp with time zone', false],
    ['applied_steps_count', 'integer', false],
  ],
};

const columnsQuery = {
  sqlite: `SELECT name, type, "notnull" = 0 AS nullable FROM pragma_table_info('_prisma_migrations') ORDER BY cid`,
  postgresql: `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
    FROM pg_attribute a WHERE a.attrelid = '"_prisma_migrations"'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
};

describe.each(providers)('_prisma_migrations on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`history_${provider}`);
  afterAll(() => dbs.cleanup());

  it('has Prisma\'s columns, and rows like `prisma migrate deploy` writes them', async () => {
    const schemaPath = writeSchema(join(dbs.dir, 'schema.prisma'), provider, 'model Tag {\n  id   Int    @id\n  name String\n}');
    const migrationsDir = join(dbs.dir, 'migrations');
    const devDb = await dbs.create(provider);
    const { created } = await migrateDev({ databaseUrl: devDb, schemaPath, migrationsDir, name: 'tags' });
    const databaseUrl = await dbs.create(provider);
    const before = new Date(Date.now() - 1000);
    await migrateDeploy({ databaseUrl, migrationsDir });

    const columns = await sql(databaseUrl, columnsQuery[provider]);
    expect(columns.map((c) => [c.name, c.type, Boolean(Number(c.nullable))])).toEqual(prismaColumns[provider]);

    const [row, ...others] = await sql(databaseUrl, `SELECT * FROM "_prisma_migrations"`);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      checksum: createHash('sha256').update(readText(created!.path)).digest('hex'),
      migration_name: created!.name,
      logs: null,
      rolled_back_at: null,
    });
    expect(Number(row!.applied_steps_count)).toBe(1);
    const started = new Date(String(row!.started_at));
    const finished = new Date(String(row!.finished_at));
    expect(started.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(finished.getTime()).toBeGreaterThanOrEqual(started.getTime());
  });
});
