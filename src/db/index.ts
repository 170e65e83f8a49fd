export { createDb, type DbOptions, type QueryEvent } from './create-db.ts';
export { loadGenerated, type DbClient, type Generated } from './load-generated.ts';
export { pushSchema, SchemaPushError, type PushOptions, type PushResult } from './push-schema.ts';
export { generateClients, declaredProvider, schemaForProvider, type GenerateResult } from './generate.ts';
export { providerOf, providers, type Provider } from './provider.ts';
export * from './datamodel.ts';
export { isDatabaseUnreachable, translatePrismaError } from './translate-prisma-error.ts';
export * from './migrate/index.ts';
