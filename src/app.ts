import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { createAccessPolicy, resolveRules, trustedClient, unruledModelsWarning } from './access/index.ts';
import { createAuth, createOutbox, createSmtpMailer, type Auth, type AuthOverrides, type Mailer } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { createDb, loadGenerated, pushSchema, type DbClient, type Generated, type QueryEvent } from './db/index.ts';
import { applyFieldAuth, buildAppCode, type CairnFunctions } from './extend/index.ts';
import { createCairnYoga, createContextFactory, createWebSocketServer, userViewerLookup, type CairnYoga } from './http/index.ts';
import type { JobsRuntime } from './jobs/index.ts';
import type { WriteObserver } from './events/index.ts';
import { buildSchema, type SchemaExtension, type Viewer } from './schema/index.ts';
import type { Plugin } from 'graphql-yoga';

export interface AppOptions {
  config: Readonly<Config>;
  /** The generated client to serve; loaded from `config.generatedDir` when omitted. */
  generated?: Generated;
  /** Receives every SQL statement (tests and benchmarks count them). */
  onQuery?: (event: QueryEvent) => void;
  /** Where unexpected errors go. @default console.error */
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
  /** Where boot warnings go (e.g. models without access rules). @default console.warn */
  warn?: (message: string) => void;
  /**
   * The app's own code (custom fields, jobs, schedules, routes, plugins): the same object
   * `functions/index.ts` exports. @default loaded from `config.functionsPath` when that file exists
   */
  functions?: CairnFunctions;
  /** More schema extensions after auth's and the app's (embedders). @default [] */
  extensions?: SchemaExtension[];
  /** More yoga plugins after Cairn's and the app's (embedders). @default [] */
  plugins?: Plugin<any>[];
  /** What reacts to every write through `ctx.db`: change events after COMMIT, hooks and outbox rows inside the transaction (see WriteObserver). @default [] */
  observers?: WriteObserver[];
}

export interface App {
  config: Readonly<Config>;
  schema: GraphQLSchema;
  db: DbClient;
  yoga: CairnYoga;
  /** Sign-in and sessions; null when the schema declares no auth models. `auth.outbox` holds dev/test e-mail. */
  auth: Auth | null;
  /** The job queue and schedules; null when the app defines no jobs. */
  jobs: JobsRuntime | null;
  /** Write observers of the app's code (model hooks, webhook outbox), in the order the write path calls them. */
  observers: WriteObserver[];
  /** Starts the job workers and schedules (`start()` does it too; `cairn dev` serves without `start`). */
  startWorkers(): Promise<void>;
  /** Serves HTTP and, on the same port, graphql-ws WebSocket connections. */
  server: Server;
  /** Listens on `config.port` (0 picks a free port) and resolves with the bound port. */
  start(): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
}

/** The composition root: everything a running Cairn consists of, in the order it is built. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, generated: given, onQuery, logError, auth: authOverrides, warn = console.warn } = options;
  const generated = given ?? (await loadGenerated(config.generatedDir, config.provider));
  const schemaFile = existsSync(config.schemaPath) ? { path: config.schemaPath, text: readFileSync(config.schemaPath, 'utf8') } : undefined;
  const rules = resolveRules(generated.datamodel, { schema: schemaFile });
  const unruled = unruledModelsWarning(rules);
  if (unruled && options.access !== 'trusted') warn(unruled);
  if (config.syncSchema === 'push') await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
  const db = createDb({ databaseUrl: config.databaseUrl, generated, poolSize: config.dbPoolSize, onQuery });
  // The app's own code: custom fields, routes, jobs, schedules, hooks, webhooks (src/extend). Its
  // server-side writes (jobs, after hooks) go through the capturing trusted client made below.
  let trustedDb: DbClient = db;
  let mailer: Mailer | undefined;
  const appCode = await buildAppCode({ config, db, trustedDb: () => trustedDb, mailer: () => (mailer ??= resolveMailer()), datamodel: generated.datamodel, functions: options.functions, logError, warn });
  const observers = [...appCode.observers, ...(options.observers ?? [])];
  const access = options.access === 'trusted' ? 'trusted' : createAccessPolicy({ rules, explain: config.env !== 'production', observers, onObserverError: logError });
  if (access !== 'trusted') trustedDb = access.sudo(db);
  const clientFor = (viewer: Viewer) => (access === 'trusted' ? trustedClient(db, viewer) : access.clientFor(db, viewer));
  const auth = createAuth({ config, db: trustedDb, datamodel: generated.datamodel, clientFor, logError, warn, ...authOverrides });
  // App code mails like auth: its mailer, its outbox, or SMTP when auth is off.
  const resolveMailer = (): Mailer =>
    authOverrides?.mailer ?? auth?.outbox ?? (config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : createOutbox({ log: config.env === 'development' ? console.info : undefined }));
  const schema = buildSchema({
    datamodel: generated.datamodel,
    maxPageSize: config.maxPageSize,
    dbNull: generated.Prisma.DbNull,
    rules,
    extensions: [auth?.extendSchema, appCode.extension, ...(options.extensions ?? [])].filter((extension) => extension !== undefined),
  });
  applyFieldAuth(schema);
  const context = createContextFactory({
    db,
    access,
    resolveViewer: options.resolveViewer ?? auth?.resolveViewer,
    runAs: userViewerLookup(db, generated.datamodel, config.adminRole),
    jobs: appCode.jobs,
  });
  const yoga = createCairnYoga({
    schema,
    context,
    isReady: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return true;
    },
    development: config.env !== 'production',
    // GraphiQL's assets come from the npm package, not a CDN (works air-gapped); ~50 MB, so only when on.
    graphiql: config.graphiql && (await import('@graphql-yoga/render-graphiql')).renderGraphiQL,
    logError,
    datamodel: generated.datamodel,
    auth,
    maxBodyBytes: config.maxBodyBytes,
    plugins: [...appCode.plugins(context), ...(options.plugins ?? [])],
  });
  const server = createServer(yoga);
  const websocket = createWebSocketServer({ server, yoga });

  return {
    config,
    schema,
    db,
    yoga,
    auth,
    jobs: appCode.queue,
    observers: appCode.observers,
    server,
    startWorkers: () => appCode.startWorkers(),
    start: async () => {
      await appCode.startWorkers();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve({ port, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql` });
        });
      });
    },
    async stop() {
      // Running jobs finish (or are released for another instance) before the database goes.
      await appCode.stopWorkers();
      await websocket.close();
      auth?.close();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.$disconnect();
    },
  };
}
