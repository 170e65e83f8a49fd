import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredProvider, generateClients } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { displayPath, formatDuration } from '../create-io.ts';

export const generateCommand = defineCommand({
  path: ['generate'],
  summary: 'Generate the Prisma clients and datamodel from prisma/schema.prisma',
  description:
    'Writes <generated>/<provider>/ (client, datamodel.json, provider-specific schema.prisma) for SQLite and PostgreSQL.\n' +
    'The provider declared in schema.prisma must succeed; the other one is best-effort.',
  options: {
    'if-missing': { type: 'boolean', description: 'Only generate when there is a schema and no generated client yet (postinstall)' },
  },
  async run({ config, io, hooks }, { options }) {
    if (options['if-missing']) {
      if (!existsSync(config.schemaPath)) return io.out(`No schema at ${displayPath(config.schemaPath, config.cwd)}: nothing to generate.`);
      const declared = declaredProvider(readFileSync(config.schemaPath, 'utf8'));
      const datamodel = join(config.generatedDir, declared, 'datamodel.json');
      if (existsSync(datamodel)) return io.out(`Clients already generated in ${displayPath(config.generatedDir, config.cwd)} (run \`cairn generate\` to refresh).`);
    }
    const started = performance.now();
    const results = await generateClients({ schemaPath: config.schemaPath, outDir: config.generatedDir });
    for (const result of results) {
      const where = displayPath(join(config.generatedDir, result.provider), config.cwd);
      io.out(result.ok ? `✔ ${result.provider}: ${where}` : `✖ ${result.provider} skipped: ${result.error?.split('\n')[0]}`);
    }
    if (hooks.printSchema) {
      const printed = await hooks.printSchema({ generatedDir: config.generatedDir, schemaPath: config.schemaPath, cwd: config.cwd });
      if (printed) io.out(printed);
    }
    io.out(`Generated in ${formatDuration(performance.now() - started)}.`);
  },
});
