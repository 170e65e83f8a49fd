import { readFileSync } from 'node:fs';
import { MigrateError, migrateDev, providers, writeCompanionMigrations, type MigrateDevOptions } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { confirm, formatDuration, type Io, displayPath } from '../create-io.ts';
import { ensureEngineSchema } from '../ensure-engine-schema.ts';
import { printApplied, printChanges } from '../print-migrations.ts';

export const migrateDevCommand = defineCommand({
  path: ['migrate', 'dev'],
  summary: 'Create a migration from schema changes and apply it (development)',
  description:
    'Applies pending migrations, writes prisma/migrations/<provider>/<timestamp>_<name>/migration.sql for what\n' +
    'changed in schema.prisma, and applies it — and writes the same change for the other provider\n' +
    '(prisma/migrations/sqlite/ and prisma/migrations/postgresql/; the other is written, not applied, and needs\n' +
    'no database of its kind). Changes that lose data are asked about (y/N), or need --accept-data-loss\n' +
    'when no one can answer (CI, pipes). To rename instead of drop + add: --create-only, edit the SQL, run again.',
  options: {
    name: { type: 'string', short: 'n', valueName: '<name>', description: 'Name of the migration (asked for when missing)' },
    'create-only': { type: 'boolean', description: 'Write the migration without applying it' },
    'accept-data-loss': { type: 'boolean', description: 'Accept changes that lose data without asking' },
  },
  async run(context, { options }) {
    const { config, io } = context;
    const schemaPath = await ensureEngineSchema(context);
    const started = performance.now();
    const run = (name: string | undefined) =>
      migrateDev({
        databaseUrl: config.databaseUrl,
        schemaPath,
        migrationsDir: config.migrationsDir,
        name,
        createOnly: options['create-only'],
        acceptDataLoss: options['accept-data-loss'],
        confirmDataLoss: io.interactive ? (warnings) => confirmLoss(io, warnings, options['create-only']) : undefined,
      } satisfies MigrateDevOptions);
    const result = await run(options.name).catch(async (error: unknown) => {
      if (!(error instanceof MigrateError)) throw error;
      if (error.code === 'NAME_REQUIRED' && io.interactive) return run(await io.ask('Name of the new migration: '));
      if (error.code === 'DATA_LOSS' && !io.interactive && !options['accept-data-loss']) {
        error.message += '\n\n(No terminal to ask in: pass --accept-data-loss to proceed.)';
      }
      throw error;
    });
    if (result.appliedBefore.length) io.out('Applied pending migrations:');
    printApplied(io, result.appliedBefore);
    const took = formatDuration(performance.now() - started);
    if (!result.created) return io.out(`✔ Already in sync: no schema changes to migrate (${took}).`);
    const where = displayPath(result.created.path, config.cwd);
    io.out(result.applied ? `✔ Created and applied ${result.created.name} (${where}):` : `✔ Created ${result.created.name} (${where}), not applied:`);
    printChanges(io, result.created.changes);
    if (config.flatMigrations) {
      io.out(`· ${displayPath(config.migrationsDir, config.cwd)} holds one provider's migrations: move them to ${displayPath(config.migrationsDirs[config.provider], config.cwd)} to get the other provider's too.`);
    } else {
      const schema = readFileSync(config.schemaPath, 'utf8');
      const others = providers.filter((p) => p !== config.provider).map((provider) => ({ provider, dir: config.migrationsDirs[provider] }));
      for (const companion of await writeCompanionMigrations({ name: result.created.name, mainDir: config.migrationsDir, schema, others })) {
        if (!companion.path) {
          io.out(`⚠ No ${companion.provider} migration: ${companion.note}.`);
          continue;
        }
        io.out(`✔ Created ${result.created.name} for ${companion.provider} too (${displayPath(companion.path, config.cwd)}, applied by \`cairn migrate deploy\` there):`);
        printChanges(io, companion.changes);
      }
    }
    if (!result.applied) io.out('Edit it if needed, then run `cairn migrate dev` to apply it.');
    io.out(`Done in ${took}.`);
  },
});

async function confirmLoss(io: Io, warnings: string[], createOnly = false): Promise<boolean> {
  io.out('⚠ This migration would lose data:');
  for (const warning of warnings) io.out(`  - ${warning}`);
  return confirm(io, createOnly ? 'Create this migration?' : 'Create and apply this migration?');
}
