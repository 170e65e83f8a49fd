import { createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { fixtures, testStorageSecret } from '../support/fixtures.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { postgresUrl } from '../support/test-app.ts';
import { processDatabase } from './serve-process.ts';

/** A TCP proxy to PostgreSQL that the test stops (connections cut, port closed) and starts again on the same port. */
function createProxy(target: URL) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  return {
    get port() {
      return port;
    },
    async start() {
      server = createServer((inbound) => {
        const outbound = new Socket();
        outbound.connect(Number(target.port || 5432), target.hostname);
        for (const s of [inbound, outbound]) sockets.add(s), s.on('close', () => sockets.delete(s)), s.on('error', () => {});
        inbound.pipe(outbound).pipe(inbound);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
}

describe.skipIf(!postgresUrl)('database outage [postgresql]', () => {
  let app: App;
  let drop: () => Promise<void>;
  let proxy: ReturnType<typeof createProxy>;
  const logged: unknown[] = [];
  beforeAll(async () => {
    const db = await processDatabase('postgresql');
    drop = db.drop;
    proxy = createProxy(new URL(postgresUrl!));
    await proxy.start();
    const url = new URL(db.databaseUrl);
    url.host = `127.0.0.1:${proxy.port}`;
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', CAIRN_STORAGE_SECRET: testStorageSecret }, { databaseUrl: url.toString(), port: 0, host: '127.0.0.1', syncSchema: 'push' });
    app = await buildApp({ config, generated: await loadGenerated(fixtures.blog.generated, 'postgresql'), logError: (e) => logged.push(e), warn: () => {} });
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.stop();
    await drop?.();
  });
  const query = async () => {
    const response = await app.yoga.fetch('http://cairn.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ postsCount }' }) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
  };

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) while the database is unreachable, and recovers without a restart', async () => {
    expect((await query()).body).toEqual({ data: { postsCount: 0 } });
    await proxy.stop();
    for (const attempt of [1, 2]) {
      const down = await query();
      expect(down.body.errors[0].extensions.code, `attempt ${attempt}`).toBe('SERVICE_UNAVAILABLE');
      expect(down.body.errors[0].message).toMatch(/database/i);
      expect(down.status).toBe(503);
      expect(Number(down.retryAfter)).toBeGreaterThan(0);
    }
    const ready = await app.yoga.fetch('http://cairn.test/ready');
    expect(ready.status).toBe(503);
    expect(await ready.text()).toMatch(/unreachable/);
    await proxy.start();
    expect((await query()).body).toEqual({ data: { postsCount: 0 } });
    expect((await app.yoga.fetch('http://cairn.test/ready')).status).toBe(200);
    // Unreachable is not unexpected: nothing went to the error log.
    expect(logged).toEqual([]);
  });
});
