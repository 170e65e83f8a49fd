import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type Queryable = { performIO?: (...args: unknown[]) => Promise<{ fields?: { dataTypeID: number }[] }> };

/**
 * adapter-pg rejects PostgreSQL's internal `"char"` type (OID 18), which the schema engine's catalog
 * queries return; reporting it as text lets the engine read the live schema (db push, drift checks).
 * Only the schema engine gets this wrapper; the query path uses the stock adapter.
 */
export function withPgCharAsText(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (factory.provider !== 'postgres') return factory;
  const patch = <T extends object>(queryable: T): T => {
    const q = queryable as Queryable & { startTransaction?: (...a: unknown[]) => Promise<object> };
    const performIO = q.performIO?.bind(q);
    if (performIO) {
      q.performIO = async (...args) => {
        const result = await performIO(...args);
        for (const field of result.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
        return result;
      };
    }
    const startTransaction = q.startTransaction?.bind(q);
    if (startTransaction) q.startTransaction = async (...args) => patch(await startTransaction(...args));
    return queryable;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}
