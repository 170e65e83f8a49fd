import type { Provider } from '../../src/db/index.ts';

/** PostgreSQL suites run when this is set (CI sets it); SQLite suites always run. */
export const postgresUrl = process.env.TEST_POSTGRES_URL;
export const testProviders: Provider[] = postgresUrl ? ['sqlite', 'postgresql'] : ['sqlite'];
