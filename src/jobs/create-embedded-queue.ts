import { randomUUID } from 'node:crypto';
import type { DbClient } from '../db/index.ts';
import { jobId } from './job-id.ts';
import { retryDelay, runWithTimeout, type EnqueueOptions, type JobInfo, type JobQueue, type JobState, type ResolvedJobDefinition } from './job-queue.ts';
import { createUpkeepGate, defaultRetention, pruneInBatches, type Retention } from './retention.ts';
import { sqlOn } from './sql.ts';

export interface EmbeddedQueueOptions {
  /** The app's Prisma client (SQLite); the queue's table lives in the same database file. */
  db: DbClient;
  definitions: readonly ResolvedJobDefinition[];
  /** How often idle workers look for due jobs. @default 500 */
  pollMs?: number;
  /** How long a claimed job stays reserved beyond its timeout before another process may take it (crash recovery). @default 5000 */
  leaseGraceMs?: number;
  logError?: (error: unknown) => void;
  /** The clock due times, leases and backoff are computed with (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** How long completed and dead jobs are kept (deleted in the workers' upkeep). @default 7 and 30 days */
  retention?: Retention;
}

/** The queue's one table: created by Cairn at boot, hidden from Prisma (an external table for push and migrate). */
export const embeddedJobsTable = '_cairn_jobs';

const createStatements = [
  `CREATE TABLE IF NOT EXISTS "${embeddedJobsTable}" (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT, payload TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, run_at INTEGER NOT NULL,
    locked_until INTEGER, lease TEXT, last_error TEXT, created_at INTEGER NOT NULL, finished_at INTEGER)`,
  `CREATE INDEX IF NOT EXISTS "${embeddedJobsTable}_due" ON "${embeddedJobsTable}" (name, state, run_at)`,
  // Retention finds old finished rows through it (one batch = one index range, not a table scan).
  `CREATE INDEX IF NOT EXISTS "${embeddedJobsTable}_finished" ON "${embeddedJobsTable}" (state, finished_at)`,
  // Dead jobs written before dead ones carried finished_at: their last due time stands in (once; then none match).
  `UPDATE "${embeddedJobsTable}" SET finished_at = COALESCE(locked_until, run_at) WHERE state = 'dead' AND finished_at IS NULL`,
];

interface Row {
  id: string;
  name: string;
  key: string | null;
  payload: string;
  state: JobState;
  attempts: number | bigint;
  last_error: string | null;
}

/**
 * The SQLite engine: a table in the app's database, claimed with one `UPDATE … RETURNING` (atomic
 * under SQLite's write lock, so several processes on one file never take the same run). A claim
 * is a lease: if its process dies, the job is due again once the lease ends.
 */
export async function createEmbeddedQueue(options: EmbeddedQueueOptions): Promise<JobQueue> {
  const { db, pollMs = 500, leaseGraceMs = 5000, logError = console.error, now: clock = Date.now, retention = defaultRetention } = options;
  const sql = sqlOn(db, 'sqlite');
  for (const statement of createStatements) await sql.execute(statement);
  const definitions = new Map(options.definitions.map((d) => [d.name, d]));
  const running = new Map<string, Set<Promise<void>>>();
  const token = randomUUID();
  let stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let polling = false;
  // A wake-up asked for while a poll runs (a job finished, one was enqueued) is kept for when it
  // ends: rescheduling then would otherwise push it back to the idle interval.
  let wake = false;
  const upkeepDue = createUpkeepGate(retention);

  const schedule = (ms: number) => {
    if (!started || stopping.signal.aborted) return;
    if (polling && ms === 0) {
      wake = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  };

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const now = clock();
      await sql.execute(
        `UPDATE "${embeddedJobsTable}" SET state = 'dead', last_error = COALESCE(last_error, 'lease expired') || ' (process lost on the last attempt)', lease = NULL, finished_at = $1
         WHERE state = 'active' AND locked_until < $1 AND attempts >= max_attempts`,
        [now],
      );
      for (const definition of definitions.values()) {
        const active = running.get(definition.name) ?? new Set();
        running.set(definition.name, active);
        const free = definition.concurrency - active.size;
        if (free <= 0 || stopping.signal.aborted) continue;
        const claimed = await sql.query<Row>(
          `UPDATE "${embeddedJobsTable}" SET state = 'active', attempts = attempts + 1, lease = $1, locked_until = $2
           WHERE id IN (SELECT id FROM "${embeddedJobsTable}" WHERE name = $3
             AND ((state = 'pending' AND run_at <= $4) OR (state = 'active' AND locked_until < $4 AND attempts < max_attempts))
             ORDER BY run_at, rowid LIMIT $5)
           RETURNING id, name, payload, attempts`,
          [token, now + definition.timeoutMs + leaseGraceMs, definition.name, now, free],
        );
        for (const row of claimed) {
          const run = execute(definition, row).finally(() => {
            active.delete(run);
            schedule(0);
          });
          active.add(run);
        }
      }
      if (upkeepDue(now)) await prune(now);
    } catch (error) {
      if (!stopping.signal.aborted) logError(error);
    } finally {
      polling = false;
      const again = wake;
      wake = false;
      schedule(again ? 0 : pollMs);
    }
  }

  /**
   * Retention, in the poll loop's upkeep: completed jobs `completedMs` after they finished, dead
   * ones `deadMs` after; pending and active jobs never. Every process on the file may run it (the
   * deletes are idempotent). A pruned job's key is free again: enqueueing it then creates a new job.
   */
  async function prune(now: number): Promise<void> {
    for (const [state, age] of [['completed', retention.completedMs], ['dead', retention.deadMs]] as const) {
      await pruneInBatches(
        (limit) =>
          sql.execute(
            `DELETE FROM "${embeddedJobsTable}" WHERE state = $1 AND finished_at < $2 AND id IN
               (SELECT id FROM "${embeddedJobsTable}" WHERE state = $1 AND finished_at < $2 ORDER BY finished_at LIMIT $3)`,
            [state, now - age, limit],
          ),
        retention,
      );
    }
  }

  async function execute(definition: ResolvedJobDefinition, row: Row): Promise<void> {
    const attempt = Number(row.attempts);
    try {
      await runWithTimeout(definition, { id: row.id, name: row.name, payload: JSON.parse(row.payload), attempt }, stopping.signal);
      await sql.execute(`UPDATE "${embeddedJobsTable}" SET state = 'completed', finished_at = $1, lease = NULL, locked_until = NULL WHERE id = $2 AND lease = $3`, [clock(), row.id, token]);
    } catch (error) {
      logError(error);
      const message = error instanceof Error ? error.message : String(error);
      await sql
        .execute(
          `UPDATE "${embeddedJobsTable}" SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
             finished_at = CASE WHEN attempts >= max_attempts THEN $5 END,
             run_at = $1, last_error = $2, lease = NULL, locked_until = NULL WHERE id = $3 AND lease = $4`,
          [clock() + retryDelay(definition, attempt), message.slice(0, 2000), row.id, token, clock()],
        )
        .catch(logError);
    }
  }

  return {
    engine: 'embedded',
    async enqueue(name, payload = null, opts: EnqueueOptions = {}) {
      const definition = definitions.get(name);
      if (!definition) throw new Error(`No job named "${name}" is defined (known: ${[...definitions.keys()].join(', ') || 'none'})`);
      const now = clock();
      const target = opts.db ? sqlOn(opts.db, 'sqlite') : sql;
      const rows = await target.query<{ id: string }>(
        `INSERT INTO "${embeddedJobsTable}" (id, name, key, payload, state, max_attempts, run_at, created_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
        [jobId(name, opts.key), name, opts.key ?? null, JSON.stringify(payload ?? null), (opts.retries ?? definition.retries) + 1, opts.runAt?.getTime() ?? now, now],
      );
      if (!opts.db && rows.length) schedule(0);
      return rows[0]?.id ?? null;
    },
    async start() {
      if (started) return;
      started = true;
      stopping = new AbortController();
      schedule(0);
    },
    async stop({ timeoutMs = 10_000 } = {}) {
      if (!started) return;
      started = false;
      clearTimeout(timer);
      const all = [...running.values()].flatMap((set) => [...set]);
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(all), new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      stopping.abort(new Error('queue stopped'));
      // What is still running is released: this attempt counts, another instance retries it.
      await sql.execute(
        `UPDATE "${embeddedJobsTable}" SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
           finished_at = CASE WHEN attempts >= max_attempts THEN $1 END,
           run_at = $1, last_error = 'released at shutdown', lease = NULL, locked_until = NULL WHERE lease = $2`,
        [clock(), token],
      ).catch(logError);
      while (polling) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async get(name, id) {
      const [row] = await sql.query<Row>(`SELECT id, name, key, payload, state, attempts, last_error FROM "${embeddedJobsTable}" WHERE name = $1 AND id = $2`, [name, id]);
      return row ? toInfo(row) : null;
    },
  };
}

const toInfo = (row: Row): JobInfo => ({
  id: row.id,
  name: row.name,
  state: row.state,
  payload: JSON.parse(row.payload),
  attempts: Number(row.attempts),
  key: row.key,
  lastError: row.last_error,
});
