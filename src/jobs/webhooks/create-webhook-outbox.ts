import { isHidden, type Datamodel } from '../../db/index.ts';
import type { ChangeEvent, ChangeRow, WriteObserver } from '../../events/index.ts';
import type { OutboxDialect } from './outbox-table.ts';
import type { ResolvedWebhook } from './webhook-definition.ts';
import { randomUUID } from 'node:crypto';

/** JSON for a change's values: BigInt as a string, bytes as base64 (Date and Decimal have toJSON). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('base64');
    }
    return v;
  });
}

/** A row's key as text with its fields in a fixed order: what "the same row" means for ordering. */
export const rowKey = (key: Record<string, unknown>) => toJson(Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b))));

/**
 * The body a receiver gets (Standard Webhooks' recommended `type`, `timestamp`, `data`). Change
 * images carry every column; `/// @hidden` ones (password hashes, token ids) never leave.
 */
export function webhookBody(change: ChangeEvent, at: Date, hidden: ReadonlySet<string> = new Set()): string {
  const visible = (row: ChangeRow | null) => row && Object.fromEntries(Object.entries(row).filter(([column]) => !hidden.has(column)));
  return toJson({
    type: `${change.model}.${change.kind}`,
    timestamp: at.toISOString(),
    data: { model: change.model, kind: change.kind, key: change.key, before: visible(change.before), after: visible(change.after) },
  });
}

/**
 * The write-path side of webhooks: inside the write's transaction, just before COMMIT, one outbox
 * row per (matching webhook, change). The row commits with the data or not at all; after COMMIT
 * the deliverer is woken (it would find the rows on its next poll anyway).
 */
export function createWebhookOutbox(webhooks: readonly ResolvedWebhook[], dialect: OutboxDialect, datamodel: Datamodel, wake: () => void): WriteObserver {
  const byModel = new Map<string, ResolvedWebhook[]>();
  for (const webhook of webhooks) byModel.set(webhook.model, [...(byModel.get(webhook.model) ?? []), webhook]);
  const hidden = new Map(datamodel.models.map((model) => [model.name, new Set(model.fields.filter(isHidden).map((field) => field.name))]));
  const { table, big } = dialect;
  return {
    // Only the models with webhooks pay for the outbox.
    models: [...byModel.keys()],
    async beforeCommit(changes, db) {
      const sql = dialect.sql(db);
      const now = new Date();
      for (const change of changes) {
        for (const webhook of byModel.get(change.model) ?? []) {
          if (!webhook.kinds.has(change.kind) || !webhook.filter(change)) continue;
          await sql.execute(
            `INSERT INTO ${table} (webhook, message_id, model, row_key, kind, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, ${big(7)}, ${big(7)})`,
            [webhook.name, `msg_${randomUUID().replaceAll('-', '')}`, change.model, rowKey(change.key), change.kind, webhookBody(change, now, hidden.get(change.model)), now.getTime()],
          );
        }
      }
    },
    afterCommit: () => wake(),
  };
}
