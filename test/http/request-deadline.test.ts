import { request } from 'node:http';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp } from '../support/blog-seed.ts';
import { postgresUrl, type TestApp } from '../support/test-app.ts';

/**
 * CAIRN_REQUEST_TIMEOUT_MS and client disconnects. PostgreSQL only: a table lock held by another
 * connection makes a statement wait for as long as the test decides, without timing guesses. (On
 * SQLite a waiting statement blocks the whole process, test included: there is nothing to observe.)
 */
describe.skipIf(!postgresUrl)('request deadline and cancellation [postgresql]', () => {
  let t: TestApp;
  let locker: pg.Client;
  let table: (name: string) => string;
  beforeAll(async () => {
    t = await createCrudApp('postgresql', { CAIRN_REQUEST_TIMEOUT_MS: '500' });
    const schema = new URL(t.app.config.databaseUrl).searchParams.get('schema')!;
    table = (name) => `"${schema}"."${name}"`;
    locker = new pg.Client({ connectionString: postgresUrl });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await t?.close();
  });

  /** Holds an exclusive lock on `name` until the returned function is called. */
  const lock = async (name: string) => {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table(name)} IN ACCESS EXCLUSIVE MODE`);
    return () => locker.query('ROLLBACK');
  };
  // Only this test's table: the PostgreSQL server is shared with other suites.
  const waitingOnLocks = async () =>
    Number((await locker.query(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = '${table('Tag')}'::regclass`)).rows[0].n);
  const until = async (check: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('stops an operation past the deadline with TIMEOUT, and the database stops its statement', async () => {
    const release = await lock('Tag');
    try {
      const response = await t.gql('{ tags { id } }');
      expect(response.errors?.[0]?.extensions.code).toBe('TIMEOUT');
      expect(response.errors?.[0]?.message).toMatch(/longer than 500 ms \(CAIRN_REQUEST_TIMEOUT_MS\)/);
      // statement_timeout (the same 500 ms) ends the waiting statement: no lock request is left.
      await until(async () => (await waitingOnLocks()) === 0);
      expect(await waitingOnLocks()).toBe(0);
    } finally {
      await release();
    }
  });

  /**
   * A two-field mutation whose first field waits on a lock, its client gone while it waits: the
   * names of the rows written with `prefix` afterwards (only the first field's, if the abort works).
   */
  async function disconnectMidMutation(prefix: string, headers: Record<string, string> = {}): Promise<string[]> {
    const { port } = await t.app.start().catch(() => ({ port: (t.app.server.address() as { port: number }).port }));
    const release = await lock('Tag');
    let released = false;
    try {
      // Mutation fields run one after another: the first waits on the lock, the second must never start.
      const body = JSON.stringify({ query: `mutation { a: createTag(data: { name: "${prefix}first" }) { id } b: createTag(data: { name: "${prefix}second" }) { id } }` });
      const client = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } });
      client.on('error', () => {});
      client.end(body);
      await until(async () => (await waitingOnLocks()) > 0);
      expect(await waitingOnLocks()).toBeGreaterThan(0);
      client.destroy();
      // Give the server a moment to see the socket close before the first insert can finish.
      await new Promise((r) => setTimeout(r, 100));
      await release();
      released = true;
      await until(async () => (await locker.query(`SELECT count(*) AS n FROM ${table('Tag')} WHERE name = '${prefix}first'`)).rows[0].n === '1');
      await new Promise((r) => setTimeout(r, 300));
      return (await locker.query(`SELECT name FROM ${table('Tag')} WHERE name LIKE '${prefix}%' ORDER BY name`)).rows.map((r) => r.name);
    } finally {
      if (!released) await release();
    }
  }

  it('runs no further field once the HTTP client disconnects', async () => {
    const servedFast = t.app.httpFastPath!.fast;
    expect(await disconnectMidMutation('fast-')).toEqual(['fast-first']);
    // A plain JSON POST: the HTTP fast path served it, and its request's signal stopped the operation.
    expect(t.app.httpFastPath!.fast).toBe(servedFast + 1);
  });

  it('answers TIMEOUT over the HTTP fast path exactly as yoga does', async () => {
    const { port } = await t.app.start().catch(() => ({ port: (t.app.server.address() as { port: number }).port }));
    const release = await lock('Tag');
    try {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ tags { id } }' }) };
      const servedFast = t.app.httpFastPath!.fast;
      const [fast, yoga] = await Promise.all([fetch(`http://127.0.0.1:${port}/graphql`, init), t.app.yoga.fetch('http://127.0.0.1/graphql', init)]);
      expect(t.app.httpFastPath!.fast).toBe(servedFast + 1);
      const [fastBody, yogaBody] = [await fast.json(), await yoga.json()];
      expect(fastBody.errors?.[0]?.extensions.code).toBe('TIMEOUT');
      expect({ status: fast.status, type: fast.headers.get('content-type'), body: fastBody }).toEqual({ status: yoga.status, type: yoga.headers.get('content-type'), body: yogaBody });
    } finally {
      await release();
    }
  });

  it('runs no further field once the HTTP client disconnects, through yoga (a request the HTTP fast path hands on)', async () => {
    const viaYoga = t.app.httpFastPath!.yoga;
    // Accept: application/graphql-response+json is yoga's alone.
    expect(await disconnectMidMutation('yoga-', { accept: 'application/graphql-response+json' })).toEqual(['yoga-first']);
    expect(t.app.httpFastPath!.yoga).toBe(viaYoga + 1);
  });

  it('runs no further field once the WebSocket closes', async () => {
    const { url } = await t.app.start().catch(() => ({ url: `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql` }));
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => ws.once('message', resolve));
    const release = await lock('Tag');
    let released = false;
    try {
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'mutation { a: createTag(data: { name: "ws-first" }) { id } b: createTag(data: { name: "ws-second" }) { id } }' } }));
      await until(async () => (await waitingOnLocks()) > 0);
      expect(await waitingOnLocks()).toBeGreaterThan(0);
      ws.terminate();
      await new Promise((r) => setTimeout(r, 100));
      await release();
      released = true;
      await until(async () => (await locker.query(`SELECT count(*) AS n FROM ${table('Tag')} WHERE name = 'ws-first'`)).rows[0].n === '1');
      await new Promise((r) => setTimeout(r, 300));
      const names = (await locker.query(`SELECT name FROM ${table('Tag')} WHERE name LIKE 'ws-%' ORDER BY name`)).rows.map((r) => r.name);
      expect(names).toEqual(['ws-first']);
    } finally {
      if (!released) await release();
    }
  });
});
