import { describe, expect, it } from 'vitest';
import { resolveCliConfig } from './resolve-cli-config.ts';

describe('resolveCliConfig', () => {
  it('defaults to SQLite and the prisma/ folder', () => {
    expect(resolveCliConfig({}, '/app')).toEqual({
      cwd: '/app',
      databaseUrl: 'file:./data/cairn.db',
      provider: 'sqlite',
      schemaPath: '/app/prisma/schema.prisma',
      generatedDir: '/app/src/generated',
      engineSchemaPath: '/app/src/generated/sqlite/schema.prisma',
      migrationsRoot: '/app/prisma/migrations',
      migrationsDir: '/app/prisma/migrations/sqlite',
      migrationsDirs: { sqlite: '/app/prisma/migrations/sqlite', postgresql: '/app/prisma/migrations/postgresql' },
      seedPath: '/app/prisma/seed.ts',
    });
  });

  it('follows the environment; migrations and seed live beside a moved schema', () => {
    const config = resolveCliConfig(
      { DATABASE_URL: 'postgresql://u@h/db', CAIRN_SCHEMA: 'db/app.prisma', CAIRN_GENERATED_DIR: '/gen' },
      '/app',
    );
    expect(config).toMatchObject({
      provider: 'postgresql',
      schemaPath: '/app/db/app.prisma',
      engineSchemaPath: '/gen/postgresql/schema.prisma',
      migrationsDir: '/app/db/migrations/postgresql',
      seedPath: '/app/db/seed.ts',
    });
    expect(resolveCliConfig({ CAIRN_MIGRATIONS_DIR: 'm' }, '/app').migrationsDir).toBe('/app/m/sqlite');
  });

  it('rejects a DATABASE_URL it cannot connect to', () => {
    expect(() => resolveCliConfig({ DATABASE_URL: 'mysql://x' }, '/app')).toThrow(/must start with "file:"/);
  });
});
