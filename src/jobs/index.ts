/**
 * Background jobs and schedules: one queue contract (`JobQueue`) with two engines — a table in
 * the app's database on SQLite, pg-boss 10 in its own schema on PostgreSQL — and cron schedules
 * that enqueue one job per tick across all instances.
 */
export { createJobs, type Jobs, type JobsOptions, type JobsRuntime } from './create-jobs.ts';
export { createEmbeddedQueue, embeddedJobsTable, type EmbeddedQueueOptions } from './create-embedded-queue.ts';
export { createPgBossQueue, pgBossConnectionString, type PgBossQueueOptions } from './create-pg-boss-queue.ts';
export { createScheduler, resolveSchedule, type ScheduleDefinition, type Scheduler } from './create-scheduler.ts';
export { resolveJobDefinition, retryDelay, type EnqueueOptions, type JobDefinition, type JobHandler, type JobInfo, type JobQueue, type JobRun, type JobState } from './job-queue.ts';
export { defaultRetention, pruneInBatches, retentionFromDays, type Retention } from './retention.ts';
export { sqlOn, type Sql } from './sql.ts';
export { jobId } from './job-id.ts';
export { systemSchema } from './system-schema.ts';
export * from './webhooks/index.ts';
