import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config/index.ts';
import { createDb, loadGenerated, pushSchema, type DbClient, type Generated, type QueryEvent } from './db/index.ts';
import { createCairnYoga, createContextFactory, type CairnYoga } from './http/index.ts';
import { buildSchema } from './schema/index.ts';

export interface AppOptions {
  config: Readonly<Config>;
  /** The generated client to serve; loaded from `config.generatedDir` when omitted. */
  generated?: Generated;
  /** Receives every SQL statement (tests and benchmarks count them). */
  onQuery?: (event: QueryEvent) => void;
  /** Where unexpected errors go. @default console.error */
  logError?: (error: unknown) => void;
}

export interface App {
  config: Readonly<Config>;
  schema: GraphQLSchema;
  db: DbClient;
  yoga: CairnYoga;
  server: Server;
  /** Listens on `config.port` (0 picks a free port) and resolves with the bound port. */
  start(): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
}

/** The composition root: everything a running Cairn consists of, in the order it is built. */
export async function buildApp({ config, generated: given, onQuery, logError }: AppOptions): Promise<App> {
  const generated = given ?? (await loadGenerated(config.generatedDir, config.provider));
  if (config.syncSchema === 'push') await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
  const db = createDb({ databaseUrl: config.databaseUrl, generated, poolSize: config.dbPoolSize, onQuery });
  const schema = buildSchema({
    datamodel: generated.datamodel,
    maxPageSize: config.maxPageSize,
    dbNull: generated.Prisma.DbNull,
  });
  const yoga = createCairnYoga({
    schema,
    context: createContextFactory({ db }),
    isReady: async () => {
      await db.$queryRawUnsafe('SELECT 1');
      return true;
    },
    development: config.env !== 'production',
    graphiql: config.graphiql,
    logError,
  });
  const server = createServer(yoga);

  return {
    config,
    schema,
    db,
    yoga,
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
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.$disconnect();
    },
  };
}
