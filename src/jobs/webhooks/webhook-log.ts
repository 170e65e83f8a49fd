import type { OutboxDialect } from './outbox-table.ts';

export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'dead';

/** One outbox row as admins see it (GraphQL `webhookDeliveries`, `cairn webhooks:replay`). */
export interface WebhookDelivery {
  id: number;
  webhook: string;
  /** The Standard Webhooks `webhook-id`: the same on every attempt and replay (receivers dedupe on it). */
  messageId: string;
  model: string;
  kind: string;
  rowKey: string;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  payload: string;
}

export interface DeliveryFilter {
  webhook?: string;
  state?: DeliveryState;
  ids?: readonly number[];
  /** Only rows created at or after this. */
  since?: Date;
}

export interface WebhookLog {
  list(filter?: DeliveryFilter & { take?: number }): Promise<WebhookDelivery[]>;
  /** Queues delivered or dead rows again (same message id, attempts reset); returns how many. */
  replay(filter: DeliveryFilter): Promise<number>;
}

export function createWebhookLog(db: unknown, dialect: OutboxDialect): WebhookLog {
  const sql = dialect.sql(db);
  const { table, big } = dialect;
  const where = (filter: DeliveryFilter, params: unknown[]) => {
    const parts: string[] = [];
    if (filter.webhook) parts.push(`webhook = $${params.push(filter.webhook)}`);
    if (filter.state) parts.push(`state = $${params.push(filter.state)}`);
    if (filter.since) parts.push(`created_at >= ${big(params.push(filter.since.getTime()))}`);
    if (filter.ids) parts.push(filter.ids.length ? `id IN (${filter.ids.map((id) => big(params.push(id))).join(', ')})` : '1 = 0');
    return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  };
  return {
    async list(filter = {}) {
      const params: unknown[] = [];
      const clause = where(filter, params);
      const take = Math.min(Math.max(1, filter.take ?? 50), 500);
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT id, webhook, message_id, model, kind, row_key, state, attempts, last_status, last_error, created_at, next_attempt_at, delivered_at, payload
         FROM ${table} ${clause} ORDER BY id DESC LIMIT ${big(params.push(take))}`,
        params,
      );
      return rows.map((r) => ({
        id: Number(r.id),
        webhook: String(r.webhook),
        messageId: String(r.message_id),
        model: String(r.model),
        kind: String(r.kind),
        rowKey: String(r.row_key),
        state: r.state as DeliveryState,
        attempts: Number(r.attempts),
        lastStatus: r.last_status === null ? null : Number(r.last_status),
        lastError: (r.last_error as string | null) ?? null,
        createdAt: new Date(Number(r.created_at)),
        nextAttemptAt: new Date(Number(r.next_attempt_at)),
        deliveredAt: r.delivered_at === null ? null : new Date(Number(r.delivered_at)),
        payload: String(r.payload),
      }));
    },
    async replay(filter) {
      const params: unknown[] = [Date.now()];
      const clause = where(filter, params);
      return sql.execute(
        `UPDATE ${table} SET state = 'pending', attempts = 0, next_attempt_at = ${big(1)}, last_error = NULL, delivered_at = NULL
         ${clause ? `${clause} AND` : 'WHERE'} state IN ('delivered', 'dead')`,
        params,
      );
    },
  };
}
