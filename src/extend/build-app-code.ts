import type { Plugin } from 'graphql-yoga';
import { trustedClient } from '../access/index.ts';
import type { Mailer } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import type { Datamodel, DbClient } from '../db/index.ts';
import type { WriteObserver } from '../events/index.ts';
import { createJobs, createWebhooks, retentionFromDays, systemSchema, type Jobs, type JobsRuntime, type Webhooks } from '../jobs/index.ts';
import { resolveNotificationTypes, type NotificationType } from '../notify/index.ts';
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
  /** The queue runtime; null when nothing uses jobs. */
  queue: JobsRuntime | null;
  webhooks: Webhooks | null;
  /** The notification types `functions.notifications` declares, normalised (a bad declaration fails boot). */
  notificationTypes: Map<string, NotificationType>;
  /** For the write path (`AppOptions.observers`): model hooks, then the webhook outbox. */
  observers: WriteObserver[];
  plugins(context: (request: Request) => Promise<Context>): Plugin<any>[];
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
  };
  const { datamodel } = options;
  // Before anything starts: a bad declaration fails boot with nothing to stop.
  const notificationTypes = resolveNotificationTypes(functions.notifications);
  const resolved = resolveFunctions(functions, () => server, { datamodel, env: options.env ?? process.env, warn: options.warn });
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
    queue,
    webhooks,
    notificationTypes,
    observers: [resolved.hooks, webhooks?.observer].filter((o): o is WriteObserver => Boolean(o)),
    plugins: (context) => [useFunctionRoutes(resolved.routes, context, logError), ...resolved.plugins].filter((p): p is Plugin<any> => Boolean(p)),
    async startWorkers() {
      await queue?.start();
      webhooks?.start();
    },
    async stopWorkers() {
      await webhooks?.stop();
      await queue?.stop();
    },
  };
}
