import { migrateResolve } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../parse-args.ts';

export const migrateResolveCommand = defineCommand({
  path: ['migrate', 'resolve'],
  summary: 'Mark a failed migration rolled back, or a migration applied',
  description:
    'After a failed migration: undo what it did (or finish it by hand), fix its SQL, then\n' +
    '  --rolled-back <name>  so `cairn migrate deploy` runs it again, or\n' +
    '  --applied <name>      when it was completed by hand (also: baselining an existing database).',
  options: {
    applied: { type: 'string', valueName: '<migration>', description: 'Record the migration as applied without running it' },
    'rolled-back': { type: 'string', valueName: '<migration>', description: 'Record the failed migration as rolled back' },
  },
  async run({ config, io }, { options }) {
    const applied = options.applied;
    const rolledBack = options['rolled-back'];
    if (!applied === !rolledBack) throw new UsageError('Pass exactly one of --applied <migration> or --rolled-back <migration>.');
    await migrateResolve({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir, applied, rolledBack });
    io.out(applied ? `✔ ${applied} recorded as applied.` : `✔ ${rolledBack} recorded as rolled back; \`cairn migrate deploy\` applies it again.`);
  },
});
