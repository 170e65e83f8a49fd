import type { ResolvedRules } from '../../access/index.ts';
import type { Mailer } from '../../auth/index.ts';
import type { Datamodel, DbClient } from '../../db/index.ts';
import type { JobDefinition, Jobs } from '../../jobs/index.ts';
import { defaultNotificationType, type NotificationType } from '../notification-types.ts';
import { createPushSender, loadPushConfig, type PushSender } from '../push-config.ts';
import type { PushPlatform } from '../push-provider.ts';
import { deliverPage, type EmailJobPayload, type PageResult, type PushJobPayload } from './deliver-page.ts';
import { resolveNotifyInput, type FanOutPayload, type Notify, type NotifyInput } from './notify-input.ts';
import { createSentRecorder, runPushJob } from './push-job.ts';
import { createAudienceResolver } from './resolve-audience.ts';

/** Cairn's own jobs behind `ctx.notify` (they share the app's queue; names starting "cairn." are Cairn's). */
export const notificationJobs = { fanOut: 'cairn.notify', push: 'cairn.push', email: 'cairn.notify-email' } as const;

/** Whether the schema has Cairn's notification models (then `ctx.notify` and its jobs exist). */
export const usesNotifications = (datamodel: Datamodel) => datamodel.models.some((m) => m.name === 'Notification' || m.name === 'PushDevice');

export interface NotificationsOptions {
  datamodel: Datamodel;
  rules: ResolvedRules;
  /** `resolveNotificationTypes(functions.notifications)`. */
  types: ReadonlyMap<string, NotificationType>;
  /** The raw client (reads, device clean-up, the queue's transactions). */
  db: DbClient;
  /** The trusted capturing client (`access.sudo(db)`): inbox rows written through it produce change events. Read when a job runs. */
  trustedDb: () => DbClient;
  mail: () => Mailer;
  /** The queue (read when used: it is built after these definitions). */
  jobs: () => Jobs;
  /** Who is online (the realtime's presence): `push: 'offline'` deliveries skip their devices. @default nobody is */
  presence?: { online(userIds: readonly (string | number)[]): Promise<Set<string | number>> };
  /** The push services. @default createPushSender(loadPushConfig(env)), made on first use */
  push?: PushSender;
  env?: Record<string, string | undefined>;
  /** Users per fan-out page (CAIRN_NOTIFY_PAGE_SIZE). @default 500 */
  pageSize?: number;
  /** Push attempts before a retryable failure gives up (CAIRN_PUSH_MAX_ATTEMPTS). @default 6 */
  pushMaxAttempts?: number;
  /** First push retry delay, doubled per attempt (CAIRN_PUSH_RETRY_DELAY_MS). @default 2000 */
  pushRetryDelayMs?: number;
  /** Concurrent push jobs per instance (CAIRN_PUSH_CONCURRENCY). @default 8 */
  pushConcurrency?: number;
  logError?: (error: unknown) => void;
  warn?: (message: string) => void;
}

export interface Notifications {
  notify: Notify;
  /** The push services configured on this server. */
  platforms: readonly PushPlatform[];
  /** The job definitions to add to the queue. */
  jobs: Record<string, JobDefinition>;
  close(): Promise<void>;
}

const positive = (env: Record<string, string | undefined>, name: string, fallback: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max} (got "${raw}")`);
  return value;
};

/**
 * `ctx.notify` and the jobs that deliver it: a fan-out job per audience page (inbox rows, then one
 * push job per device and one e-mail job per user), each idempotent so the queue's at-least-once
 * runs double nothing.
 */
export function createNotifications(options: NotificationsOptions): Notifications {
  const env = options.env ?? process.env;
  const { datamodel, db, logError = console.error, warn = console.warn } = options;
  const pageSize = options.pageSize ?? positive(env, 'CAIRN_NOTIFY_PAGE_SIZE', 500, 10_000);
  const maxAttempts = options.pushMaxAttempts ?? positive(env, 'CAIRN_PUSH_MAX_ATTEMPTS', 6, 50);
  const retryDelayMs = options.pushRetryDelayMs ?? positive(env, 'CAIRN_PUSH_RETRY_DELAY_MS', 2000, 3_600_000);
  const concurrency = options.pushConcurrency ?? positive(env, 'CAIRN_PUSH_CONCURRENCY', 8, 256);
  // A push job holds its lease a little longer than one request may take: a crashed process's
  // deliveries are due again soon after.
  const pushJobTimeoutMs = positive(env, 'CAIRN_PUSH_TIMEOUT_MS', 10_000, 600_000) + 5_000;
  // Boot fails on a half-configured service (loadPushConfig names the missing variables).
  const sender = options.push ?? createPushSender(loadPushConfig(env));
  const audience = createAudienceResolver(db, options.rules);
  const recorder = createSentRecorder(db, logError);
  const has = (name: string) => datamodel.models.some((m) => m.name === name);
  const models = { inbox: has('Notification'), devices: has('PushDevice'), preferences: has('NotificationPreference') };
  const typeOf = (name: string) => options.types.get(name) ?? defaultNotificationType(name);
  const userId = datamodel.models.find((m) => m.name === 'User')!.fields.find((f) => f.isId)!.name;

  const enqueueFanOut = async (input: NotifyInput, tx?: unknown) => {
    const payload = resolveNotifyInput(input, datamodel);
    // Inside a policy transaction, its trusted client runs the INSERT on the same transaction.
    const within = tx && typeof (tx as { sudo?: unknown }).sudo === 'function' ? (tx as { sudo(): unknown }).sudo() : tx;
    const id = await options.jobs().enqueue(notificationJobs.fanOut, payload, { key: `k:${payload.key}`, ...(within ? { db: within } : {}) });
    return { id: payload.id, enqueued: id !== null };
  };
  const notify = ((input: NotifyInput, opts?: { db?: unknown }) => enqueueFanOut(input, opts?.db)) as Notify;
  notify.within = (tx) => (input) => enqueueFanOut(input, tx);

  const fanOut: JobDefinition<FanOutPayload> = {
    retries: 8,
    // A page takes seconds; a crashed process's page is due again once this (plus the lease grace) passes.
    timeoutMs: 30_000,
    concurrency: 2,
    handler: async ({ payload }): Promise<PageResult & { next: unknown }> => {
      const page = await audience.page(payload.to, payload.cursor, pageSize);
      const result = page.users.length
        ? await deliverPage(
            { db, trusted: options.trustedDb, models, enqueue: (name, p, o) => options.jobs().enqueue(name, p, o), jobNames: notificationJobs, online: options.presence && ((ids) => options.presence!.online(ids)) },
            payload,
            typeOf(payload.type),
            page.users,
          )
        : { users: 0, inbox: 0, push: 0, email: 0, online: 0 };
      // After this page is delivered; keyed, so a re-run of this page does not start the next twice.
      if (page.next !== null) {
        // A listed audience carries only the ids still to do, so page payloads shrink as it goes.
        const next: FanOutPayload =
          'users' in payload.to
            ? { ...payload, page: payload.page + 1, to: { users: payload.to.users.slice(Number(page.next)) }, cursor: null }
            : { ...payload, page: payload.page + 1, cursor: page.next };
        await options.jobs().enqueue(notificationJobs.fanOut, next, { key: `p:${payload.id}:${next.page}` });
      }
      return { ...result, next: page.next };
    },
  };

  const push: JobDefinition<PushJobPayload> = {
    concurrency,
    // Our own retries (new jobs at the time Retry-After names); the queue's only cover crashes and database faults.
    retries: 5,
    timeoutMs: pushJobTimeoutMs,
    handler: ({ payload }) =>
      runPushJob(
        { db, sent: recorder.sent, sender: () => sender, maxAttempts, retryDelayMs, logError, warn, retry: (next, runAt, key) => options.jobs().enqueue(notificationJobs.push, next, { key, runAt }) },
        payload,
      ),
  };

  const email: JobDefinition<EmailJobPayload> = {
    retries: 5,
    concurrency: 2,
    handler: async ({ payload }) => {
      const user = await (db as any).user.findUnique({ where: { [userId]: payload.userId }, select: { email: true } });
      if (!user?.email) return 'no-address';
      const text = [payload.body, payload.url].filter(Boolean).join('\n\n') || (payload.title ?? payload.type);
      await options.mail().send({ to: user.email, subject: payload.title ?? payload.type, text });
      return 'sent';
    },
  };

  return {
    notify,
    platforms: sender.platforms,
    jobs: { [notificationJobs.fanOut]: fanOut, [notificationJobs.push]: push, [notificationJobs.email]: email },
    async close() {
      await recorder.flush();
      await sender.close();
    },
  };
}
