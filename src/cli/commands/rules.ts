import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFreshness, generateClients, type Datamodel } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { displayPath, formatDuration } from '../create-io.ts';

export const rulesCommand = defineCommand({
  path: ['rules'],
  summary: 'Print the access rules: model × operation → rule, and the models without rules',
  description:
    'Reads the /// @@allow, @@deny, @allow and @deny annotations of schema.prisma as it is now (the clients are\n' +
    'generated again first when the schema changed since the last `cairn generate`) and checks them as the server\n' +
    'does at boot: a rule that does not parse or names an unknown field fails here with the line and the expected form.',
  options: {},
  async run({ config, io }) {
    const providerDir = join(config.generatedDir, config.provider);
    const path = join(providerDir, 'datamodel.json');
    if (!existsSync(config.schemaPath) && !existsSync(path)) throw new Error(`No schema at ${displayPath(config.schemaPath, config.cwd)} (set CAIRN_SCHEMA).`);
    if (existsSync(config.schemaPath) && (!existsSync(path) || !buildFreshness(providerDir, config.schemaPath).fresh)) {
      io.err(`${displayPath(config.schemaPath, config.cwd)} changed since the last \`cairn generate\`: generating the clients…`);
      const started = performance.now();
      await generateClients({ schemaPath: config.schemaPath, outDir: config.generatedDir });
      io.err(`Generated in ${formatDuration(performance.now() - started)}.`);
    }
    const datamodel = JSON.parse(readFileSync(path, 'utf8')) as Datamodel;
    const schema = existsSync(config.schemaPath) ? { path: displayPath(config.schemaPath, config.cwd), text: readFileSync(config.schemaPath, 'utf8') } : undefined;
    // Loaded on use: `cairn --help` should not pay for the rules engine.
    const { printRules, resolveRules } = await import('../../access/index.ts');
    io.out(printRules(resolveRules(datamodel, { schema })));
  },
});
