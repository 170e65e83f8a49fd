import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClients } from '../../src/db/index.ts';
import { fixtures } from './fixtures.ts';

// What the generated output depends on besides the schema.
const generators = ['../../src/db/generate.ts', '../../src/db/datamodel-generator.ts'].map((path) => readFileSync(new URL(path, import.meta.url)));

/** Generates each fixture's clients once, skipping those whose schema and generators have not changed. */
export default async function setup(): Promise<void> {
  await Promise.all(
    Object.values(fixtures).map(async ({ schema, generated }) => {
      const hash = generators.reduce((h, source) => h.update(source), createHash('sha256').update(readFileSync(schema))).digest('hex');
      const stamp = join(generated, '.schema-hash');
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
      await generateClients({ schemaPath: schema, outDir: generated });
      writeFileSync(stamp, hash);
    }),
  );
}
