import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { defineCommand } from '../command.ts';
import { formatDuration, displayPath } from '../create-io.ts';

export const seedCommand = defineCommand({
  path: ['seed'],
  summary: 'Run prisma/seed.ts (CAIRN_SEED) with tsx',
  description: 'Arguments after `--` are passed to the seed script. It gets the same environment (DATABASE_URL …).',
  options: {},
  async run({ config, io }, { positionals }) {
    if (!existsSync(config.seedPath)) throw new Error(`No seed script at ${config.seedPath} (set CAIRN_SEED).`);
    io.out(`Running ${displayPath(config.seedPath, config.cwd)}…`);
    const started = performance.now();
    // tsx as Cairn resolves it, so the seed runs even where the app does not depend on tsx itself.
    const tsx = import.meta.resolve('tsx');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', tsx, config.seedPath, ...positionals], {
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: config.databaseUrl },
      });
      child.on('error', reject);
      child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    if (code !== 0) throw new Error(`The seed script exited with code ${code}.`);
    io.out(`✔ Seeded in ${formatDuration(performance.now() - started)}.`);
  },
});
