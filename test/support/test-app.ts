import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { buildApp, type App, type AppOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { resolveRules, type Viewer } from '../../src/access/index.ts';
import { loadGenerated, providers, type Provider } from '../../src/db/index.ts';
import { systemSchema } from '../../src/jobs/index.ts';
import { allowAll } from './allow-all.ts';
import { fixtures, type FixtureName } from './fixtures.ts';
import { postgresUrl, testProviders } from './providers.ts';

export { postgresUrl, testProviders };

/**
 * `describe` once per database provider; a provider not available here (PostgreSQL without
 * TEST_POSTGRES_URL) shows as skipped rather than missing from the report.
 */
export function describeEachProvider(name: string, body: (provider: Provider) => void, only?: Provider[]): void {
  for (const provider of providers.filter((p) => !only || only.includes(p))) {
    (testProviders.includes(provider) ? describe : describe.skip)(`${name} [${provider}]`, () => body(provider));
  }
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions: { code: string; [key: string]: unknown } }[];
}

export interface TestApp {
  app: App;
  provider: Provider;
  /** POSTs a GraphQL operation to the app's own HTTP server on a loopback port, as a client would. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Any request through `yoga.fetch`, e.g. `fetch('/auth/oidc/start')`; relative paths are on http://cairn.test. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** SQL statements sent since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
  close(): Promise<void>;
}

/** The header `viewerHeader` apps read the viewer from: `{"id":1,"roles":["admin"]}`. */
export const testViewerHeader = 'x-test-viewer';

export interface TestAppOptions extends Pick<AppOptions, 'auth' | 'warn' | 'observers' | 'storage' | 'push'> {
  /**
   * `trusted` serves every request with the raw client (the rules off); only for tests of the
   * trusted mode itself. @default "enforce"
   */
  access?: AppOptions['access'];
  /**
   * `fixture`: the fixture's own access rules. `allow-all`: the fixture as if every model said
   * `/// @@allow("all", true)` and nothing else (see allowAll), for suites about the generated API
   * rather than the rules, so they still run the enforcing client production runs.
   * @default "fixture", or "allow-all" for a fixture without any rule when `access` is not given
   */
  rules?: 'fixture' | 'allow-all';
  /**
   * Requests name their viewer in the `x-test-viewer` header, for fixtures without auth models.
   * It bypasses authentication only: the access rules apply to that viewer as to a signed-in one.
   */
  viewerHeader?: boolean;
}

/**
 * The production factory (`buildApp`) on a fresh database of its own: a temporary SQLite file, or
 * a new PostgreSQL schema, pushed from the fixture's schema and dropped on close.
 */
export async function createTestApp(
  fixture: FixtureName,
  provider: Provider,
  env: Record<string, string> = {},
  { viewerHeader, ...options }: TestAppOptions = {},
): Promise<TestApp> {
  const { databaseUrl, drop } = await createTestDatabase(provider);
  const queries: string[] = [];
  const loaded = await loadGenerated(fixtures[fixture].generated, provider);
  // Suites about other things read nested lists without `take`; the cost limit has its own suite (test/http).
  // The example app's code (examples/blog/functions) is not every fixture's: suites opt in with CAIRN_FUNCTIONS.
  // Files go to a folder of the app's own, signed with a secret of its own (production requires one).
  const filesDir = mkdtempSync(join(tmpdir(), 'cairn-files-'));
  const storageEnv = { CAIRN_STORAGE_DIR: filesDir, CAIRN_STORAGE_SECRET: randomBytes(24).toString('hex') };
  const config = loadConfig(
    { NODE_ENV: 'test', CAIRN_MAX_COST: '1000000000', CAIRN_FUNCTIONS: '', ...storageEnv, ...env },
    { databaseUrl, port: 0, host: '127.0.0.1', syncSchema: 'push' },
  );
  const hasRules = [...resolveRules(loaded.datamodel).models.values()].some((m) => m.hasRules);
  const rules = options.rules ?? (hasRules || options.access ? 'fixture' : 'allow-all');
  const generated = rules === 'allow-all' ? { ...loaded, datamodel: allowAll(loaded.datamodel) } : loaded;
  const { rules: _rules, ...appOptions } = options;
  const app = await buildApp({
    config,
    generated,
    onQuery: (e) => queries.push(e.query),
    logError: () => {},
    warn: () => {},
    ...appOptions,
    access: options.access ?? 'enforce',
    ...(viewerHeader ? { resolveViewer: async (request: Request) => parseTestViewer(request.headers.get(testViewerHeader)) } : {}),
  });
  // GraphQL requests go over real HTTP to the app's own server (as production serves them: the
  // HTTP fast path, or yoga for what it hands on), which listens from the first request on.
  let endpoint: Promise<string> | undefined;
  const graphqlUrl = () =>
    (endpoint ??= new Promise<void>((resolve, reject) => {
      if (app.server.listening) return resolve();
      app.server.once('error', reject);
      app.server.listen(0, '127.0.0.1', () => resolve());
    }).then(() => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`));
  return {
    app,
    provider,
    queries,
    resetQueries: () => queries.splice(0),
    async gql(query, variables, headers = {}) {
      const response = await fetch(await graphqlUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    fetch: async (path, init) => app.yoga.fetch(new URL(path, 'http://cairn.test'), init ?? {}),
    async close() {
      await app.stop();
      await drop();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** Statements that carry data (not BEGIN/COMMIT/SAVEPOINT bookkeeping). */
export const dataStatements = (queries: string[]) => queries.filter((q) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(q));

async function createTestDatabase(provider: Provider): Promise<{ databaseUrl: string; drop: () => Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
    return { databaseUrl: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return {
    databaseUrl: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      // Cairn's own tables (pg-boss, the webhook outbox) live in a schema beside the app's.
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${systemSchema(url.toString())}" CASCADE`);
      await client.end();
    },
  };
}

function parseTestViewer(header: string | null): Viewer | null {
  if (!header) return null;
  const viewer = JSON.parse(header) as Viewer;
  return { id: viewer.id, roles: viewer.roles ?? [] };
}
