/**
 * Prisma Migrate on the wasm schema engine: same migrations folder, same `_prisma_migrations`
 * table and same advisory lock as `prisma migrate`, so the two are interchangeable.
 */
export { migrateDev, type MigrateDevOptions, type MigrateDevResult } from './migrate-dev.ts';
export { migrateDeploy, type MigrateDeployOptions, type MigrateDeployResult } from './migrate-deploy.ts';
export { migrateStatus, type MigrateStatusOptions, type MigrationStatus } from './migrate-status.ts';
export { migrateResolve, type MigrateResolveOptions } from './migrate-resolve.ts';
export { migrateReset, planReset, type MigrateResetOptions, type ResetPlan } from './migrate-reset.ts';
export type { AppliedMigration } from './apply-migrations.ts';
export type { Drift } from './check-drift.ts';
export { MigrateError } from './migrate-error.ts';
export { prismaAdvisoryLockId } from './migration-lock.ts';
export { lockfileName, lockedProvider, readMigrations, type MigrationOnDisk } from './migrations-folder.ts';
export { readMigrationRecords, type MigrationRecord } from './migrations-table.ts';
export { formatChange, summarizeMigration, type SchemaChange } from './summarize-migration.ts';
export { withMigrationSession } from './with-migration-session.ts';
export { writeCompanionMigrations, snapshotFileName, type CompanionOptions, type CompanionResult } from './companion-migrations.ts';
export { diffSchemasOffline } from './offline-diff.ts';
