import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { createAccessPolicy, resolveRules, trustedClient, unruledModelsWarning } from './access/index.ts';
import { authWriteObserver, createAuth, createOutbox, createSessionPurge, createSmtpMailer, currentSessionId, type Auth, type AuthOverrides, type Mailer } from './auth/index.ts';
import type { Config, StorageConfig } from './config/index.ts';
import { createEventBus, type EventBus } from './events/index.ts';
import { createDb, loadCurrentGenerated, pushSchema, type DbClient, type Generated, type QueryEvent } from './db/index.ts';
import { applyFieldAuth, buildAppCode, type CairnFunctions } from './extend/index.ts';
import {
  createCairnYoga,
  createContextFactory,
  createGracefulServer,
  createLogger,
  createReadinessCheck,
  createWebSocketServer,
  corsOptions,
  graphqlEndpoint,
  hasHttpHooks,
  serveFastPath,
  userViewerLookup,
  type FastPathStats,
  type CairnYoga,
  type Logger,
} from './http/index.ts';
import type { WriteObserver } from './events/index.ts';
import type { JobsRuntime } from './jobs/index.ts';
import { createNotifyApi, type Notify, type NotifyApi, type PushSender } from './notify/index.ts';
import { createRealtime, type Realtime } from './realtime/index.ts';
import { buildSchema, type SchemaExtension, type Viewer } from './schema/index.ts';
import type { Plugin } from 'graphql-yoga';
import { createFileStorage, type FileStorage, type Storage } from './storage/index.ts';

export interface AppOptions {
  config: Readonly<Config>;
  /** The generated client to serve; loaded from `config.generatedDir` when omitted. */
  generated?: Generated;
  /** Receives every SQL statement (tests and benchmarks count them). */
  onQuery?: (event: QueryEvent) => void;
  /** The server log (requests, shutdown steps, unexpected errors). @default pino at `config.logLevel` on stdout */
  logger?: Logger;
  /** Where unexpected errors go. @default the logger, at error level with the stack */
  logError?: (error: unknown) => void;
  /** Replaces parts of auth: the clock, the mailer, the throttling store (tests, embedders). */
  auth?: AuthOverrides;
  /**
   * `enforce`: `ctx.db` enforces the schema's access rules. `trusted`: every request gets the raw
   * client — only for tests of the CRUD generator itself, never for an app. @default "enforce"
   */
  access?: 'enforce' | 'trusted';
  /**
   * Finds the viewer instead of auth's sessions: tests of schemas without auth models use it to
   * act as a given user. It replaces authentication only; the access rules still apply.
   */
  resolveViewer?: (request: Request, connectionParams?: Record<string, unknown>) => Promise<Viewer | null>;
  /** Where boot warnings go (e.g. models without access rules). @default the logger, at warn level */
  warn?: (message: string) => void;
  /** What reacts to every write through `ctx.db`: change events after COMMIT, hooks and outbox rows inside the transaction (see WriteObserver). @default [] */
  observers?: WriteObserver[];
  /** File storage: its configuration (@default from the environment, README "Files") and a driver replacing the configured one (tests). */
  storage?: { config?: StorageConfig; driver?: Storage; now?: () => number };
  /** The bus change events travel on. @default Redis with `config.redisUrl`, otherwise in-process */
  bus?: EventBus;
  /**
   * The app's own code (custom fields, jobs, schedules, routes, plugins, hooks, webhooks): the same
   * object `functions/index.ts` exports. @default loaded from `config.functionsPath` when that file exists
   */
  functions?: CairnFunctions;
  /** Replaces the push services configured from the environment (README "Push notifications and the inbox"): tests, embedders. */
  push?: PushSender;
  /** More schema extensions after auth's and the app's (embedders). @default [] */
  extensions?: SchemaExtension[];
  /** More yoga plugins after Cairn's and the app's (embedders). @default [] */
  plugins?: Plugin<any>[];
}

export interface App {
  config: Readonly<Config>;
  schema: GraphQLSchema;
  db: DbClient;
  yoga: CairnYoga;
  /** File fields' storage (uploads, links, clean-up); null when the schema declares no `@file` field. */
  files: FileStorage | null;
  /** Sign-in and sessions; null when the schema declares no auth models. `auth.outbox` holds dev/test e-mail. */
  auth: Auth | null;
  /** Carries change events between instances (closed by `stop`). */
  bus: EventBus;
  /** The client-facing notification API (devices, inbox, preferences); null when the schema declares no notification models. */
  notificationApi: NotifyApi | null;
  /** Subscriptions and live queries; `realtime.observer` publishes committed writes to `bus`. */
  realtime: Realtime;
  /** Serves HTTP and, on the same port, graphql-ws WebSocket connections. */
  server: Server;
  /** Requests the HTTP fast path answered and handed to yoga; null when it is off (CAIRN_HTTP_FAST_PATH=0, or plugins that need yoga's HTTP layer). */
  httpFastPath: FastPathStats | null;
  logger: Logger;
  /** `ctx.notify` for code outside a request (seed scripts, embedders); names what is missing without the notification models. */
  notify: Notify;
  /** The job queue and schedules; null when the app defines no jobs. */
  jobs: JobsRuntime | null;
  /** Write observers of the app's code (model hooks, webhook outbox), in the order the write path calls them. */
  observers: WriteObserver[];
  /** Starts the job workers, schedules, webhook deliveries and the session purge (`start()` does it too; `cairn dev` serves without `start`). */
  startWorkers(): Promise<void>;
  /** Listens on `config.port` (0 picks a free port) and resolves with the bound port. */
  start(): Promise<{ port: number; url: string }>;
  /**
   * Stops serving: no new connections, WebSockets closed with 1001, running requests finish (their
   * keep-alive sockets told `Connection: close`) for up to `timeoutMs`, then the database closes.
   * Each step is logged. @default timeoutMs 0 (cut at once: tests)
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** The composition root: everything a running Cairn consists of, in the order it is built. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, generated: given, onQuery, auth: authOverrides } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const logError = options.logError ?? ((error: unknown) => logger.error({ err: error }, 'unexpected error'));
  const warn = options.warn ?? ((message: string) => logger.warn(message));
  const generated = given ?? (await loadCurrentGenerated({ ...config, whenStale: config.env === 'production' ? 'refuse' : 'regenerate', warn }));
  const schemaFile = existsSync(config.schemaPath) ? { path: config.schemaPath, text: readFileSync(config.schemaPath, 'utf8') } : undefined;
  const rules = resolveRules(generated.datamodel, { schema: schemaFile });
  const unruled = unruledModelsWarning(rules);
  if (unruled && options.access !== 'trusted') warn(unruled);
  if (config.syncSchema === 'push') await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
  const db = createDb({
    databaseUrl: config.databaseUrl,
    generated,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.limits.requestTimeoutMs,
    preparedStatements: config.dbPreparedStatements,
    onQuery,
  });
  const bus = options.bus ?? createEventBus({ redisUrl: config.redisUrl, channelPrefix: config.redisPrefix, logError });
  const realtime = createRealtime({
    bus,
    db,
    rules,
    provider: config.provider,
    liveThrottleMs: config.liveThrottleMs,
    maxPerConnection: config.maxSubscriptionsPerConnection,
    maxPerViewer: config.maxSubscriptionsPerViewer,
    recheckMs: config.subscriptionRecheckMs,
    presence: { redisUrl: config.redisUrl, prefix: config.redisPrefix, ttlMs: config.presenceTtlMs },
    resolveViewer: async (request, connectionParams) => (await contextFor(request, connectionParams)).viewer,
    logError,
  });
  const files = createFileStorage({
    datamodel: generated.datamodel,
    db,
    config: options.storage?.config ?? config.storage,
    storage: options.storage?.driver,
    now: options.storage?.now,
    logError,
  });
  // The app's own code: custom fields, routes, jobs, schedules, hooks, webhooks (src/extend). Its
  // server-side writes (jobs, after hooks) go through the capturing trusted client made below.
  let trustedDb: DbClient = db;
  let mailer: Mailer | undefined;
  const appCode = await buildAppCode({ config, db, trustedDb: () => trustedDb, mailer: () => (mailer ??= resolveMailer()), datamodel: generated.datamodel, rules, push: options.push, presence: realtime.presence, functions: options.functions, logError, warn });
  // Auth's guard concerns User, file clean-up the models with file fields: scoped, so other models' writes pay nothing for them.
  // Auth is built after the write path (it needs rule-applying clients); role changes and user deletions reach its session cache through this.
  let revokeUserSessions = (_userId: string | number): void => {};
  const authGuard = authWriteObserver(generated.datamodel, (userId) => revokeUserSessions(userId));
  const fileModels = files && [...new Set(files.fields.all.map((f) => f.model))];
  const observers = [
    authGuard && { models: ['User'], ...authGuard },
    ...appCode.observers,
    ...(options.observers ?? []),
    files && { models: fileModels!, ...files.observer },
    realtime.observer,
  ].filter((observer) => !!observer);
  const access = options.access === 'trusted' ? 'trusted' : createAccessPolicy({ rules, explain: config.env !== 'production', observers, onObserverError: logError });
  if (access !== 'trusted') trustedDb = access.sudo(db);
  const clientFor = (viewer: Viewer) => (access === 'trusted' ? trustedClient(db, viewer) : access.clientFor(db, viewer));
  const auth = createAuth({ config, db: trustedDb, datamodel: generated.datamodel, clientFor, logError, warn, bus, ...authOverrides });
  if (auth) revokeUserSessions = (userId) => void auth.sessions.revokeUser(userId).catch(logError);
  // Expired sessions (and their push devices, by cascade) and one-time tokens, on every instance.
  const sessionPurge = auth && createSessionPurge({ db: trustedDb, everyMs: config.sessionPurgeMs, now: authOverrides?.now, logError });
  const notificationApi = createNotifyApi({
    datamodel: generated.datamodel,
    auth: !!auth,
    db: trustedDb,
    provider: config.provider,
    bus,
    types: appCode.notificationTypes,
    platforms: appCode.pushPlatforms,
    production: config.env === 'production',
    maxPageSize: config.maxPageSize,
    maxDevicesPerUser: config.maxPushDevices,
    sessionOf: currentSessionId,
    gap: (ctx) => realtime.gap(ctx),
    logError,
  });
  // App code mails like auth: its mailer, its outbox, or SMTP when auth is off.
  const resolveMailer = (): Mailer =>
    authOverrides?.mailer ?? auth?.outbox ?? (config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : createOutbox({ log: config.env === 'development' ? console.info : undefined }));
  const schema = realtime.withLiveDirective(buildSchema({
    datamodel: generated.datamodel,
    maxPageSize: config.maxPageSize,
    dbNull: generated.Prisma.DbNull,
    rules,
    // Trusted mode (CRUD generator tests) has no rules at all, so it keeps every column writable.
    readOnlyFields: options.access === 'trusted' ? undefined : auth?.readOnlyFields,
    extensions: [auth?.extendSchema, files?.extendSchema, realtime.extendSchema, notificationApi?.extendSchema, appCode.extension, ...(options.extensions ?? [])].filter((extension) => extension !== undefined),
    fieldTypes: files?.fieldTypes,
  }));
  const contextFor = createContextFactory({
    db,
    access,
    resolveViewer: options.resolveViewer ?? auth?.resolveViewer,
    runAs: userViewerLookup(db, generated.datamodel, config.adminRole),
    jobs: appCode.jobs,
    notify: appCode.notify,
  });
  files?.wrapSchema(schema);
  applyFieldAuth(schema);
  let stopping: Promise<void> | undefined;
  const development = config.env !== 'production';
  const yoga = createCairnYoga({
    schema,
    context: contextFor,
    isReady: createReadinessCheck({ db, provider: config.provider, datamodel: generated.datamodel, migrationsDir: config.migrationsDir, stopping: () => !!stopping }),
    development,
    // GraphiQL's assets come from the npm package, not a CDN (works air-gapped); ~50 MB, so only when on.
    graphiql: config.graphiql && (await import('@graphql-yoga/render-graphiql')).renderGraphiQL,
    logError,
    logger,
    datamodel: generated.datamodel,
    auth,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.limits,
    maxPageSize: config.maxPageSize,
    plugins: files?.plugins(schema),
    streamingPlugins: realtime.plugins,
    appPlugins: [...appCode.plugins(contextFor), ...(options.plugins ?? [])],
  });
  // Plain JSON operations skip yoga's HTTP layer, unless the app's or an embedder's plugins hook into it.
  const fastPath = config.httpFastPath && ![...appCode.customPlugins, ...(options.plugins ?? [])].some(hasHttpHooks)
    ? serveFastPath({ yoga, endpoint: graphqlEndpoint, maxBodyBytes: config.maxBodyBytes, cors: corsOptions(auth), logger, compress: !development, sessionCookies: !!auth })
    : null;
  const http = createGracefulServer(fastPath ?? yoga);
  const server = http.server;
  const websocket = createWebSocketServer({ server, yoga, limits: config.limits, trustProxy: config.trustProxy });

  return {
    config,
    schema,
    db,
    yoga,
    files,
    auth,
    bus,
    notificationApi,
    realtime,
    server,
    httpFastPath: fastPath?.stats ?? null,
    logger,
    jobs: appCode.queue,
    notify: appCode.notify,
    observers: appCode.observers,
    startWorkers,
    start: async () => {
      await startWorkers();
      return listen();
    },
    stop({ timeoutMs = 0 } = {}) {
      // Idempotent: a signal during a test's own stop (or two signals) share one shutdown.
      return (stopping ??= shutdown(timeoutMs));
    },
  };

  /** Listens on the configured port, or answers where it already does. */
  function listen(): Promise<{ port: number; url: string }> {
    const where = () => {
      const { port } = server.address() as AddressInfo;
      return { port, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql` };
    };
    if (server.listening) return Promise.resolve(where());
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve(where()));
    });
  }

  async function startWorkers(): Promise<void> {
    sessionPurge?.start();
    await appCode.startWorkers();
  }

  async function shutdown(timeoutMs: number): Promise<void> {
    const graceful = timeoutMs > 0;
    const step = (message: string, fields: object = {}) => graceful && logger.info(fields, `shutdown: ${message}`);
    step('stopped accepting connections', { inFlight: http.inFlight, timeoutMs });
    const drained = http.drain(timeoutMs);
    // Subscriptions and live queries complete first, so clients get `complete`, not a dropped socket.
    await realtime.close();
    await notificationApi?.close();
    const sockets = await websocket.close();
    step('closed WebSocket connections (1001 going away)', { sockets });
    const finished = await drained;
    step(finished ? 'running requests finished' : 'deadline reached: cut the remaining connections', { inFlight: http.inFlight });
    // Running jobs finish (or are released to another instance) before the database closes.
    await appCode.stopWorkers();
    await sessionPurge?.stop();
    step('job workers, webhook deliveries and the session purge stopped');
    auth?.close();
    await files?.close();
    await bus.close();
    await db.$disconnect();
    step('database closed; done');
  }
}
