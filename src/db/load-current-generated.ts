import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildFreshness } from './build-stamp.ts';
import { generateClients } from './generate.ts';
import { loadGenerated, type Generated } from './load-generated.ts';
import type { Provider } from './provider.ts';

export interface LoadCurrentOptions {
  generatedDir: string;
  provider: Provider;
  /** The user's schema; without one (e.g. an image that ships only generated output) nothing is compared. */
  schemaPath: string;
  /** `regenerate` (development): generate again when stale. `refuse` (production): a stale build is a boot error. */
  whenStale: 'regenerate' | 'refuse';
  /** Told when a stale build is regenerated. @default console.warn */
  warn?: (message: string) => void;
}

/** A StaleBuildError stops the server: it would serve the old API and the old access rules. */
export class StaleBuildError extends Error {
  override name = 'StaleBuildError';
}

/**
 * The generated client, checked against the schema it was generated from (a sha256 stored by
 * `cairn generate`): a schema edited since is regenerated in development and refused in
 * production, naming both files.
 */
export async function loadCurrentGenerated(options: LoadCurrentOptions): Promise<Generated> {
  const providerDir = join(options.generatedDir, options.provider);
  if (existsSync(options.schemaPath) && existsSync(providerDir)) {
    const freshness = buildFreshness(providerDir, options.schemaPath);
    if (!freshness.fresh) {
      const shown = (path: string) => relative(process.cwd(), path) || '.';
      if (options.whenStale === 'refuse') {
        throw new StaleBuildError(
          `${shown(options.schemaPath)} does not match the client in ${shown(providerDir)}: ${freshness.reason}. ` +
            'Serving it would serve the old API and the old access rules. Run `npx cairn generate` (the Docker image does it at build time).',
        );
      }
      (options.warn ?? console.warn)(`${shown(options.schemaPath)} changed since the last \`cairn generate\`: generating the clients again…`);
      await generateClients({ schemaPath: options.schemaPath, outDir: options.generatedDir });
    }
  }
  return loadGenerated(options.generatedDir, options.provider);
}
