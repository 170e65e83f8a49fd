import type { DbClient, Provider } from '../db/index.ts';
import { createEmbeddedQueue } from './create-embedded-queue.ts';
import { createPgBossQueue } from './create-pg-boss-queue.ts';
import { createScheduler, resolveSchedule, type ScheduleDefinition } from './create-scheduler.ts';
import type { Retention } from './retention.ts';
import { resolveJobDefinition, type EnqueueOptions, type JobDefinition, type JobHandler, type JobInfo, type JobQueue } from './job-queue.ts';

export interface JobsOptions {
  provider: Provider;
  databaseUrl: string;
  db: DbClient;
  /** Job handlers by name. */
  jobs?: Record<string, JobDefinition | JobHandler>;
  /** Cron schedules by name; each also needs a handler (`handler`) and runs as a job of that name. */
  schedules?: Record<string, ScheduleDefinition & JobDefinition>;
  /** PostgreSQL: the schema pg-boss owns. */
  systemSchema: string;
  /** Idle poll interval of workers. @default 500 */
  pollMs?: number;
  /** PostgreSQL: seconds between pg-boss' upkeep runs (expiring jobs of lost processes). @default 60 */
  maintenanceSeconds?: number;
  /** How long a claimed job stays reserved beyond its timeout before it counts as lost (its process died). @default 5000 */
  leaseGraceMs?: number;
  logError?: (error: unknown) => void;
  /** Outages of the queue's own connections (PostgreSQL). @default console.warn */
  warn?: (message: string) => void;
  /** How long completed and dead jobs are kept (both engines). @default 7 and 30 days */
  retention?: Retention;
  /** SQLite: the embedded queue's clock (tests pass a fake one; pg-boss uses the database's). @default Date.now */
  now?: () => number;
}

/** `ctx.jobs`: what app code uses. */
export interface Jobs {
  /** Stores a job; with `db` (a transaction client) it commits or rolls back with that transaction. */
  enqueue(name: string, payload?: unknown, options?: EnqueueOptions): Promise<string | null>;
  get(name: string, id: string): Promise<JobInfo | null>;
  /** The same queue with every enqueue inside the transaction `db`. */
  within(db: unknown): Pick<Jobs, 'enqueue'>;
}

export interface JobsRuntime extends Jobs {
  queue: JobQueue;
  /** Names of the defined jobs (schedules included). */
  names: readonly string[];
  start(): Promise<void>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** The queue for the provider (embedded on SQLite, pg-boss on PostgreSQL) plus the schedules that feed it. */
export async function createJobs(options: JobsOptions): Promise<JobsRuntime> {
  const definitions = [
    ...Object.entries(options.jobs ?? {}).map(([name, d]) => resolveJobDefinition(name, d)),
    ...Object.entries(options.schedules ?? {}).map(([name, d]) => resolveJobDefinition(name, d)),
  ];
  const names = definitions.map((d) => d.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Job "${duplicate}" is defined twice (job and schedule names share one namespace)`);
  const schedules = Object.entries(options.schedules ?? {}).map(([name, d]) => resolveSchedule(name, d));
  const { logError = console.error } = options;
  const queue =
    options.provider === 'postgresql'
      ? await createPgBossQueue({ databaseUrl: options.databaseUrl, schema: options.systemSchema, definitions, pollMs: options.pollMs, maintenanceSeconds: options.maintenanceSeconds, leaseGraceSeconds: options.leaseGraceMs === undefined ? undefined : Math.ceil(options.leaseGraceMs / 1000), logError, warn: options.warn, retention: options.retention })
      : await createEmbeddedQueue({ db: options.db, definitions, pollMs: options.pollMs, leaseGraceMs: options.leaseGraceMs, logError, now: options.now, retention: options.retention });
  const scheduler = createScheduler(queue, schedules, logError);
  return {
    queue,
    names,
    enqueue: (name, payload, opts) => queue.enqueue(name, payload, opts),
    get: (name, id) => queue.get(name, id),
    within: (db) => ({ enqueue: (name, payload, opts) => queue.enqueue(name, payload, { ...opts, db }) }),
    async start() {
      await queue.start();
      scheduler.start();
    },
    async stop(opts) {
      scheduler.stop();
      await queue.stop(opts);
    },
  };
}
