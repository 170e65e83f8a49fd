import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lockedProvider, lockfileName, providerOf, providers, type Provider } from '../db/index.ts';

/** Where the CLI finds things, from the environment, resolved once. */
export interface CliConfig {
  /** The working directory paths were resolved against (and are shown relative to). */
  cwd: string;
  /** DATABASE_URL. @default file:./data/cairn.db */
  databaseUrl: string;
  provider: Provider;
  /** CAIRN_SCHEMA: the user's schema. @default prisma/schema.prisma */
  schemaPath: string;
  /** CAIRN_GENERATED_DIR: clients and provider-specific schemas. @default src/generated */
  generatedDir: string;
  /** The provider-specific schema the schema engine reads: `<generatedDir>/<provider>/schema.prisma`. */
  engineSchemaPath: string;
  /** CAIRN_MIGRATIONS_DIR: one folder per provider below it. @default `migrations/` beside the schema (prisma/migrations) */
  migrationsRoot: string;
  /** The migrations of DATABASE_URL's provider: `<migrationsRoot>/<provider>` (or a flat folder from before the split, see below). */
  migrationsDir: string;
  /** Each provider's migrations folder; `migrate dev` writes the same change into every one of them. */
  migrationsDirs: Record<Provider, string>;
  /**
   * A migrations folder with its migration_lock.toml at the top (one provider only, the layout
   * before per-provider folders): used as it is for its provider; no other provider's migrations.
   */
  flatMigrations?: string;
  /** CAIRN_SEED. @default `seed.ts` beside the schema (prisma/seed.ts) */
  seedPath: string;
}

export function resolveCliConfig(env: NodeJS.ProcessEnv, cwd: string): CliConfig {
  const databaseUrl = env.DATABASE_URL || 'file:./data/cairn.db';
  const provider = providerOf(databaseUrl);
  const schemaPath = resolve(cwd, env.CAIRN_SCHEMA || 'prisma/schema.prisma');
  const generatedDir = resolve(cwd, env.CAIRN_GENERATED_DIR || 'src/generated');
  const migrationsRoot = resolve(cwd, env.CAIRN_MIGRATIONS_DIR || join(dirname(schemaPath), 'migrations'));
  const flat = existsSync(join(migrationsRoot, lockfileName)) ? lockedProvider(migrationsRoot) : undefined;
  const migrationsDirs = Object.fromEntries(
    providers.map((p) => [p, flat === p ? migrationsRoot : join(migrationsRoot, p)]),
  ) as Record<Provider, string>;
  return {
    cwd,
    databaseUrl,
    provider,
    schemaPath,
    generatedDir,
    engineSchemaPath: join(generatedDir, provider, 'schema.prisma'),
    migrationsRoot,
    migrationsDir: migrationsDirs[provider],
    migrationsDirs,
    ...(flat ? { flatMigrations: flat } : {}),
    seedPath: resolve(cwd, env.CAIRN_SEED || join(dirname(schemaPath), 'seed.ts')),
  };
}
