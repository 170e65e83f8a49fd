import type { Plugin } from 'graphql-yoga';
import { trustedClient, type ResolvedRules } from '../access/index.ts';
import type { Mailer } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import type { Datamodel, DbClient } from '../db/index.ts';
import type { WriteObserver } from '../events/index.ts';
import { createJobs, createWebhooks, retentionFromDays, systemSchema, type Jobs, type JobsRuntime, type Webhooks } from '../jobs/index.ts';
import { createNotifications, resolveNotificationTypes, usesNotifications, type NotificationType, type Notify, type PushPlatform, type PushSender } from '../notify/index.ts';
import type { Presence } from '../realtime/index.ts';
import type { Context, SchemaExtension } from '../schema/index.ts';
import type { CairnFunctions, ServerContext } from './functions.ts';
import { loadFunctions, validateFunctions } from './load-functions.ts';
import { registerWebhookLog } from './register-webhook-log.ts';
import { noJobs, resolveFunctions } from './resolve-functions.ts';
import { useFunctionRoutes } from './use-function-routes.ts';

export interface AppCodeOptions {
  config: Readonly<Config>;
  db: DbClient;
  /** The client trusted server code (jobs, after hooks) writes through: rules off, changes still captured. Read when a job runs. */
  trustedDb: () => DbClient;
  /** The mailer jobs use (`ctx.mail`); read when a job runs (auth is built after the app code). */
  mailer: () => Mailer;
  datamodel: Datamodel;
  /** The resolved access rules: `ctx.notify`'s `readersOf` audiences are judged by them. */
  rules?: ResolvedRules;
  /** Replaces the push services configured from the environment (tests, embedders). */
  push?: PushSender;
  /** Who is online (realtime): `ctx.notify({ push: 'offline' })` skips their push. */
  presence?: Presence;
  /** Given by an embedder; otherwise loaded from `config.functionsPath`. */
  functions?: CairnFunctions;
  env?: Record<string, string | undefined>;
  logError?: (error: unknown) => void;
  warn?: (message: string) => void;
}

/** The app's code assembled for the composition root: what goes in the schema, the plugin list and the write path. */
export interface AppCode {
  extension?: SchemaExtension;
  /** `ctx.jobs`. */
  jobs: Jobs;
  /** `ctx.notify`: present when the schema has the notification models, otherwise it names what is missing. */
  notify: Notify;
  /** The queue runtime; null when nothing uses jobs. */
  queue: JobsRuntime | null;
  webhooks: Webhooks | null;
  /** The notification types `functions.notifications` declares, normalised (a bad declaration fails boot). */
  notificationTypes: Map<string, NotificationType>;
  /** The push services configured (what `registerPushDevice` accepts); none without the notification models. */
  pushPlatforms: readonly PushPlatform[];
  /** For the write path (`AppOptions.observers`): model hooks, then the webhook outbox. */
  observers: WriteObserver[];
  plugins(context: (request: Request) => Promise<Context>): Plugin<any>[];
  /** The app's own yoga plugins (`functions.plugins`), which `plugins` includes. */
  customPlugins: Plugin<any>[];
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
}

export async function buildAppCode(options: AppCodeOptions): Promise<AppCode> {
  const { config, db, logError = console.error } = options;
  const functions = options.functions ? validateFunctions(options.functions, 'AppOptions.functions') : await loadFunctions(config.functionsPath);
  const server: ServerContext = {
    get db() {
      return trustedClient(options.trustedDb());
    },
    jobs: noJobs,
    get mail() {
      return options.mailer();
    },
    notify: noNotify,
  };
  const { datamodel } = options;
  // Before anything starts: a bad declaration fails boot with nothing to stop.
  const notificationTypes = resolveNotificationTypes(functions.notifications);
  const resolved = resolveFunctions(functions, () => server, { datamodel, env: options.env ?? process.env, warn: options.warn });
  // Cairn's own jobs (notification delivery) join the app's, so the queue exists when they do.
  const notifications =
    options.rules && usesNotifications(datamodel)
      ? createNotifications({ datamodel, rules: options.rules, types: notificationTypes, db, trustedDb: options.trustedDb, mail: () => server.mail, jobs: () => server.jobs, push: options.push, presence: options.presence, env: options.env, logError, warn: options.warn })
      : null;
  if (notifications) {
    for (const name of Object.keys(notifications.jobs)) if (resolved.jobs[name] || resolved.schedules[name]) throw new Error(`Job "${name}" is Cairn's own (notification delivery); rename the app's job`);
    Object.assign(resolved.jobs, notifications.jobs);
    server.notify = notifications.notify;
  }
  const queue =
    Object.keys(resolved.jobs).length || Object.keys(resolved.schedules).length
      ? await createJobs({
          provider: config.provider,
          databaseUrl: config.databaseUrl,
          db,
          systemSchema: systemSchema(config.databaseUrl),
          jobs: resolved.jobs,
          schedules: resolved.schedules,
          pollMs: config.jobsPollMs,
          retention: retentionFromDays(config.jobsRetentionDays, config.deadRetentionDays),
          logError,
          warn: options.warn,
        })
      : null;
  server.jobs = queue ?? noJobs;
  const webhooks = resolved.webhooks.length
    ? await createWebhooks({ provider: config.provider, db, systemSchema: systemSchema(config.databaseUrl), datamodel, webhooks: resolved.webhooks, pollMs: config.jobsPollMs, retention: retentionFromDays(config.jobsRetentionDays, config.deadRetentionDays), logError })
    : null;
  const extensions = [resolved.schema, webhooks && registerWebhookLog(webhooks.log, config.adminRole)].filter((e): e is SchemaExtension => Boolean(e));
  return {
    extension: extensions.length ? (builder, kit) => extensions.forEach((extend) => extend(builder, kit)) : undefined,
    jobs: server.jobs,
    notify: server.notify,
    queue,
    webhooks,
    notificationTypes,
    pushPlatforms: notifications?.platforms ?? [],
    observers: [resolved.hooks, webhooks?.observer].filter((o): o is WriteObserver => Boolean(o)),
    plugins: (context) => [useFunctionRoutes(resolved.routes, context, logError), ...resolved.plugins].filter((p): p is Plugin<any> => Boolean(p)),
    customPlugins: resolved.plugins,
    async startWorkers() {
      await queue?.start();
      webhooks?.start();
    },
    async stopWorkers() {
      await webhooks?.stop();
      await queue?.stop();
      await notifications?.close();
    },
  };
}

/** `ctx.notify` of a schema without the notification models. */
const noNotify: Notify = Object.assign(
  async () => {
    throw new Error('ctx.notify needs the Notification (in-app) and/or PushDevice (push) models in schema.prisma (README "Push notifications and the inbox")');
  },
  { within: () => noNotify },
);
