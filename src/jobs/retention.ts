/**
 * How long finished work stays in Cairn's own tables (`_cairn_jobs`, the webhook outbox, pg-boss'
 * job table): long enough to read it, dedupe on its key and replay it; not forever.
 */
export interface Retention {
  /** Completed jobs and delivered webhook events are deleted this long after they finished. */
  completedMs: number;
  /** Dead jobs and dead-lettered deliveries are kept longer, so admins can look and replay. */
  deadMs: number;
  /** Rows one DELETE removes: each batch is its own short write, so SQLite's lock is never held long. @default 500 */
  batchSize?: number;
  /** Batches per upkeep at most; the rest waits for the next upkeep. @default 20 */
  maxBatches?: number;
  /** Time between two upkeeps of one worker (checked on its poll, with its clock). @default 60000 */
  everyMs?: number;
}

const day = 86_400_000;

/** The defaults of `CAIRN_JOBS_RETENTION_DAYS` (7) and `CAIRN_DEAD_RETENTION_DAYS` (30). */
export const defaultRetention: Retention = { completedMs: 7 * day, deadMs: 30 * day };

export const retentionFromDays = (completedDays: number, deadDays: number): Retention => ({ completedMs: completedDays * day, deadMs: deadDays * day });

/**
 * Runs `deleteBatch(limit)` until a batch comes back short (nothing more is old enough) or the
 * upkeep's budget of batches is spent; resolves with the rows deleted.
 */
export async function pruneInBatches(deleteBatch: (limit: number) => Promise<number>, retention: Retention): Promise<number> {
  const { batchSize = 500, maxBatches = 20 } = retention;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}

/** True at most once per `everyMs` of the worker's clock: the poll loop asks it whether upkeep is due. */
export function createUpkeepGate(retention: Retention) {
  const everyMs = retention.everyMs ?? 60_000;
  let nextAt = -Infinity;
  return (now: number): boolean => {
    if (now < nextAt) return false;
    nextAt = now + everyMs;
    return true;
  };
}
