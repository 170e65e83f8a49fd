import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { createLogger } from '../../src/http/index.ts';
import { fixtures, testStorageSecret } from '../support/fixtures.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { processDatabase } from './serve-process.ts';

describeEachProvider('request log (pino)', (provider) => {
  let app: App;
  let drop: () => Promise<void>;
  const lines: any[] = [];
  beforeAll(async () => {
    const db = await processDatabase(provider);
    drop = db.drop;
    const config = loadConfig({ NODE_ENV: 'production', CAIRN_STORAGE_SECRET: testStorageSecret }, { databaseUrl: db.databaseUrl, port: 0, host: '127.0.0.1', syncSchema: 'push' });
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    app = await buildApp({
      config,
      logger,
      generated: await loadGenerated(fixtures.blog.generated, provider),
      warn: () => {},
      // A viewer lookup that fails unexpectedly on one header, to see where its stack goes.
      resolveViewer: async (request) => {
        if (request.headers.get('x-fail')) throw new Error('viewer lookup broke at /srv/secret/place.ts');
        const id = request.headers.get('x-viewer');
        return id ? { id: Number(id), roles: [] } : null;
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.yoga.fetch('http://cairn.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const lastRequestLine = () => lines.filter((l) => l.msg === 'request').at(-1);

  it('one line per request: id, operation, duration, viewer, status, error codes; the id comes back in x-request-id', async () => {
    const response = await post({ query: 'query CountPosts { postsCount }', operationName: 'CountPosts' }, { 'x-viewer': '7' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastRequestLine()).toMatchObject({ level: 30, reqId: id, method: 'POST', path: '/graphql', status: 200, operation: 'CountPosts', viewerId: 7 });
    expect(typeof lastRequestLine().durationMs).toBe('number');
    expect(lastRequestLine().errorCodes).toBeUndefined();

    const refused = await post({ query: '{ postz }' });
    expect(lastRequestLine()).toMatchObject({ status: refused.status, errorCodes: ['BAD_USER_INPUT'] });
  });

  it('keeps a sane incoming x-request-id and replaces anything else', async () => {
    const kept = await post({ query: '{ postsCount }' }, { 'x-request-id': 'lb-1234.abc' });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234.abc');
    expect(lastRequestLine().reqId).toBe('lb-1234.abc');
    const cors = await post({ query: '{ postsCount }' }, { origin: 'http://localhost:4000' });
    expect(cors.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    const forged = await post({ query: '{ postsCount }' }, { 'x-request-id': 'x\u00e9"}\n{"level":60' });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const long = await post({ query: '{ postsCount }' }, { 'x-request-id': 'a'.repeat(500) });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unexpected error keeps its stack in the log, never in the response', async () => {
    const response = await post({ query: '{ postsCount }' }, { 'x-fail': '1' });
    const text = await response.text();
    expect(text).not.toMatch(/secret|at \S+:\d+|viewer lookup broke/);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const error = lines.find((l) => l.level === 50 && l.err?.message?.includes('viewer lookup broke'));
    expect(error?.err.stack).toMatch(/viewer lookup broke[\s\S]*request-log\.test\.ts/);
    expect(lastRequestLine().errorCodes).toEqual(['INTERNAL_SERVER_ERROR']);
  });

  it('logs /health and /ready probes at debug only', async () => {
    const before = lines.length;
    expect((await app.yoga.fetch('http://cairn.test/health')).status).toBe(200);
    expect(lines.slice(before).filter((l) => l.msg === 'request')).toEqual([]);
  });
});
