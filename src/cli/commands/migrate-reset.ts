import { migrateReset } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { confirm, formatDuration } from '../create-io.ts';
import { printApplied } from '../print-migrations.ts';

export const migrateResetCommand = defineCommand({
  path: ['migrate', 'reset'],
  summary: 'Drop all data and tables, then apply every migration (development)',
  options: {
    force: { type: 'boolean', short: 'f', description: 'Do not ask for confirmation (required without a terminal)' },
  },
  async run({ config, io }, { options }) {
    if (!options.force) {
      if (!io.interactive) throw new Error('`cairn migrate reset` drops all data: pass --force to run it without a terminal.');
      if (!(await confirm(io, `Reset ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}? All data will be lost.`))) return 1;
    }
    const started = performance.now();
    const applied = await migrateReset({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
    printApplied(io, applied);
    io.out(`✔ Database reset, ${applied.length} migration(s) applied in ${formatDuration(performance.now() - started)}.`);
  },
});
