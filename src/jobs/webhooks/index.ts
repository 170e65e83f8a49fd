/**
 * Durable webhooks: an outbox row per change written inside the write's transaction (a
 * WriteObserver's beforeCommit), delivered at least once, in order per row, signed per Standard
 * Webhooks, retried with exponential backoff into a dead state, with a queryable delivery log.
 */
export { createWebhookOutbox, rowKey, toJson, webhookBody } from './create-webhook-outbox.ts';
export { createWebhookDeliverer, type WebhookDeliverer, type WebhookDelivererOptions } from './create-webhook-deliverer.ts';
export { createWebhookLog, type DeliveryFilter, type DeliveryState, type WebhookDelivery, type WebhookLog } from './webhook-log.ts';
export { outboxDialect, type OutboxDialect } from './outbox-table.ts';
export { signWebhook } from './sign-webhook.ts';
export { resolveWebhook, type ResolvedWebhook, type WebhookDefinition } from './webhook-definition.ts';
export { createWebhooks, type Webhooks, type WebhooksOptions } from './create-webhooks.ts';
