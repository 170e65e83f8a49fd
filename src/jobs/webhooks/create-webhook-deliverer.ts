import { retryDelay } from '../job-queue.ts';
import { createUpkeepGate, defaultRetention, pruneInBatches, type Retention } from '../retention.ts';
import type { OutboxDialect } from './outbox-table.ts';
import { signWebhook } from './sign-webhook.ts';
import type { ResolvedWebhook } from './webhook-definition.ts';

export interface WebhookDelivererOptions {
  /** The app's Prisma client. */
  db: unknown;
  dialect: OutboxDialect;
  webhooks: readonly ResolvedWebhook[];
  /** Idle poll interval. @default 500 */
  pollMs?: number;
  /** Deliveries in flight at once per instance (always to different rows). @default 16 */
  concurrency?: number;
  /** Reserve beyond the timeout before a claimed delivery counts as lost (its process died). @default 5000 */
  leaseGraceMs?: number;
  logError?: (error: unknown) => void;
  /** The clock due times, leases, backoff and signatures use (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** How long delivered and dead events are kept (deleted in the deliverer's upkeep). @default 7 and 30 days */
  retention?: Retention;
}

export interface WebhookDeliverer {
  start(): void;
  wake(): void;
  /** Waits for deliveries in flight (a killed process's are retried after their lease). */
  stop(): Promise<void>;
}

interface Claimed {
  id: number | bigint;
  webhook: string;
  message_id: string;
  payload: string;
  attempts: number | bigint;
}

const maxDelayMs = 3_600_000;

/**
 * Delivers outbox rows at least once, in order per (webhook, row): an event is eligible only when
 * no earlier event of the same row is still pending or in flight, so retries never let a later
 * change overtake an earlier one; a dead event stops blocking its row. Claims are leases (crash
 * recovery); on PostgreSQL `FOR UPDATE SKIP LOCKED` keeps instances off each other's rows.
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const { dialect, pollMs = 500, concurrency = 16, leaseGraceMs = 5000, logError = console.error, now: clock = Date.now, retention = defaultRetention } = options;
  const { table, big } = dialect;
  const sql = dialect.sql(options.db);
  const byName = new Map(options.webhooks.map((w) => [w.name, w]));
  const names = [...byName.keys()];
  const inFlight = new Set<Promise<void>>();
  const maxTimeout = Math.max(...options.webhooks.map((w) => w.timeoutMs));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let polling = false;
  let again = false;
  const upkeepDue = createUpkeepGate(retention);

  const schedule = (ms: number) => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  };

  async function poll(): Promise<void> {
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    try {
      const free = concurrency - inFlight.size;
      const now = clock();
      if (free > 0 && names.length) {
        const inList = names.map((_, i) => `$${i + 4}`).join(', ');
        const lock = dialect.provider === 'postgresql' ? 'FOR UPDATE SKIP LOCKED' : '';
        const claimed = await sql.query<Claimed>(
          `UPDATE ${table} SET state = 'delivering', attempts = attempts + 1, lease_until = ${big(1)}
           WHERE id IN (SELECT e.id FROM ${table} e WHERE e.webhook IN (${inList})
             AND ((e.state = 'pending' AND e.next_attempt_at <= ${big(2)}) OR (e.state = 'delivering' AND e.lease_until < ${big(2)}))
             AND NOT EXISTS (SELECT 1 FROM ${table} p WHERE p.webhook = e.webhook AND p.row_key = e.row_key AND p.id < e.id AND p.state IN ('pending', 'delivering'))
             ORDER BY e.id LIMIT ${big(3)} ${lock})
           RETURNING id, webhook, message_id, payload, attempts`,
          [now + maxTimeout + leaseGraceMs, now, free, ...names],
        );
        for (const row of claimed) {
          const delivery = deliver(row).catch(logError).finally(() => {
            inFlight.delete(delivery);
            schedule(0);
          });
          inFlight.add(delivery);
        }
      }
      if (upkeepDue(now)) await prune(now);
    } catch (error) {
      if (running) logError(error);
    } finally {
      polling = false;
      if (again) {
        again = false;
        schedule(0);
      } else schedule(pollMs);
    }
  }

  /**
   * Retention, in the poll loop's upkeep: delivered events `completedMs` after delivery, dead ones
   * `deadMs` after they died (their next_attempt_at). Pending and in-flight events are never
   * deleted, so the per-row order (which only pending and delivering events hold) is untouched;
   * the state test sits on the DELETE itself, so a row replayed meanwhile is re-checked and kept.
   */
  async function prune(now: number): Promise<void> {
    for (const [state, column, age] of [['delivered', 'delivered_at', retention.completedMs], ['dead', 'next_attempt_at', retention.deadMs]] as const) {
      const old = `state = $1 AND ${column} < ${big(2)}`;
      await pruneInBatches(
        (limit) => sql.execute(`DELETE FROM ${table} WHERE ${old} AND id IN (SELECT id FROM ${table} WHERE ${old} ORDER BY id LIMIT ${big(3)})`, [state, now - age, limit]),
        retention,
      );
    }
  }

  async function deliver(row: Claimed): Promise<void> {
    const webhook = byName.get(row.webhook)!;
    const attempts = Number(row.attempts);
    let outcome: { ok: true; status: number } | { ok: false; status: number | null; error: string; final?: boolean };
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: signWebhook(webhook.secrets, row.message_id, new Date(clock()), row.payload),
        body: row.payload,
        // A redirect is a failure, never followed: the receiver's URL is the one that was configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(webhook.timeoutMs),
      });
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) outcome = { ok: true, status: response.status };
      else if (response.status === 410) outcome = { ok: false, status: 410, error: 'the receiver answered 410 Gone: not retried', final: true };
      else if (response.status >= 300 && response.status < 400) outcome = { ok: false, status: response.status, error: `redirect to ${response.headers.get('location') ?? '?'} not followed` };
      else outcome = { ok: false, status: response.status, error: `the receiver answered ${response.status}` };
    } catch (error) {
      const name = (error as Error)?.name;
      const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
      outcome = { ok: false, status: null, error: name === 'TimeoutError' ? `no answer within ${webhook.timeoutMs} ms` : `could not connect: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
    }
    const now = clock();
    if (outcome.ok) {
      await sql.execute(`UPDATE ${table} SET state = 'delivered', delivered_at = ${big(1)}, last_status = $2, last_error = NULL, lease_until = NULL WHERE id = ${big(3)}`, [now, outcome.status, Number(row.id)]);
      return;
    }
    const dead = outcome.final || attempts > webhook.retries;
    const delay = retryDelay({ retryDelayMs: webhook.retryDelayMs, maxRetryDelayMs: maxDelayMs }, attempts);
    await sql.execute(
      `UPDATE ${table} SET state = $1, next_attempt_at = ${big(2)}, last_status = $3, last_error = $4, lease_until = NULL WHERE id = ${big(5)}`,
      [dead ? 'dead' : 'pending', now + (dead ? 0 : delay), outcome.status, outcome.error, Number(row.id)],
    );
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake: () => schedule(0),
    async stop() {
      running = false;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      while (polling) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
