/**
 * A Prisma generator (run by `prisma generate`, never imported) that writes the full datamodel —
 * models with defaults, unique indexes and `///` documentation, and enums with their values — to
 * `datamodel.json`, the input of Cairn's schema builder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import generatorHelper from '@prisma/generator-helper'; // CommonJS: no named ESM exports
import type { Datamodel } from './datamodel.ts';

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'Cairn datamodel', defaultOutput: './datamodel.json' }),
  onGenerate: async ({ dmmf, datasources, generator }) => {
    const output = generator.output?.value;
    if (!output) throw new Error('cairn datamodel generator: output is required');
    const datamodel: Datamodel = {
      provider: datasources[0]!.activeProvider as Datamodel['provider'],
      models: dmmf.datamodel.models as Datamodel['models'],
      enums: dmmf.datamodel.enums.map((e) => ({
        name: e.name,
        values: e.values.map((v) => v.name),
        dbValues: e.values.map((v) => v.dbName ?? v.name),
        documentation: e.documentation,
      })),
    };
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, JSON.stringify(datamodel, null, 1));
  },
});
