import { isDatabaseUnreachable } from '../db/index.ts';
import PgBoss from 'pg-boss';
import { jobId } from './job-id.ts';
import { defaultRetention, type Retention } from './retention.ts';
import { runWithTimeout, type EnqueueOptions, type JobInfo, type JobQueue, type JobState, type ResolvedJobDefinition } from './job-queue.ts';

export interface PgBossQueueOptions {
  /** The app's `DATABASE_URL` (its `?schema=` parameter is Prisma's and is dropped here). */
  databaseUrl: string;
  /** The PostgreSQL schema pg-boss creates and owns (outside the app's schema, so Prisma never sees it). */
  schema: string;
  definitions: readonly ResolvedJobDefinition[];
  /** How often idle workers poll (pg-boss' minimum is 500). @default 500 */
  pollMs?: number;
  /** How often pg-boss expires the jobs of lost processes and runs its upkeep. @default 60 */
  maintenanceSeconds?: number;
  /** Extra seconds a job stays reserved beyond its timeout before it counts as lost. @default 5 */
  leaseGraceSeconds?: number;
  /** Connections pg-boss' own pool opens. @default 4 */
  poolSize?: number;
  logError?: (error: unknown) => void;
  /** Where pg-boss' lost connections go while the database is unreachable (an outage, not a bug: readiness reports it). @default console.warn */
  warn?: (message: string) => void;
  /** How long completed and failed jobs stay in pg-boss' job table (and so hold their key). @default 7 and 30 days */
  retention?: Retention;
}

/** Runs pg-boss' SQL on a Prisma transaction client, so a job commits or rolls back with the write. */
function onTransaction(tx: unknown): PgBoss.Db {
  const client = tx as { $queryRawUnsafe(sql: string, ...values: unknown[]): Promise<unknown[]> };
  return {
    executeSql: async (text, values) => ({
      // pg serialises objects as JSON itself; Prisma's raw parameters need the text.
      rows: await client.$queryRawUnsafe(text, ...values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v))),
    }),
  };
}

const states: Record<string, JobState> = { created: 'pending', retry: 'pending', active: 'active', completed: 'completed', failed: 'dead', cancelled: 'dead' };

export function pgBossConnectionString(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return url.toString();
}

/**
 * The PostgreSQL engine: pg-boss 10 in its own schema (it creates and migrates it at start).
 * Each Cairn job is a pg-boss queue; retries use pg-boss' exponential backoff (`retryDelayMs`
 * rounded up to whole seconds, with jitter; `maxRetryDelayMs` is not supported by pg-boss 10).
 */
export async function createPgBossQueue(options: PgBossQueueOptions): Promise<JobQueue> {
  const { definitions, pollMs = 500, logError = console.error, leaseGraceSeconds = 5, retention = defaultRetention } = options;
  const boss = new PgBoss({
    connectionString: pgBossConnectionString(options.databaseUrl),
    schema: options.schema,
    max: options.poolSize ?? 4,
    application_name: 'cairn-jobs',
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 60,
    // Retention, aligned with the embedded queue's: pg-boss' upkeep moves finished jobs from its job
    // table to its archive this long after completed_on (that frees their key, as a prune does on
    // SQLite) and drops archived ones a day later (`get` still finds them meanwhile). Its own
    // `retention*` options are something else: how long a job may wait unrun (default 14 days).
    archiveCompletedAfterSeconds: Math.max(1, Math.ceil(retention.completedMs / 1000)),
    archiveFailedAfterSeconds: Math.max(1, Math.ceil(retention.deadMs / 1000)),
    deleteAfterDays: 1,
  });
  boss.on('error', (error) => (isDatabaseUnreachable(error) ? (options.warn ?? console.warn)(`job queue: the database is unreachable (${(error as Error).message}); pg-boss retries`) : logError(error)));
  await boss.start();
  const byName = new Map(definitions.map((d) => [d.name, d]));
  for (const d of definitions) {
    const queue = {
      name: d.name,
      retryLimit: d.retries,
      retryDelay: Math.max(1, Math.ceil(d.retryDelayMs / 1000)),
      retryBackoff: true,
      expireInSeconds: Math.ceil(d.timeoutMs / 1000) + leaseGraceSeconds,
    };
    await boss.createQueue(d.name, queue);
    await boss.updateQueue(d.name, queue);
  }
  const stopping = new AbortController();
  let started = false;

  return {
    engine: 'pg-boss',
    async enqueue(name, payload = null, opts: EnqueueOptions = {}) {
      if (!byName.has(name)) throw new Error(`No job named "${name}" is defined (known: ${[...byName.keys()].join(', ') || 'none'})`);
      return boss.send(name, (payload ?? {}) as object, {
        id: jobId(name, opts.key),
        singletonKey: opts.key,
        ...(opts.runAt && { startAfter: opts.runAt }),
        ...(opts.retries !== undefined && { retryLimit: opts.retries }),
        ...(opts.db !== undefined && { db: onTransaction(opts.db) }),
      } as PgBoss.SendOptions);
    },
    async start() {
      if (started) return;
      started = true;
      for (const d of definitions) {
        for (let i = 0; i < d.concurrency; i++) {
          await boss.work<unknown>(d.name, { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, pollMs / 1000), includeMetadata: true }, async ([job]) => {
            if (!job) return;
            await runWithTimeout(d, { id: job.id, name: d.name, payload: job.data, attempt: job.retryCount + 1 }, stopping.signal).catch((error: unknown) => {
              logError(error);
              throw error;
            });
          });
        }
      }
    },
    async stop({ timeoutMs = 10_000 } = {}) {
      // Graceful: pg-boss stops fetching, waits for running jobs, then fails what is left (retried later).
      if (stopping.signal.aborted) return;
      // Handlers are aborted only after pg-boss released their jobs, so a late finish cannot complete one.
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
      stopping.abort(new Error('queue stopped'));
    },
    async get(name, id) {
      const job = await boss.getJobById<unknown>(name, id, { includeArchive: true } as never);
      if (!job) return null;
      const state = states[job.state] ?? 'pending';
      const output = job.output as { message?: string } | null | undefined;
      const info: JobInfo = {
        id: job.id,
        name: job.name,
        state,
        payload: job.data,
        attempts: job.state === 'created' ? 0 : job.retryCount + 1,
        key: job.singletonKey ?? null,
        lastError: job.state === 'completed' ? null : (output?.message ?? null),
      };
      return info;
    },
  };
}
