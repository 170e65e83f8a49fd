import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { expect, it } from 'vitest';
import codegenConfig from '../codegen.ts';
import { loadGenerated } from '../src/db/index.ts';
import { buildSchema, printSdl } from '../src/schema/index.ts';
import { fixtures } from './support/fixtures.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

it('codegen turns the SDL and example operations into typed documents that tsc checks', async () => {
  const generated = await loadGenerated(fixtures.blog.generated, 'sqlite');
  const sdlPath = join(mkdtempSync(join(tmpdir(), 'cairn-sdl-')), 'schema.graphql');
  writeFileSync(sdlPath, printSdl(buildSchema({ datamodel: generated.datamodel, dbNull: generated.Prisma.DbNull })));

  await generate({ ...codegenConfig, cwd: root, schema: sdlPath, silent: true }, true);
  const output = readFileSync(join(root, 'test/operations/generated/graphql.ts'), 'utf8');
  expect(output).toContain('export type LatestPostsQuery');
  expect(output).toContain('LatestPostsDocument');

  // tsc must accept typed-usage.ts, including every @ts-expect-error staying an error.
  const tsconfig = join(root, 'test/.tsconfig.codegen.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: '../tsconfig.json', include: ['operations/typed-usage.ts'], exclude: [], compilerOptions: { noEmit: true } }),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig]).catch((error) => error);
  expect(result.stdout ?? '', 'tsc output').toBe('');
}, 120_000);
