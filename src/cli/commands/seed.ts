import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../command.ts';
import { formatDuration, displayPath } from '../create-io.ts';

export const seedCommand = defineCommand({
  path: ['seed'],
  summary: 'Run prisma/seed.ts (CAIRN_SEED): sample data, users who can sign in',
  description:
    'A seed whose default export is a function is called with { db, datamodel, createUser, log } (see SeedContext);\n' +
    'in development the schema is pushed first. Any other seed runs as a plain script. Arguments after `--` are\n' +
    'passed on. It gets the same environment (DATABASE_URL …).',
  options: {},
  async run({ config, io }, { positionals }) {
    if (!existsSync(config.seedPath)) throw new Error(`No seed script at ${displayPath(config.seedPath, config.cwd)} (set CAIRN_SEED).`);
    io.out(`Running ${displayPath(config.seedPath, config.cwd)}…`);
    const started = performance.now();
    // tsx as Cairn resolves it, so the seed runs even where the app does not depend on tsx itself.
    const tsx = import.meta.resolve('tsx');
    const runner = fileURLToPath(new URL('../run-seed.ts', import.meta.url));
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', tsx, runner, config.seedPath, ...positionals], {
        stdio: 'inherit',
        cwd: config.cwd,
        env: { ...process.env, DATABASE_URL: config.databaseUrl, CAIRN_SCHEMA: config.schemaPath, CAIRN_GENERATED_DIR: config.generatedDir },
      });
      child.on('error', reject);
      child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    if (code !== 0) throw new Error(`The seed script exited with code ${code}.`);
    io.out(`✔ Seeded in ${formatDuration(performance.now() - started)}.`);
  },
});
