import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { rootDir } from '../lib/paths.ts';
import { benchAdminId } from '../shapes.ts';
import { benchEnv, runServerProcess } from './harness.ts';
import { countDriverStatements } from './statement-counter.ts';

/**
 * (c) Cairn as production builds it: `buildApp` with NODE_ENV=production (masked errors, no
 * GraphiQL), no schema push at boot, no query logging, access rules enforced, authentication as
 * in production (no `resolveViewer` stub); its own `app.server` serves the load.
 * BENCH_CAIRN_VIEWER picks who the requests come from:
 * - `session` (default): user 1, given the admin role so the example app's rules admit every row
 *   and Cairn answers exactly what the baselines answer, signed in through Cairn's own session
 *   manager (the row signIn writes). The runner sends its token as `Authorization: Bearer …` on
 *   every request, so every request pays the session lookup production pays.
 * - `anonymous`: no credentials (rules filter what it reads; writes are refused).
 * The session is created after the statement counters start, but the runner zeroes them before
 * each cell, and deleted again when the server stops.
 */
await countDriverStatements(pg, benchEnv().sqliteFile);

await runServerProcess(async () => {
  const { url, poolSize } = benchEnv();
  // The example declares file fields, and production requires their signing secret and a folder.
  const filesDir = mkdtempSync(join(tmpdir(), 'cairn-bench-files-'));
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      CAIRN_GENERATED_DIR: `${rootDir}/examples/blog/src/generated`,
      CAIRN_SCHEMA: `${rootDir}/examples/blog/prisma/schema.prisma`,
      CAIRN_STORAGE_DIR: filesDir,
      CAIRN_STORAGE_SECRET: randomBytes(24).toString('hex'),
      // A runner's own settings (bench/instructions.ts slows time-driven work down).
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('CAIRN_'))),
    },
    { databaseUrl: url, host: '127.0.0.1', port: 0, syncSchema: 'off', dbPoolSize: poolSize },
  );
  const app = await buildApp({ config, warn: () => {} });
  if (!app.auth) throw new Error('the example app declares no auth models');
  await app.start();
  const stopApp = async () => {
    await app.stop();
    rmSync(filesDir, { recursive: true, force: true });
  };
  if (process.env.BENCH_CAIRN_VIEWER === 'anonymous') return { server: app.server, path: '/graphql', stop: stopApp };
  // Roles are auth's own field (setUserRoles); the bench writes it directly, as an operator would.
  await app.db.user.update({ where: { id: benchAdminId }, data: { roles: 'user,admin' } });
  const { token, session } = await app.auth.sessions.create(benchAdminId, { userAgent: 'cairn-bench' });
  return {
    server: app.server,
    path: '/graphql',
    headers: { authorization: `Bearer ${token}` },
    stop: async () => {
      await app.auth!.sessions.invalidate(session.id).catch(() => {});
      await stopApp();
    },
  };
});
