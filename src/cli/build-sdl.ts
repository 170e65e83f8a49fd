import { readFileSync } from 'node:fs';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import { declaredProvider, loadGenerated } from '../db/index.ts';
import { printSdl } from '../schema/index.ts';

/** Never connected to: building the app opens no connection until a query runs. */
const placeholderUrls = { sqlite: 'file::memory:', postgresql: 'postgresql://127.0.0.1:5432/cairn-sdl' } as const;

/**
 * The SDL of the API exactly as the server builds it (CRUD plus auth and every other extension),
 * from the clients generated for the schema's declared provider. No database is touched.
 */
export async function buildSdl(options: { generatedDir: string; schemaPath: string }): Promise<string> {
  const provider = declaredProvider(readFileSync(options.schemaPath, 'utf8'));
  const generated = await loadGenerated(options.generatedDir, provider);
  const config = loadConfig(
    { ...process.env, NODE_ENV: 'development' },
    { databaseUrl: placeholderUrls[provider], provider, syncSchema: 'off', schemaPath: options.schemaPath, generatedDir: options.generatedDir },
  );
  const app = await buildApp({ config, generated, warn: () => {} });
  try {
    return printSdl(app.schema);
  } finally {
    await app.stop();
  }
}
