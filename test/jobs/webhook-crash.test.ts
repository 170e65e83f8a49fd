import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadGenerated, type DbClient } from '../../src/db/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { createWebhooks, resolveWebhook, systemSchema } from '../../src/jobs/index.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createQueueDatabase, eventually } from './queue-harness.ts';
import { createReceiver } from './webhook-receiver.ts';

const child = fileURLToPath(new URL('./fixtures/deliverer-child.ts', import.meta.url));
const secret = `whsec_${Buffer.from('crash-suite-secret-0123456789').toString('base64')}`;

describeEachProvider('webhooks: kill -9 mid-delivery', (provider) => {
  let database: { databaseUrl: string; db: DbClient; drop(): Promise<void> };
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  const children: ChildProcess[] = [];
  const start = () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, PROVIDER: provider, DATABASE_URL: database.databaseUrl, HOOK_URL: receiver.url('/crashy'), HOOK_SECRET: secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(proc);
    return proc;
  };
  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    receiver = await createReceiver();
  });
  afterAll(async () => {
    for (const proc of children) proc.kill('SIGKILL');
    await receiver?.close();
    await database?.drop();
  });

  it('a delivery in flight when its process dies is delivered after restart, with the same webhook-id, and then never again', { timeout: 60_000 }, async () => {
    // This process only writes (its deliverer is never started): the outbox rows of two commits.
    const webhook = resolveWebhook('crashy', { model: 'Post', url: receiver.url('/crashy'), secret }, {}, ['Post']);
    const writer = await createWebhooks({ provider, db: database.db, systemSchema: systemSchema(database.databaseUrl), datamodel: (await loadGenerated(fixtures.blog.generated, provider)).datamodel, webhooks: [webhook] });
    for (const title of ['first', 'second']) {
      await database.db.$transaction((tx) => writer.observer.beforeCommit!([{ model: 'Post', kind: 'updated', key: { id: 7 }, before: null, after: { id: 7, title } }], tx));
    }
    receiver.set((_, index) => (index === 0 ? { hang: true } : { status: 200 }));
    const first = start();
    await eventually(() => receiver.received.length === 1);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    start();
    await eventually(async () => (await writer.log.list({ webhook: 'crashy', state: 'delivered' })).length === 2, 100);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const titles = receiver.received.map((r) => JSON.parse(r.body).data.after.title);
    expect(titles).toEqual(['first', 'first', 'second']);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    const [second, firstRow] = await writer.log.list({ webhook: 'crashy' });
    expect(firstRow).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(second).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});
