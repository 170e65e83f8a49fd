import { migrateReset, planReset } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { confirm, displayPath, formatDuration } from '../create-io.ts';
import { printApplied } from '../print-migrations.ts';

export const migrateResetCommand = defineCommand({
  path: ['migrate', 'reset'],
  summary: 'Drop all data and tables, then apply every migration (development)',
  description:
    'Lists what it drops (every table, with its row count) and what it applies, then asks. Works on any database:\n' +
    'one with a migration history, one made by `cairn db push` or `npm start` (no history), an empty one.',
  options: {
    force: { type: 'boolean', short: 'f', description: 'Do not ask for confirmation (required without a terminal)' },
  },
  async run({ config, io }, { options }) {
    const target = config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@');
    const plan = await planReset({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
    io.out(`Resetting ${target}:`);
    if (!plan.tables.length) io.out('  (no tables to drop)');
    for (const table of plan.tables) io.out(`  - drop table ${table.name} (${table.rows} row${table.rows === 1 ? '' : 's'})`);
    io.out(plan.migrations.length ? `then apply ${plan.migrations.length} migration(s) from ${displayPath(config.migrationsDir, config.cwd)}.` : `then apply nothing: ${displayPath(config.migrationsDir, config.cwd)} holds no migrations.`);
    if (!options.force) {
      if (!io.interactive) throw new Error('`cairn migrate reset` drops all data: pass --force to run it without a terminal.');
      if (!(await confirm(io, 'Drop all of this?'))) return 1;
    }
    const started = performance.now();
    const applied = await migrateReset({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
    printApplied(io, applied);
    io.out(`✔ Database reset, ${applied.length} migration(s) applied in ${formatDuration(performance.now() - started)}.`);
  },
});
