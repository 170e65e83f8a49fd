import type { Provider } from './provider.ts';

/**
 * Tables Cairn creates itself beside the app's models (job queue, webhook outbox) on SQLite,
 * where everything shares one database file. Prisma's push, drift checks and migrations treat
 * them as external, so they are neither dropped nor reported as drift. On PostgreSQL they live in
 * a schema of their own (`cairn`), which Prisma never looks at.
 */
export const sqliteSystemTables = ['_cairn_jobs', '_cairn_webhook_events'] as const;

/** The schema engine's `filters` argument for `provider`. */
export const systemTableFilters = (provider: Provider) => ({
  externalTables: provider === 'sqlite' ? [...sqliteSystemTables] : [],
  externalEnums: [] as string[],
});
