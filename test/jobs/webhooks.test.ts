import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadGenerated, type DbClient } from '../../src/db/index.ts';
import type { ChangeEvent } from '../../src/events/index.ts';
import { createWebhooks, resolveWebhook, systemSchema, type WebhookDefinition, type Webhooks } from '../../src/jobs/index.ts';
import { runCli } from '../../src/cli/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createQueueDatabase, eventually } from './queue-harness.ts';
import { closedPort, createReceiver } from './webhook-receiver.ts';

const oldSecret = `whsec_${Buffer.from('old-secret-0123456789abcdef').toString('base64')}`;
const newSecret = `whsec_${Buffer.from('new-secret-0123456789abcdef').toString('base64')}`;

const change = (id: number, title: string, kind: ChangeEvent['kind'] = 'updated'): ChangeEvent => ({
  model: 'Post',
  kind,
  key: { id },
  before: kind === 'created' ? null : { id, title: `${title} (before)`, views: 1n },
  after: kind === 'deleted' ? null : { id, title, views: 2n, publishedAt: new Date('2026-01-01T00:00:00Z') },
});

/**
 * The outbox and deliverer as the write path drives them: `beforeCommit` inside the write's
 * transaction, `afterCommit` after it. Receivers are real HTTP servers on loopback.
 */
describeEachProvider('webhooks', (provider) => {
  let database: { databaseUrl: string; db: DbClient; drop(): Promise<void> };
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  const apps: Webhooks[] = [];

  async function webhooks(definitions: Record<string, Partial<WebhookDefinition>>): Promise<Webhooks> {
    const resolved = Object.entries(definitions).map(([name, d]) =>
      resolveWebhook(name, { model: 'Post', url: receiver.url(`/${name}`), secret: `${newSecret} ${oldSecret}`, retryDelayMs: 20, timeoutMs: 2000, ...d }, {}, ['Post', 'User']),
    );
    const hooks = await createWebhooks({ provider, db: database.db, systemSchema: systemSchema(database.databaseUrl), datamodel: (await loadGenerated(fixtures.blog.generated, provider)).datamodel, webhooks: resolved, pollMs: 50, logError: () => {} });
    hooks.start();
    apps.push(hooks);
    return hooks;
  }
  /** One write: the changes' outbox rows in a transaction that commits (or throws to roll back). */
  async function write(hooks: Webhooks, changes: ChangeEvent[], fail = false) {
    const committed = database.db.$transaction(async (tx) => {
      await hooks.observer.beforeCommit!(changes, tx);
      if (fail) throw new Error('rolled back');
    });
    if (fail) return expect(committed).rejects.toThrow('rolled back');
    await committed;
    hooks.observer.afterCommit!(changes);
  }
  const at = (path: string) => receiver.received.filter((r) => r.path === path);

  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    receiver = await createReceiver();
  });
  afterAll(async () => {
    for (const hooks of apps) await hooks.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('delivers a committed change, signed per Standard Webhooks with every current secret; a rolled-back write sends nothing', async () => {
    const hooks = await webhooks({ signed: {} });
    await write(hooks, [change(900, 'never')], true);
    await write(hooks, [change(1, 'Hello')]);
    const [request] = await eventually(() => at('/signed').length && at('/signed'));
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
    for (const secret of [oldSecret, newSecret]) {
      const payload = new Webhook(secret).verify(request!.body, headers) as any;
      expect(payload).toMatchObject({ type: 'Post.updated', data: { model: 'Post', kind: 'updated', key: { id: 1 }, after: { title: 'Hello', views: '2', publishedAt: '2026-01-01T00:00:00.000Z' } } });
    }
    expect(() => new Webhook(`whsec_${Buffer.from('some-other-secret-xyz').toString('base64')}`).verify(request!.body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(request!.body.replace('Hello', 'Hallo'), headers)).toThrow();
    const [logged] = await eventually(async () => { const rows = await hooks.log.list({ webhook: 'signed', state: 'delivered' }); return rows.length && rows; });
    expect(logged).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, messageId: headers['webhook-id'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(at('/signed').some((r) => r.body.includes('never'))).toBe(false);
    expect(await hooks.log.list({ webhook: 'signed' })).toHaveLength(1);
  });

  it("a change's @hidden columns (the password hash) never leave in a webhook body", async () => {
    const hooks = await webhooks({ users: { model: 'User' } });
    const user = { id: 5, email: 'ada@example.com', name: 'Ada', passwordHash: '$argon2id$secret-hash' };
    await write(hooks, [{ model: 'User', kind: 'updated', key: { id: 5 }, before: user, after: { ...user, name: 'Ada L.' } }]);
    const [request] = await eventually(() => at('/users').length && at('/users'));
    const body = JSON.parse(request!.body);
    expect(body.data.after).toMatchObject({ id: 5, email: 'ada@example.com', name: 'Ada L.' });
    expect(body.data.before).toMatchObject({ name: 'Ada' });
    expect(request!.body).not.toContain('passwordHash');
    expect(request!.body).not.toContain('secret-hash');
  });

  it('operations and filter choose which changes are sent', async () => {
    const hooks = await webhooks({ filtered: { operations: ['create'], filter: (c) => (c.after as { title?: string } | null)?.title !== 'skip me' } });
    await write(hooks, [change(2, 'update ignored'), change(3, 'skip me', 'created'), change(4, 'sent', 'created')]);
    await eventually(() => at('/filtered').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(at('/filtered').map((r) => JSON.parse(r.body).data.after.title)).toEqual(['sent']);
  });

  it('keeps commit order per row even when an earlier delivery has to be retried', async () => {
    const hooks = await webhooks({ ordered: {} });
    let failedOnce = false;
    receiver.set((request) => {
      const body = JSON.parse(request.body);
      if (request.path === '/ordered' && body.data.after.title === 'v1' && !failedOnce) {
        failedOnce = true;
        return { status: 500 };
      }
      return { status: 200 };
    });
    await write(hooks, [change(10, 'v1')]);
    await write(hooks, [change(10, 'v2'), change(11, 'other row')]);
    await write(hooks, [change(10, 'v3')]);
    await eventually(() => at('/ordered').filter((r) => r.body.includes('"id":10')).length === 4);
    const titles = at('/ordered').filter((r) => r.body.includes('"id":10')).map((r) => JSON.parse(r.body).data.after.title);
    expect(titles).toEqual(['v1', 'v1', 'v2', 'v3']);
    const ids = at('/ordered').filter((r) => r.body.includes('"v1"')).map((r) => r.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    receiver.set(() => ({ status: 200 }));
  });

  it('a receiver that is down: retried with backoff, then dead with the reason', async () => {
    const hooks = await webhooks({ down: { url: `http://127.0.0.1:${await closedPort()}/x`, retries: 2 } });
    await write(hooks, [change(20, 'lost')]);
    const [dead] = await eventually(async () => { const rows = await hooks.log.list({ webhook: 'down', state: 'dead' }); return rows.length && rows; });
    expect(dead).toMatchObject({ attempts: 3, lastStatus: null });
    expect(dead!.lastError).toMatch(/could not connect: ECONNREFUSED/);
  });

  it('a slow receiver times out and is retried; 500 is retried; 410 is final; a redirect is not followed', async () => {
    const hooks = await webhooks({ slow: { timeoutMs: 300 }, gone: {}, moved: { retries: 0 }, flaky: {} });
    let slowCalls = 0;
    let flakyCalls = 0;
    receiver.set((request) => {
      if (request.path === '/slow') return ++slowCalls === 1 ? { delayMs: 2000 } : { status: 204 };
      if (request.path === '/gone') return { status: 410 };
      if (request.path === '/moved') return { status: 302, headers: { location: receiver.url('/elsewhere') } };
      if (request.path === '/flaky') return ++flakyCalls < 3 ? { status: 503 } : { status: 200 };
      return { status: 200 };
    });
    await write(hooks, [change(30, 'x')]);
    const state = async (name: string) => (await hooks.log.list({ webhook: name }))[0];
    const slow = await eventually(async () => { const s = await state('slow'); return s?.state === 'delivered' && s; });
    expect(slow.attempts).toBe(2);
    const gone = await eventually(async () => { const s = await state('gone'); return s?.state === 'dead' && s; });
    expect(gone).toMatchObject({ attempts: 1, lastStatus: 410 });
    const moved = await eventually(async () => { const s = await state('moved'); return s?.state === 'dead' && s; });
    expect(moved.lastError).toMatch(/redirect to .*\/elsewhere not followed/);
    expect(at('/elsewhere')).toHaveLength(0);
    const flaky = await eventually(async () => { const s = await state('flaky'); return s?.state === 'delivered' && s; });
    expect(flaky.attempts).toBe(3);
    receiver.set(() => ({ status: 200 }));
  });

  it('replay sends a delivered or dead message again with the same webhook-id', async () => {
    const hooks = await webhooks({ replayed: {} });
    await write(hooks, [change(40, 'again')]);
    const [row] = await eventually(async () => { const rows = await hooks.log.list({ webhook: 'replayed', state: 'delivered' }); return rows.length && rows; });
    expect(await hooks.log.replay({ ids: [row!.id] })).toBe(1);
    await eventually(() => at('/replayed').length === 2);
    expect(at('/replayed')[1]!.headers['webhook-id']).toBe(at('/replayed')[0]!.headers['webhook-id']);
  });

  it('cairn webhooks:replay queues dead deliveries again; usage errors name the option', async () => {
    const hooks = await webhooks({ cli: {} });
    let calls = 0;
    receiver.set((request) => (request.path === '/cli' && ++calls === 1 ? { status: 410 } : { status: 200 }));
    await write(hooks, [change(50, 'replay me')]);
    await eventually(async () => (await hooks.log.list({ webhook: 'cli', state: 'dead' })).length === 1);
    const out: string[] = [];
    const io = { out: (line = '') => void out.push(line), err: (line = '') => void out.push(line), interactive: false, ask: async () => '' };
    const env = { DATABASE_URL: database.databaseUrl, CAIRN_GENERATED_DIR: fixtures.blog.generated };
    expect(await runCli(['webhooks:replay'], { io, env, cwd: process.cwd() })).not.toBe(0);
    expect(out.join('\n')).toMatch(/--id <ids> or --webhook <name>/);
    expect(await runCli(['webhooks:replay', '--webhook', 'cli'], { io, env, cwd: process.cwd() })).toBe(0);
    expect(out.at(-1)).toBe('✔ 1 delivery queued again.');
    await eventually(async () => (await hooks.log.list({ webhook: 'cli', state: 'delivered' })).length === 1);
    expect(at('/cli').map((r) => r.headers['webhook-id'])).toEqual([at('/cli')[0]!.headers['webhook-id'], at('/cli')[0]!.headers['webhook-id']]);
    receiver.set(() => ({ status: 200 }));
  });

  it('bad declarations are refused at boot, naming the webhook and the problem', () => {
    const base = { model: 'Post', url: 'http://x.test', secret: newSecret };
    expect(() => resolveWebhook('w', { ...base, model: 'Nope' }, {}, ['Post'])).toThrow(/Webhook "w": model "Nope" is not in the schema/);
    expect(() => resolveWebhook('w', { ...base, url: { env: 'HOOK_URL' } }, {}, ['Post'])).toThrow(/url is missing \(set HOOK_URL\)/);
    expect(() => resolveWebhook('w', { ...base, secret: 'plain' }, {}, ['Post'])).toThrow(/secret must be "whsec_"/);
    expect(resolveWebhook('w', { ...base, url: { env: 'HOOK_URL' } }, { HOOK_URL: 'https://hooks.test/a' }, ['Post']).url).toBe('https://hooks.test/a');
  });
});
