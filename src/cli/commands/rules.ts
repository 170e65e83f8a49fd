import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Datamodel } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { displayPath } from '../create-io.ts';

export const rulesCommand = defineCommand({
  path: ['rules'],
  summary: 'Print the access rules: model × operation → rule, and the models without rules',
  description:
    'Reads the /// @@allow, @@deny, @allow and @deny annotations from the generated datamodel (run `cairn generate` after\n' +
    'editing schema.prisma) and checks them as the server does at boot: a rule that does not parse or names an unknown\n' +
    'field fails here with the line and the expected form.',
  options: {},
  async run({ config, io }) {
    const path = join(config.generatedDir, config.provider, 'datamodel.json');
    if (!existsSync(path)) throw new Error(`No datamodel at ${displayPath(path, config.cwd)}; run \`cairn generate\` first.`);
    const datamodel = JSON.parse(readFileSync(path, 'utf8')) as Datamodel;
    const schema = existsSync(config.schemaPath) ? { path: displayPath(config.schemaPath, config.cwd), text: readFileSync(config.schemaPath, 'utf8') } : undefined;
    // Loaded on use: `cairn --help` should not pay for the rules engine.
    const { printRules, resolveRules } = await import('../../access/index.ts');
    io.out(printRules(resolveRules(datamodel, { schema })));
  },
});
