import { pushSchema, SchemaPushError } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { confirm, formatDuration } from '../create-io.ts';
import { ensureEngineSchema } from '../ensure-engine-schema.ts';

export const dbPushCommand = defineCommand({
  path: ['db', 'push'],
  summary: 'Make the database match schema.prisma without migrations (prototyping)',
  description: 'Changes that lose data (dropped tables or columns) need --accept-data-loss, or a yes when asked.',
  options: {
    'accept-data-loss': { type: 'boolean', description: 'Apply changes that lose data without asking' },
  },
  async run(context, { options }) {
    const { config, io } = context;
    const schemaPath = await ensureEngineSchema(context);
    const started = performance.now();
    const push = (acceptDataLoss: boolean) => pushSchema({ databaseUrl: config.databaseUrl, schemaPath, acceptDataLoss });
    let result;
    try {
      result = await push(options['accept-data-loss'] ?? false);
    } catch (error) {
      const canAsk = error instanceof SchemaPushError && !error.unexecutable.length && io.interactive;
      if (!canAsk) throw error;
      for (const warning of error.warnings) io.out(`⚠ ${warning}`);
      if (!(await confirm(io, 'Apply these changes and lose the data?'))) return 1;
      result = await push(true);
    }
    for (const warning of result.warnings) io.out(`⚠ ${warning}`);
    const took = formatDuration(performance.now() - started);
    io.out(
      result.executedSteps
        ? `✔ Database in sync with the schema: ${result.executedSteps} step(s) in ${took}.`
        : `✔ Database already in sync with the schema (${took}).`,
    );
  },
});
