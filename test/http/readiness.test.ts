import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { loadGenerated, migrateDeploy, pushSchema } from '../../src/db/index.ts';
import { fixtures, testStorageSecret } from '../support/fixtures.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { processDatabase } from './serve-process.ts';

describeEachProvider('/ready', (provider) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const appOn = async (databaseUrl: string, migrationsDir: string) => {
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', CAIRN_MIGRATIONS_DIR: migrationsDir, CAIRN_STORAGE_SECRET: testStorageSecret }, { databaseUrl, port: 0, host: '127.0.0.1', syncSchema: 'off' });
    const app: App = await buildApp({ config, generated: await loadGenerated(fixtures.blog.generated, provider), logError: () => {}, warn: () => {} });
    cleanups.push(() => app.stop());
    return Object.assign(
      async () => {
        const response = await app.yoga.fetch('http://cairn.test/ready');
        return { status: response.status, text: await response.text() };
      },
      { app },
    );
  };

  it('fails (503, saying why) while the tables are missing, then passes once the schema is in', async () => {
    const db = await processDatabase(provider);
    cleanups.push(db.drop);
    const ready = await appOn(db.databaseUrl, join(tmpdir(), 'no-migrations-here'));
    const missing = await ready();
    expect(missing.status).toBe(503);
    expect(missing.text).toMatch(/table\(s\) missing in the database \(.*Post/);
    await pushSchema({ databaseUrl: db.databaseUrl, schemaPath: (await loadGenerated(fixtures.blog.generated, provider)).schemaPath });
    expect(await ready()).toEqual({ status: 200, text: '' });
    // Shutdown begins: /ready fails at once, before the sockets close.
    const stopped = ready.app.stop({ timeoutMs: 1000 });
    expect(await ready()).toEqual({ status: 503, text: 'not ready: shutting down' });
    await stopped;
  });

  it('with a migrations folder: fails while a migration is pending, passes once deployed', async () => {
    const db = await processDatabase(provider);
    cleanups.push(db.drop);
    const dir = mkdtempSync(join(tmpdir(), 'cairn-ready-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'migration_lock.toml'), `provider = "${provider}"\n`);
    const migration = (name: string, sql: string) => (mkdirSync(join(dir, name)), writeFileSync(join(dir, name, 'migration.sql'), sql));
    // A first migration starts the history; the schema itself comes from a push; a second migration is new.
    migration('20260101000000_start', 'CREATE TABLE "ReadyStart" ("id" INTEGER PRIMARY KEY);\n');
    await migrateDeploy({ databaseUrl: db.databaseUrl, migrationsDir: dir });
    await pushSchema({ databaseUrl: db.databaseUrl, schemaPath: (await loadGenerated(fixtures.blog.generated, provider)).schemaPath });
    migration('20260102000000_extra', 'CREATE TABLE "ReadyExtra" ("id" INTEGER PRIMARY KEY);\n');
    const ready = await appOn(db.databaseUrl, dir);
    const pending = await ready();
    expect(pending.status).toBe(503);
    expect(pending.text).toMatch(/1 migration\(s\) pending \(20260102000000_extra\)/);
    await migrateDeploy({ databaseUrl: db.databaseUrl, migrationsDir: dir });
    expect(await ready()).toEqual({ status: 200, text: '' });
  });
});
