import { dirname, join, resolve } from 'node:path';
import { providerOf, type Provider } from '../db/index.ts';

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
  /** CAIRN_MIGRATIONS_DIR. @default `migrations/` beside the schema (prisma/migrations) */
  migrationsDir: string;
  /** CAIRN_SEED. @default `seed.ts` beside the schema (prisma/seed.ts) */
  seedPath: string;
}

export function resolveCliConfig(env: NodeJS.ProcessEnv, cwd: string): CliConfig {
  const databaseUrl = env.DATABASE_URL || 'file:./data/cairn.db';
  const provider = providerOf(databaseUrl);
  const schemaPath = resolve(cwd, env.CAIRN_SCHEMA || 'prisma/schema.prisma');
  const generatedDir = resolve(cwd, env.CAIRN_GENERATED_DIR || 'src/generated');
  return {
    cwd,
    databaseUrl,
    provider,
    schemaPath,
    generatedDir,
    engineSchemaPath: join(generatedDir, provider, 'schema.prisma'),
    migrationsDir: resolve(cwd, env.CAIRN_MIGRATIONS_DIR || join(dirname(schemaPath), 'migrations')),
    seedPath: resolve(cwd, env.CAIRN_SEED || join(dirname(schemaPath), 'seed.ts')),
  };
}
