import { createDb, loadGenerated } from '../../db/index.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../parse-args.ts';

export const webhooksReplayCommand = defineCommand({
  path: ['webhooks:replay'],
  summary: 'Send webhook deliveries again (dead or delivered ones, same webhook-id)',
  description:
    'Picks deliveries by --id, or by --webhook with --state and --since; at least one of --id or --webhook is required.\n' +
    'Replayed deliveries keep their message id (receivers deduplicate on webhook-id) and queue behind earlier\n' +
    'pending changes of the same row. A running Cairn instance delivers them.',
  options: {
    id: { type: 'string', description: 'Delivery ids, comma-separated (see the webhookDeliveries query)', valueName: '<ids>' },
    webhook: { type: 'string', description: 'Every delivery of this webhook', valueName: '<name>' },
    state: { type: 'string', description: 'Only deliveries in this state: dead (default with --webhook) or delivered', valueName: '<state>' },
    since: { type: 'string', description: 'Only deliveries created at or after this ISO time', valueName: '<time>' },
  },
  async run({ config, io }, { options }) {
    if (!options.id && !options.webhook) throw new UsageError('Name what to replay: --id <ids> or --webhook <name>.');
    const ids = options.id?.split(',').map((part) => {
      const id = Number(part.trim());
      if (!Number.isInteger(id) || id < 1) throw new UsageError(`--id: "${part}" is not a delivery id (positive integers, comma-separated).`);
      return id;
    });
    const state = options.state ?? (ids ? undefined : 'dead');
    if (state !== undefined && state !== 'dead' && state !== 'delivered') throw new UsageError(`--state must be dead or delivered, got "${state}".`);
    const since = options.since ? new Date(options.since) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: "${options.since}" is not an ISO date or time.`);
    const { createWebhookLog, outboxDialect, systemSchema } = await import('../../jobs/index.ts');
    const generated = await loadGenerated(config.generatedDir, config.provider);
    const db = createDb({ databaseUrl: config.databaseUrl, generated });
    try {
      const log = createWebhookLog(db, outboxDialect(config.provider, systemSchema(config.databaseUrl)));
      const count = await log.replay({ ids, webhook: options.webhook, state, since });
      io.out(count ? `✔ ${count} deliver${count === 1 ? 'y' : 'ies'} queued again.` : 'Nothing matched: no dead or delivered deliveries were selected.');
    } catch (error) {
      if (/no such table|does not exist/i.test(String((error as Error).message))) throw new Error('This database has no webhook deliveries yet (the outbox is created when an app with webhooks starts).');
      throw error;
    } finally {
      await db.$disconnect();
    }
  },
});
