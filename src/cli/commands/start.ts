import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../command.ts';
import { ensureEngineSchema } from '../ensure-engine-schema.ts';

export const startCommand = defineCommand({
  path: ['start'],
  summary: 'Prepare the database (migrate deploy, or a safe push without migrations), then serve',
  description:
    'What the Docker image runs. With a migrations folder: applies pending migrations (advisory-locked, so\n' +
    'several instances can start at once). Without one: a schema push that refuses data loss. Then serves.',
  options: {},
  async run(context) {
    const { config, io } = context;
    const db = await import('../../db/index.ts');
    if (existsSync(join(config.migrationsDir, 'migration_lock.toml'))) {
      const { applied } = await db.migrateDeploy({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
      io.out(applied.length ? `✔ Applied ${applied.length} migration(s)` : '✔ No pending migrations');
    } else {
      const schemaPath = await ensureEngineSchema(context);
      const { executedSteps } = await db.pushSchema({ databaseUrl: config.databaseUrl, schemaPath });
      io.out(`✔ Schema in sync (${executedSteps} step(s) applied)`);
    }
    process.env.CAIRN_SYNC_SCHEMA = 'off';
    await import('../../main.ts');
    // main.ts owns the process from here (it exits on SIGINT/SIGTERM).
    await new Promise(() => {});
  },
});
