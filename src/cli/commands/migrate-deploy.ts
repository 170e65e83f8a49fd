import { migrateDeploy } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { formatDuration, displayPath } from '../create-io.ts';
import { printApplied } from '../print-migrations.ts';

export const migrateDeployCommand = defineCommand({
  path: ['migrate', 'deploy'],
  summary: 'Apply pending migrations (production, CI)',
  description:
    'Applies every migration not yet recorded in _prisma_migrations, under Prisma\'s migration lock, so\n' +
    'concurrent deploys apply each migration once. Never creates migrations or resets data.',
  options: {},
  async run({ config, io }) {
    const started = performance.now();
    const result = await migrateDeploy({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
    io.out(`${result.found} migration(s) found in ${displayPath(config.migrationsDir, config.cwd)}`);
    printApplied(io, result.applied);
    const took = formatDuration(performance.now() - started);
    io.out(result.applied.length ? `✔ Applied ${result.applied.length} migration(s) in ${took}.` : `✔ No pending migrations to apply (${took}).`);
  },
});
