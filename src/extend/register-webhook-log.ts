import type { WebhookLog } from '../jobs/index.ts';
import type { SchemaExtension } from '../schema/index.ts';

/** Admin-only GraphQL over the delivery log: `webhookDeliveries` and `replayWebhookDeliveries`. */
export function registerWebhookLog(log: WebhookLog, adminRole: string): SchemaExtension {
  return (builder) => {
    const State = builder.enumType('WebhookDeliveryState', { values: ['pending', 'delivering', 'delivered', 'dead'] as const });
    const Delivery = builder.objectRef<Awaited<ReturnType<WebhookLog['list']>>[number]>('WebhookDelivery').implement({
      description: 'One change sent (or to be sent) to one webhook; admins only.',
      fields: (t) => ({
        id: t.exposeInt('id'),
        webhook: t.exposeString('webhook'),
        messageId: t.exposeString('messageId', { description: 'The `webhook-id` header: the same on every attempt and replay.' }),
        model: t.exposeString('model'),
        kind: t.exposeString('kind'),
        rowKey: t.exposeString('rowKey'),
        state: t.field({ type: State, resolve: (d) => d.state }),
        attempts: t.exposeInt('attempts'),
        lastStatus: t.exposeInt('lastStatus', { nullable: true }),
        lastError: t.exposeString('lastError', { nullable: true }),
        createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
        nextAttemptAt: t.field({ type: 'DateTime', resolve: (d) => d.nextAttemptAt }),
        deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.deliveredAt }),
        payload: t.exposeString('payload'),
      }),
    });
    builder.queryField('webhookDeliveries', (t) =>
      t.field({
        type: [Delivery],
        auth: adminRole,
        description: 'The webhook delivery log, newest first.',
        args: { webhook: t.arg.string(), state: t.arg({ type: State }), take: t.arg.int({ description: 'At most 500. Default 50.' }) },
        resolve: (_root, args) => log.list({ webhook: args.webhook ?? undefined, state: args.state ?? undefined, take: args.take ?? undefined }),
      }),
    );
    builder.mutationField('replayWebhookDeliveries', (t) =>
      t.int({
        auth: adminRole,
        description: 'Sends delivered or dead deliveries again (same message id); returns how many were queued.',
        args: { ids: t.arg.intList({ required: true }) },
        resolve: (_root, args) => log.replay({ ids: args.ids }),
      }),
    );
  };
}
