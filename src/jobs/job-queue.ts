/** Where a job is in its life; the same words on every engine. */
export type JobState = 'pending' | 'active' | 'completed' | 'dead';

/** What `enqueue` takes besides the name and payload. */
export interface EnqueueOptions {
  /** Run no earlier than this. @default now */
  runAt?: Date;
  /**
   * Deduplication: a second job with the same name and key is not created (enqueue returns null)
   * while the first is kept: completed jobs for `CAIRN_JOBS_RETENTION_DAYS`, dead ones for
   * `CAIRN_DEAD_RETENTION_DAYS`, pending and active ones until they finish. Once the first job is
   * pruned (pg-boss: archived) the key is free and an enqueue with it creates a new job; keys that
   * must stay unique for longer belong in the app's own table. Schedules use the tick as key.
   */
  key?: string;
  /** Attempts after the first before the job dead-letters. @default the handler's `retries` */
  retries?: number;
  /**
   * A Prisma transaction client (`PendingWrite.db`, the `tx` of `$transaction`): the job is written
   * in that transaction, so it exists only if the transaction commits.
   */
  db?: unknown;
}

/** One run of a job, as its handler sees it. */
export interface JobRun<P = unknown> {
  id: string;
  name: string;
  payload: P;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the run times out or the queue stops; long handlers should watch it. */
  signal: AbortSignal;
}

export type JobHandler<P = any> = (run: JobRun<P>) => Promise<unknown> | unknown;

/** A named job kind: its handler and how it runs. Normalised once by `resolveJobDefinition`. */
export interface JobDefinition<P = any> {
  handler: JobHandler<P>;
  /** Runs of this job at once, per instance. @default 1 */
  concurrency?: number;
  /** A run that takes longer fails (and is retried). @default 60000 */
  timeoutMs?: number;
  /** Attempts after the first; then the job is dead (kept, visible, not run again). @default 3 */
  retries?: number;
  /** First retry delay; each next one doubles, capped at `maxRetryDelayMs`. @default 1000 */
  retryDelayMs?: number;
  /** @default 3600000 */
  maxRetryDelayMs?: number;
}

export interface ResolvedJobDefinition extends Required<JobDefinition> {
  name: string;
}

/** A job as stored: what the admin API, tests and the CLI read. */
export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  payload: unknown;
  /** Runs started so far. */
  attempts: number;
  key: string | null;
  lastError: string | null;
}

/**
 * The queue contract both engines implement (embedded table on SQLite, pg-boss on PostgreSQL);
 * one contract suite (test/jobs/job-queue.contract.test.ts) runs against each.
 */
export interface JobQueue {
  readonly engine: 'embedded' | 'pg-boss';
  /** Stores a job for `name` (a defined job); resolves with its id, or null when `key` was already taken. */
  enqueue(name: string, payload?: unknown, options?: EnqueueOptions): Promise<string | null>;
  /** Starts working the defined jobs (idempotent). Enqueueing works before it. */
  start(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `timeoutMs` for running ones to finish, then releases the rest
   * (they fail this attempt and are retried by whichever instance runs next).
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  get(name: string, id: string): Promise<JobInfo | null>;
}

const jobName = /^[A-Za-z][A-Za-z0-9_.-]{0,49}$/;

export function resolveJobDefinition(name: string, definition: JobDefinition | JobHandler): ResolvedJobDefinition {
  if (!jobName.test(name)) throw new Error(`Job "${name}": names are 1-50 letters, digits, "_", "-" or ".", starting with a letter`);
  const given = typeof definition === 'function' ? { handler: definition } : definition;
  if (typeof given.handler !== 'function') throw new Error(`Job "${name}": handler must be a function, got ${typeof given.handler}`);
  const resolved = {
    name,
    handler: given.handler,
    concurrency: given.concurrency ?? 1,
    timeoutMs: given.timeoutMs ?? 60_000,
    retries: given.retries ?? 3,
    retryDelayMs: given.retryDelayMs ?? 1000,
    maxRetryDelayMs: given.maxRetryDelayMs ?? 3_600_000,
  };
  for (const key of ['concurrency', 'timeoutMs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new Error(`Job "${name}": ${key} must be a positive integer, got ${resolved[key]}`);
  }
  for (const key of ['retries', 'retryDelayMs', 'maxRetryDelayMs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0) throw new Error(`Job "${name}": ${key} must be an integer >= 0, got ${resolved[key]}`);
  }
  return resolved;
}

/** Exponential backoff: the delay before attempt `attempt + 1`. */
export const retryDelay = (definition: Pick<ResolvedJobDefinition, 'retryDelayMs' | 'maxRetryDelayMs'>, attempt: number) =>
  Math.min(definition.retryDelayMs * 2 ** Math.max(0, attempt - 1), definition.maxRetryDelayMs);

/** Runs a handler with its timeout; rejects with a timeout error (and aborts the signal) when it overruns. */
export async function runWithTimeout(definition: ResolvedJobDefinition, run: Omit<JobRun, 'signal'>, stopping: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const onStop = () => controller.abort(new Error('queue stopping'));
  stopping.addEventListener('abort', onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => definition.handler({ ...run, signal: controller.signal })),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`Job "${definition.name}" timed out after ${definition.timeoutMs} ms`);
          controller.abort(error);
          reject(error);
        }, definition.timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    stopping.removeEventListener('abort', onStop);
  }
}
