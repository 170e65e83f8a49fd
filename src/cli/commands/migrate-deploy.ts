import { migrateDeploy, readMigrations } from '../../db/index.ts';
import type { CliConfig } from '../resolve-cli-config.ts';
import { defineCommand } from '../command.ts';
import { formatDuration, displayPath } from '../create-io.ts';
import { printApplied } from '../print-migrations.ts';

export const migrateDeployCommand = defineCommand({
  path: ['migrate', 'deploy'],
  summary: 'Apply pending migrations (production, CI)',
  description:
    'Applies every migration not yet recorded in _prisma_migrations, under Prisma\'s migration lock, so\n' +
    'concurrent deploys apply each migration once. Never creates migrations or resets data. Reads\n' +
    'prisma/migrations/<provider of DATABASE_URL>/. Finding no migrations is an error in production (NODE_ENV).',
  options: {},
  async run({ config, io }) {
    if (!readMigrations(config.migrationsDir).length) {
      const message = noMigrationsMessage(config);
      if (process.env.NODE_ENV === 'production') throw new Error(message);
      io.err(`⚠ ${message}`);
    }
    const started = performance.now();
    const result = await migrateDeploy({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
    io.out(`${result.found} migration(s) found in ${displayPath(config.migrationsDir, config.cwd)}`);
    printApplied(io, result.applied);
    const took = formatDuration(performance.now() - started);
    io.out(result.applied.length ? `✔ Applied ${result.applied.length} migration(s) in ${took}.` : `✔ No pending migrations to apply (${took}).`);
  },
});

/** There is nothing to deploy: the tables would never be created. */
export function noMigrationsMessage(config: CliConfig): string {
  return (
    `No migrations in ${displayPath(config.migrationsDir, config.cwd)} (DATABASE_URL is ${config.provider}): nothing would create ` +
    'the tables, and every request would fail. Create them in development with `cairn migrate dev --name init` (it writes the ' +
    'SQLite and the PostgreSQL migration) and ship the prisma/migrations folder with the app.'
  );
}
