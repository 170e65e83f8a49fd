import { defineCommand } from '../command.ts';
import { displayPath } from '../create-io.ts';
import { ensureEngineSchema } from '../ensure-engine-schema.ts';
import { noMigrationsMessage } from './migrate-deploy.ts';

export const startCommand = defineCommand({
  path: ['start'],
  summary: 'Prepare the database (migrate deploy for DATABASE_URL\'s provider), then serve',
  description:
    'What the Docker image runs. With migrations in prisma/migrations/<provider>/: applies the pending ones\n' +
    '(advisory-locked, so several instances can start at once). Without: in development a schema push that\n' +
    'refuses data loss; in production (NODE_ENV) a refusal, unless CAIRN_SYNC_SCHEMA=push asks for that push.\n' +
    'Then serves (a build older than schema.prisma is refused in production, regenerated in development).',
  options: {},
  async run(context) {
    const { config, io } = context;
    const db = await import('../../db/index.ts');
    const production = process.env.NODE_ENV === 'production';
    // Before touching the database: a stale build is refused (production) or regenerated (development).
    await db.loadCurrentGenerated({ ...config, whenStale: production ? 'refuse' : 'regenerate', warn: (line) => io.err(`⚠ ${line}`) });
    if (db.readMigrations(config.migrationsDir).length) {
      const { applied } = await db.migrateDeploy({ databaseUrl: config.databaseUrl, migrationsDir: config.migrationsDir });
      const where = displayPath(config.migrationsDir, config.cwd);
      io.out(applied.length ? `✔ Applied ${applied.length} migration(s) from ${where}` : `✔ No pending migrations in ${where}`);
    } else if (production && process.env.CAIRN_SYNC_SCHEMA !== 'push') {
      throw new Error(`${noMigrationsMessage(config)}\n(To serve without migrations, e.g. a demo, set CAIRN_SYNC_SCHEMA=push: a schema push that refuses data loss.)`);
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
