import { fileURLToPath } from 'node:url';
import type { Provider } from '../../src/db/index.ts';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

const functionsPath = fileURLToPath(new URL('./fixtures/blog-functions.ts', import.meta.url));

/** The blog fixture with app code from a file, as production finds it (CAIRN_FUNCTIONS; the default file unless `env` names another), workers started. */
export async function createFunctionsApp(provider: Provider, env: Record<string, string> = {}, logged: unknown[] = [], { viewerHeader = true } = {}): Promise<TestApp> {
  const t = await createTestApp('blog', provider, { CAIRN_FUNCTIONS: functionsPath, CAIRN_JOBS_POLL_MS: '100', ...env }, {
    viewerHeader,
    logError: (error: unknown) => logged.push(error),
  } as TestAppOptions);
  await t.app.startWorkers();
  return t;
}

