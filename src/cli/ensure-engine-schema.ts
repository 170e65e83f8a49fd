import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateClients, schemaForProvider } from '../db/index.ts';
import type { CommandContext } from './command.ts';
import { formatDuration } from './create-io.ts';

/**
 * The provider-specific schema the schema engine reads, regenerated (clients included) when it is
 * missing or no longer matches schema.prisma, so migrations never target a stale schema.
 */
export async function ensureEngineSchema({ config, io }: CommandContext): Promise<string> {
  if (!existsSync(config.schemaPath)) throw new Error(`No schema at ${config.schemaPath} (set CAIRN_SCHEMA).`);
  const expected = schemaForProvider(readFileSync(config.schemaPath, 'utf8'), config.provider, dirname(config.engineSchemaPath));
  if (existsSync(config.engineSchemaPath) && readFileSync(config.engineSchemaPath, 'utf8') === expected) {
    return config.engineSchemaPath;
  }
  io.out(`schema.prisma changed since the last \`cairn generate\`: generating clients…`);
  const started = performance.now();
  const results = await generateClients({ schemaPath: config.schemaPath, outDir: config.generatedDir });
  const result = results.find((r) => r.provider === config.provider);
  if (!result?.ok) {
    throw new Error(`schema.prisma cannot be used with ${config.provider} (DATABASE_URL):\n${result?.error ?? 'generation failed'}`);
  }
  io.out(`Generated clients in ${formatDuration(performance.now() - started)}.`);
  return config.engineSchemaPath;
}
