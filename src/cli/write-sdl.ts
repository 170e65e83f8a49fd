import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSdl } from './build-sdl.ts';

/**
 * The `generate` hook: writes `<generatedDir>/schema.graphql`, then runs graphql-codegen with the
 * project's codegen.ts when both exist (codegen is a dev dependency; production installs skip it).
 */
export async function writeSdl(options: { generatedDir: string; schemaPath: string; cwd?: string }): Promise<string> {
  const sdlPath = join(options.generatedDir, 'schema.graphql');
  writeFileSync(sdlPath, await buildSdl(options));
  const lines = [`✔ GraphQL schema: ${sdlPath}`];
  const cwd = options.cwd ?? process.cwd();
  const codegenConfig = join(cwd, 'codegen.ts');
  if (!existsSync(codegenConfig)) return lines.join('\n');
  const codegen = await import('@graphql-codegen/cli').catch(() => undefined);
  if (!codegen) return [...lines, '· graphql-codegen not installed: typed documents skipped'].join('\n');
  const { default: config } = (await import(codegenConfig)) as { default: import('@graphql-codegen/plugin-helpers').Types.Config };
  await codegen.generate({ ...config, cwd, schema: sdlPath, silent: true }, true);
  return [...lines, '✔ Typed documents: see codegen.ts'].join('\n');
}
