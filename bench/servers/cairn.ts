import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { rootDir } from '../lib/paths.ts';
import { benchAdminId } from '../shapes.ts';
import { benchEnv, runServerProcess } from './harness.ts';
import { countDriverStatements } from './statement-counter.ts';

/**
 * (c) Cairn as production builds it: `buildApp` with NODE_ENV=production (masked errors, no
 * GraphiQL), no schema push at boot, no query logging, access rules enforced; its own
 * `app.server` serves the load. BENCH_CAIRN_VIEWER picks who every request runs as:
 * `admin` (default; user 1 with the admin role, so the example app's rules admit every row and
 * Cairn answers exactly what the baselines answer) or `anonymous` (rules filter what it reads and
 * writes are refused). The viewer comes from buildApp's `resolveViewer`, so no session lookup is
 * measured.
 */
await countDriverStatements(pg, benchEnv().sqliteFile);

await runServerProcess(async () => {
  const { url, poolSize } = benchEnv();
  const config = loadConfig(
    { NODE_ENV: 'production', CAIRN_GENERATED_DIR: `${rootDir}/examples/blog/src/generated`, CAIRN_SCHEMA: `${rootDir}/examples/blog/prisma/schema.prisma` },
    { databaseUrl: url, host: '127.0.0.1', port: 0, syncSchema: 'off', dbPoolSize: poolSize },
  );
  const viewer = process.env.BENCH_CAIRN_VIEWER === 'anonymous' ? null : { id: benchAdminId, roles: ['user', 'admin'] };
  const app = await buildApp({ config, resolveViewer: async () => viewer, warn: () => {} });
  await app.start();
  return { server: app.server, path: '/graphql', stop: () => app.stop() };
});
