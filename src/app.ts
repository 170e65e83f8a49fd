import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { createAccessPolicy, resolveRules, trustedClient, unruledModelsWarning } from './access/index.ts';
import { createAuth, type Auth, type AuthOverrides } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { createEventBus, type EventBus } from './events/index.ts';
import { createDb, loadGenerated, pushSchema, type DbClient, type Generated, type QueryEvent } from './db/index.ts';
import { createCairnYoga, createContextFactory, createWebSocketServer, userViewerLookup, type CairnYoga } from './http/index.ts';
import type { WriteObserver } from './events/index.ts';
import { createRealtime, type Realtime } from './realtime/index.ts';
import { buildSchema, type Viewer } from './schema/index.ts';

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
  /** What reacts to every write through `ctx.db`: change events after COMMIT, hooks and outbox rows inside the transaction (see WriteObserver). @default [] */
  observers?: WriteObserver[];
  /** The bus change events travel on. @default Redis with `config.redisUrl`, otherwise in-process */
  bus?: EventBus;
}

export interface App {
  config: Readonly<Config>;
  schema: GraphQLSchema;
  db: DbClient;
  yoga: CairnYoga;
  /** Sign-in and sessions; null when the schema declares no auth models. `auth.outbox` holds dev/test e-mail. */
  auth: Auth | null;
  /** Carries change events between instances (closed by `stop`). */
  bus: EventBus;
  /** Subscriptions and live queries; `realtime.observer` publishes committed writes to `bus`. */
  realtime: Realtime;
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
    resolveViewer: async (request, connectionParams) => (await contextFor(request, connectionParams)).viewer,
    logError,
  });
  const observers = [...(options.observers ?? []), realtime.observer];
  const access = options.access === 'trusted' ? 'trusted' : createAccessPolicy({ rules, explain: config.env !== 'production', observers, onObserverError: logError });
  const clientFor = (viewer: Viewer) => (access === 'trusted' ? trustedClient(db, viewer) : access.clientFor(db, viewer));
  const auth = createAuth({ config, db: access === 'trusted' ? db : access.sudo(db), datamodel: generated.datamodel, clientFor, logError, warn, ...authOverrides });
  const schema = realtime.withLiveDirective(buildSchema({
    datamodel: generated.datamodel,
    maxPageSize: config.maxPageSize,
    dbNull: generated.Prisma.DbNull,
    rules,
    extensions: [auth?.extendSchema, realtime.extendSchema].filter((extension) => extension !== undefined),
  }));
  const contextFor = createContextFactory({
    db,
    access,
    resolveViewer: options.resolveViewer ?? auth?.resolveViewer,
    runAs: userViewerLookup(db, generated.datamodel, config.adminRole),
  });
  const yoga = createCairnYoga({
    schema,
    context: contextFor,
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
    plugins: realtime.plugins,
  });
  const server = createServer(yoga);
  const websocket = createWebSocketServer({ server, yoga });

  return {
    config,
    schema,
    db,
    yoga,
    auth,
    bus,
    realtime,
    server,
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve({ port, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql` });
        });
      }),
    async stop() {
      await realtime.close();
      await websocket.close();
      auth?.close();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await bus.close();
      await db.$disconnect();
    },
  };
}
