import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSdl } from './build-sdl.ts';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { defaultCodegenConfig } from './codegen-config.ts';

/**
 * The `generate` hook (and `cairn dev` on every reload): writes `<generatedDir>/schema.graphql`,
 * then types the app's documents with graphql-codegen — the app's own codegen.ts when it has one,
 * else Cairn's default for `operations/*.graphql`. Codegen is a dev dependency: production
 * installs skip it.
 */
export async function writeSdl(options: { generatedDir: string; schemaPath: string; cwd?: string; sdl?: string }): Promise<string> {
  const sdlPath = join(options.generatedDir, 'schema.graphql');
  writeFileSync(sdlPath, options.sdl ?? (await buildSdl(options)));
  const lines = [`✔ GraphQL schema: ${sdlPath}`];
  const cwd = options.cwd ?? process.cwd();
  const own = join(cwd, 'codegen.ts');
  if (!existsSync(own) && !hasDocuments(join(cwd, 'operations'))) return lines.join('\n');
  const codegen = await import('@graphql-codegen/cli').catch(() => undefined);
  if (!codegen) return [...lines, '· graphql-codegen not installed: typed documents skipped'].join('\n');
  const config = existsSync(own)
    ? { ...((await import(pathToFileURL(own).href)) as { default: Types.Config }).default, schema: sdlPath }
    : defaultCodegenConfig(sdlPath);
  await codegen.generate({ ...(await withCairnPresets(config)), cwd, silent: true }, true);
  return [...lines, `✔ Typed documents: ${existsSync(own) ? 'see codegen.ts' : 'operations/generated/'}`].join('\n');
}

function hasDocuments(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((file) => /\.(graphql|gql)$/.test(file) && !file.startsWith('generated'));
}

/**
 * codegen resolves a preset named by a string from the app's folder, where an app linked to Cairn
 * (`file:`) has no node_modules of its own: `client` becomes the preset Cairn itself depends on.
 */
async function withCairnPresets(config: Types.Config): Promise<Types.Config> {
  const outputs = Object.entries(config.generates ?? {});
  if (!outputs.some(([, output]) => (output as { preset?: unknown }).preset === 'client')) return config;
  const { preset } = await import('@graphql-codegen/client-preset');
  const generates = Object.fromEntries(
    outputs.map(([path, output]) => [path, (output as { preset?: unknown }).preset === 'client' ? { ...(output as object), preset } : output]),
  );
  return { ...config, generates } as Types.Config;
}
