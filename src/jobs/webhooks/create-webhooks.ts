import type { Datamodel, Provider } from '../../db/index.ts';
import type { WriteObserver } from '../../events/index.ts';
import { createWebhookDeliverer, type WebhookDeliverer } from './create-webhook-deliverer.ts';
import { createWebhookOutbox } from './create-webhook-outbox.ts';
import { outboxDialect } from './outbox-table.ts';
import { createWebhookLog, type WebhookLog } from './webhook-log.ts';
import type { ResolvedWebhook } from './webhook-definition.ts';
import type { Retention } from '../retention.ts';

export interface WebhooksOptions {
  provider: Provider;
  /** The app's Prisma client. */
  db: unknown;
  systemSchema: string;
  /** The app's datamodel: `@hidden` columns are left out of webhook bodies. */
  datamodel: Datamodel;
  webhooks: readonly ResolvedWebhook[];
  pollMs?: number;
  leaseGraceMs?: number;
  logError?: (error: unknown) => void;
  /** The deliverer's clock (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** How long delivered and dead events are kept. @default 7 and 30 days */
  retention?: Retention;
}

export interface Webhooks {
  /** Goes into the write path's observers: the outbox rows. */
  observer: WriteObserver;
  deliverer: WebhookDeliverer;
  log: WebhookLog;
  start(): void;
  stop(): Promise<void>;
}

/** Creates the outbox table (if missing) and wires outbox, deliverer and log for one app. */
export async function createWebhooks(options: WebhooksOptions): Promise<Webhooks> {
  const dialect = outboxDialect(options.provider, options.systemSchema);
  await dialect.create(options.db);
  const deliverer = createWebhookDeliverer({ db: options.db, dialect, webhooks: options.webhooks, pollMs: options.pollMs, leaseGraceMs: options.leaseGraceMs, logError: options.logError, now: options.now, retention: options.retention });
  return {
    observer: createWebhookOutbox(options.webhooks, dialect, options.datamodel, () => deliverer.wake()),
    deliverer,
    log: createWebhookLog(options.db, dialect),
    start: () => deliverer.start(),
    stop: () => deliverer.stop(),
  };
}
