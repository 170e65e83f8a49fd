import { existsSync } from 'node:fs';
import { migrateStatus, type Drift } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { formatDuration, type Io, displayPath } from '../create-io.ts';
import { ensureEngineSchema } from '../ensure-engine-schema.ts';

export const migrateStatusCommand = defineCommand({
  path: ['migrate', 'status'],
  summary: 'Show applied, pending and failed migrations and drift',
  description:
    'Exits with 1 when something needs doing (pending or failed migrations, drift), 0 when up to date.\n' +
    'Drift checks replay the migrations on a temporary database (PostgreSQL: needs CREATEDB).',
  options: {
    'skip-drift': { type: 'boolean', description: 'Do not compare the database and schema.prisma with the migrations' },
  },
  async run(context, { options }) {
    const { config, io } = context;
    const skipDrift = options['skip-drift'] ?? false;
    const schemaPath = !skipDrift && existsSync(config.schemaPath) ? await ensureEngineSchema(context) : undefined;
    const started = performance.now();
    const status = await migrateStatus({
      databaseUrl: config.databaseUrl,
      migrationsDir: config.migrationsDir,
      schemaPath,
      checkDatabaseDrift: !skipDrift,
    });
    io.out(`${status.migrations.length} migration(s) found in ${displayPath(config.migrationsDir, config.cwd)}`);
    for (const m of status.applied) io.out(`  ✔ ${m.name}  (applied ${m.finishedAt.toISOString()})`);
    for (const name of status.pending) io.out(`  … ${name}  (pending)`);
    for (const m of status.failed) {
      io.out(`  ✖ ${m.name}  (failed, started ${m.startedAt.toISOString()})`);
      if (m.logs) io.out(`      ${m.logs.split('\n')[0]}`);
    }
    for (const name of status.missingLocally) io.out(`  ? ${name}  (applied, missing from the folder)`);
    for (const name of status.edited) io.out(`  ! ${name}  (edited after it was applied)`);
    printDrift(io, 'Database vs. its migrations', status.databaseDrift);
    printDrift(io, 'schema.prisma vs. migrations', status.schemaDrift);
    const took = formatDuration(performance.now() - started);
    if (!status.nextSteps.length) return io.out(`✔ Database schema is up to date (${took}).`);
    io.out('Next steps:');
    for (const step of status.nextSteps) io.out(`  - ${step}`);
    return 1;
  },
});

function printDrift(io: Io, label: string, drift: Drift | undefined): void {
  if (!drift) return;
  if (drift.status === 'none') return io.out(`${label}: no drift`);
  if (drift.status === 'unknown') return io.out(`${label}: not checked (${drift.reason.split('\n')[0]})`);
  io.out(`${label}: drift`);
  for (const line of drift.summary.split('\n')) if (line.trim()) io.out(`    ${line}`);
}
