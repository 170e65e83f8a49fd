import type { Plugin } from 'graphql-yoga';
import { useCompression } from './use-compression.ts';
import { useGraphiQLAssets } from './use-graphiql-assets.ts';

/** Responses smaller than this go out uncompressed. */
export const compressionThresholdBytes = 1024;

/**
 * How responses leave: GraphiQL's cacheable, compressed asset files (when GraphiQL is on; its
 * page is renderGraphiQLPage), and compression of every other response of 1 KiB or more outside development.
 * Compression is last in the plugin list so it sees the final response.
 */
export function useResponseDelivery(options: { development: boolean; graphiql: unknown }): Plugin[] {
  return [
    options.graphiql ? useGraphiQLAssets() : undefined,
    options.development ? undefined : useCompression({ thresholdBytes: compressionThresholdBytes }),
  ].filter((plugin) => plugin !== undefined);
}
export { renderGraphiQLPage } from './use-graphiql-assets.ts';
