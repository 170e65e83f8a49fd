import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClients } from '../../src/db/index.ts';
import { fixtures } from './fixtures.ts';

/** Generates each fixture's clients once, skipping those whose schema has not changed. */
export default async function setup(): Promise<void> {
  await Promise.all(
    Object.values(fixtures).map(async ({ schema, generated }) => {
      const hash = createHash('sha256').update(readFileSync(schema)).update(readFileSync(new URL('../../src/db/generate.ts', import.meta.url))).digest('hex');
      const stamp = join(generated, '.schema-hash');
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
      await generateClients({ schemaPath: schema, outDir: generated });
      writeFileSync(stamp, hash);
    }),
  );
}
