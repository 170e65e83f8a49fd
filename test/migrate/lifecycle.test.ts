import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatChange, MigrateError, migrateDeploy, migrateDev, migrateStatus } from '../../src/db/migrate/index.ts';
import { createTestDatabases, providers, readText, sql, writeSchema } from './helpers.ts';

const user = (columns: string) => `model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n${columns}\n}`;
const post = `model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n  @@index([authorId])\n}`;

describe.each(providers)('migrate lifecycle on %s', { timeout: 60_000 }, (provider) => {
  const dbs = createTestDatabases(`lifecycle_${provider}`);
  afterAll(() => dbs.cleanup());
  const schemaPath = join(dbs.dir, 'schema.prisma');
  const migrationsDir = join(dbs.dir, 'migrations');
  let databaseUrl: string;
  const dev = (name: string, extra: Partial<Parameters<typeof migrateDev>[0]> = {}) =>
    migrateDev({ databaseUrl, schemaPath, migrationsDir, name, ...extra });

  it('creates the first migration in Prisma\'s folder format and applies it', async () => {
    databaseUrl = await dbs.create(provider);
    writeSchema(schemaPath, provider, user('  name  String?'));
    const result = await dev('init');
    expect(result.created?.name).toMatch(/^\d{14}_init$/);
    expect(result.applied).toBe(true);
    expect(result.created?.changes.map(formatChange)).toEqual([
      '+ created table User',
      '+ created index User_email_key on User',
    ]);
    expect(readText(join(migrationsDir, 'migration_lock.toml'))).toContain(`provider = "${provider}"`);
    expect(readText(result.created!.path)).toContain('CREATE TABLE "User"');
    await sql(databaseUrl, `INSERT INTO "User" ("email", "name") VALUES ('ann@example.com', 'Ann')`);
  });

  it('does nothing when the schema matches the migrations', async () => {
    const result = await dev('noop');
    expect(result.created).toBeUndefined();
    expect(readdirSync(migrationsDir).filter((f) => f !== 'migration_lock.toml')).toHaveLength(1);
  });

  it('adds a model with a relation and reports what changed', async () => {
    writeSchema(schemaPath, provider, `${user('  name  String?\n  posts Post[]')}\n${post}`);
    const result = await dev('add post');
    expect(result.created?.name).toMatch(/^\d{14}_add_post$/);
    const changes = result.created!.changes.map(formatChange);
    expect(changes).toContain('+ created table Post');
    expect(changes).toContain('+ created index Post_authorId_idx on Post');
    if (provider === 'postgresql') expect(changes).toContain('+ created foreign key Post.Post_authorId_fkey');
  });

  it('adds a column, keeping existing rows', async () => {
    writeSchema(schemaPath, provider, `${user('  name  String?\n  bio   String?\n  posts Post[]')}\n${post}`);
    const result = await dev('add bio');
    expect(result.created!.changes.map(formatChange)).toContain('+ created column User.bio');
    expect(await sql(databaseUrl, 'SELECT "email", "name", "bio" FROM "User"')).toEqual([
      { email: 'ann@example.com', name: 'Ann', bio: null },
    ]);
  });

  it('renames a column with data: refuses drop + add, then applies an edited --create-only migration', async () => {
    writeSchema(schemaPath, provider, `${user('  fullName String?\n  bio   String?\n  posts Post[]')}\n${post}`);
    const refused = await dev('rename name').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MigrateError);
    expect((refused as MigrateError).code).toBe('DATA_LOSS');
    expect((refused as MigrateError).message).toMatch(/drop the column `name` on the `User` table/);
    expect(readdirSync(migrationsDir)).toHaveLength(4); // nothing written

    const draft = await dev('rename name', { createOnly: true, acceptDataLoss: true });
    expect(draft.applied).toBe(false);
    expect(draft.created!.changes.map(formatChange)).toEqual(expect.arrayContaining(['- dropped column User.name', '+ created column User.fullName']));
    writeFileSync(draft.created!.path, 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n');

    const applied = await dev('');
    expect(applied.appliedBefore.map((m) => m.name)).toEqual([draft.created!.name]);
    expect(applied.appliedBefore[0]!.changes.map(formatChange)).toEqual(['> renamed column User.name → fullName']);
    expect(applied.created).toBeUndefined(); // the edited migration matches the schema
    expect(await sql(databaseUrl, 'SELECT "fullName" FROM "User"')).toEqual([{ fullName: 'Ann' }]);
  });

  it('drops a column with data only with acceptDataLoss (or a yes from confirmDataLoss)', async () => {
    writeSchema(schemaPath, provider, `${user('  fullName String?\n  posts Post[]')}\n${post}`);
    await sql(databaseUrl, `UPDATE "User" SET "bio" = 'writer'`);
    const asked: string[][] = [];
    await expect(dev('drop bio', { confirmDataLoss: async (w) => (asked.push(w), false) })).rejects.toThrow(/lose data/);
    expect(asked[0]![0]).toMatch(/drop the column `bio`/);
    const result = await dev('drop bio', { confirmDataLoss: async () => true });
    expect(result.warnings[0]).toMatch(/`bio`/);
    expect(result.created!.changes.map(formatChange)).toContain('- dropped column User.bio');
    expect(await sql(databaseUrl, 'SELECT "email", "fullName" FROM "User"')).toEqual([{ email: 'ann@example.com', fullName: 'Ann' }]);
  });

  it('deploys every migration to a fresh database, then reports nothing pending and no drift', async () => {
    const fresh = await dbs.create(provider);
    const before = await migrateStatus({ databaseUrl: fresh, migrationsDir, schemaPath });
    expect(before.pending).toHaveLength(5);
    expect(before.hasMigrationsTable).toBe(false);

    const deployed = await migrateDeploy({ databaseUrl: fresh, migrationsDir });
    expect(deployed.found).toBe(5);
    expect(deployed.applied.map((m) => m.name)).toEqual(before.pending);
    expect((await migrateDeploy({ databaseUrl: fresh, migrationsDir })).applied).toEqual([]);

    const status = await migrateStatus({ databaseUrl: fresh, migrationsDir, schemaPath });
    expect(status).toMatchObject({ pending: [], failed: [], edited: [], missingLocally: [], nextSteps: [] });
    expect(status.applied).toHaveLength(5);
    expect(status.databaseDrift).toEqual({ status: 'none' });
    expect(status.schemaDrift).toEqual({ status: 'none' });
  });

  it('refuses a migrations folder locked to another provider', async () => {
    const other = provider === 'sqlite' ? 'postgresql' : 'sqlite';
    const dir = join(dbs.dir, 'other-migrations');
    mkdirSync(dir);
    writeFileSync(join(dir, 'migration_lock.toml'), `provider = "${other}"\n`);
    await expect(migrateDeploy({ databaseUrl, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`provider = "${other}" but DATABASE_URL is ${provider}`),
    );
  });
});
