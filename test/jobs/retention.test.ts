import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, type DbClient } from '../../src/db/index.ts';
import type { ChangeEvent } from '../../src/events/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createWebhooks, embeddedJobsTable, resolveWebhook, retentionFromDays, sqlOn, systemSchema, type JobsRuntime, type Retention, type Webhooks } from '../../src/jobs/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { postgresUrl } from '../support/providers.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createFakeClock } from './fake-clock.ts';
import { createQueueDatabase, createTestJobs, eventually } from './queue-harness.ts';
import { createReceiver } from './webhook-receiver.ts';

const day = 86_400_000;
// A fixed instant well after the real one (rows written with the real clock are already due).
const start = Date.UTC(2031, 0, 1);
// Small batches and a 1 s upkeep so bounds and the upkeep gate show with a handful of rows.
const retention: Retention = { completedMs: 7 * day, deadMs: 30 * day, batchSize: 2, maxBatches: 2, everyMs: 1000 };

describe('retention of the embedded queue [SQLite]', () => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let jobs: JobsRuntime;
  const clock = createFakeClock(start);
  const states = async () => {
    const rows = await sqlOn(database.db, 'sqlite').query<{ name: string; state: string; key: string | null }>(`SELECT name, state, key FROM "${embeddedJobsTable}" ORDER BY key`);
    return rows.map((r) => `${r.name}:${r.key}:${r.state}`);
  };

  beforeAll(async () => {
    database = await createQueueDatabase('sqlite');
    jobs = await createTestJobs('sqlite', database, {
      pollMs: 20,
      now: clock.now,
      retention,
      jobs: { ok: () => {}, bad: { retries: 0, handler: () => { throw new Error('always fails'); } } },
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  it('deletes completed jobs after 7 days and dead ones after 30, a bounded batch per upkeep, never pending ones; a pruned key is free again', async () => {
    for (const key of ['a1', 'a2', 'a3', 'a4', 'a5']) await jobs.enqueue('ok', null, { key });
    const dead = (await jobs.enqueue('bad', null, { key: 'b' }))!;
    // Due in a year: pending through the whole test.
    await jobs.enqueue('ok', null, { key: 'later', runAt: new Date(start + 365 * day) });
    await eventually(async () => (await states()).filter((s) => s.endsWith(':completed')).length === 5 && (await jobs.get('bad', dead))?.state === 'dead');
    const all = ['ok:a1:completed', 'ok:a2:completed', 'ok:a3:completed', 'ok:a4:completed', 'ok:a5:completed', 'bad:b:dead', 'ok:later:pending'];
    expect(await states()).toEqual(all);
    // While a job is kept its key is taken.
    expect(await jobs.enqueue('ok', null, { key: 'a1' })).toBeNull();

    // Exactly 7 days after they finished: kept.
    clock.set(start + 7 * day);
    await clock.polled();
    expect(await states()).toEqual(all);

    // Older: one upkeep deletes at most maxBatches × batchSize = 4 of the 5.
    clock.set(start + 7 * day + 1000);
    await eventually(async () => (await states()).length === 3);
    await clock.polled();
    expect((await states()).filter((s) => s.startsWith('ok:a'))).toHaveLength(1);
    // The next poll is not an upkeep (less than everyMs later): nothing more goes.
    clock.set(start + 7 * day + 1999);
    await clock.polled();
    expect(await states()).toHaveLength(3);
    // The next upkeep takes the rest; the dead job (30 days) and the pending one stay.
    clock.set(start + 7 * day + 2000);
    await eventually(async () => (await states()).length === 2);
    expect(await states()).toEqual(['bad:b:dead', 'ok:later:pending']);

    // Its job pruned, a key can be used again (documented: dedupe lasts as long as the job is kept).
    expect(await jobs.enqueue('ok', null, { key: 'a1' })).not.toBeNull();
    await eventually(async () => (await states()).includes('ok:a1:completed'));

    // Dead jobs go after 30 days; the job completed at +7 days is then 23 days old and goes too.
    clock.set(start + 30 * day + 3000);
    await eventually(async () => (await states()).length === 1);
    expect(await states()).toEqual(['ok:later:pending']);
    expect(await jobs.enqueue('bad', null, { key: 'b' })).not.toBeNull();
  });
});

describe('a failing prune [SQLite]', () => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let jobs: JobsRuntime;
  const clock = createFakeClock(start);
  const errors: string[] = [];
  let failDeletes = 0;

  beforeAll(async () => {
    database = await createQueueDatabase('sqlite');
    // The database refuses the next DELETE (a lock timeout, a full disk): everything else goes through.
    const db = new Proxy(database.db, {
      get: (target, prop) =>
        prop === '$executeRawUnsafe'
          ? (text: string, ...values: unknown[]) => (/^DELETE/.test(text) && failDeletes-- > 0 ? Promise.reject(new Error('database is locked')) : target.$executeRawUnsafe(text, ...values))
          : Reflect.get(target, prop),
    });
    jobs = await createTestJobs('sqlite', { ...database, db }, { pollMs: 20, logError: (error) => errors.push((error as Error).message), now: clock.now, retention, jobs: { ok: () => {} } });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  it('is logged, jobs keep running, and the next upkeep prunes', async () => {
    const first = (await jobs.enqueue('ok'))!;
    await eventually(async () => (await jobs.get('ok', first))?.state === 'completed');
    failDeletes = 1;
    clock.set(start + 8 * day);
    await eventually(() => errors.includes('database is locked'));
    const second = (await jobs.enqueue('ok'))!;
    await eventually(async () => (await jobs.get('ok', second))?.state === 'completed');
    expect(await jobs.get('ok', first)).not.toBeNull();
    clock.set(start + 8 * day + 1000);
    await eventually(async () => (await jobs.get('ok', first)) === null);
    expect(await jobs.get('ok', second)).not.toBeNull();
  });
});

describeEachProvider('retention of the webhook outbox', (provider) => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  let hooks: Webhooks;
  const clock = createFakeClock(start);
  const secret = `whsec_${Buffer.from('retention-secret-0123456789').toString('base64')}`;
  let flakyFails = true;

  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    receiver = await createReceiver((request) => {
      if (request.path === '/gone') return { status: 410 };
      if (request.path === '/flaky') return { status: flakyFails ? 500 : 200 };
      return { status: 200 };
    });
    const define = (name: string, path: string) => resolveWebhook(name, { model: 'Post', url: receiver.url(path), secret, retryDelayMs: 3_600_000 }, {}, ['Post']);
    const { datamodel } = await loadGenerated(fixtures.blog.generated, provider);
    hooks = await createWebhooks({
      provider,
      db: database.db,
      systemSchema: systemSchema(database.databaseUrl),
      datamodel,
      webhooks: [define('sent', '/ok'), define('gone', '/gone'), define('flaky', '/flaky')],
      pollMs: 20,
      logError: () => {},
      now: clock.now,
      retention,
    });
    hooks.start();
  });
  afterAll(async () => {
    await hooks?.stop();
    await receiver?.close();
    await database?.drop();
  });

  const deliveries = async () => (await hooks.log.list({ take: 500 })).map((d) => `${d.webhook}:${d.state}`).sort();

  it('deletes delivered events after 7 days and dead ones after 30, never a pending one, and the row order holds', async () => {
    const change = (title: string): ChangeEvent => ({ model: 'Post', kind: 'updated', key: { id: 1 }, before: { id: 1, title: 'x' }, after: { id: 1, title } });
    const changes = [change('first'), change('second')];
    await (database.db as DbClient).$transaction(async (tx) => hooks.observer.beforeCommit!(changes, tx));
    hooks.observer.afterCommit!(changes);
    // flaky's first event failed and waits an hour; its second waits behind it (same row).
    await eventually(async () => (await deliveries()).join() === 'flaky:pending,flaky:pending,gone:dead,gone:dead,sent:delivered,sent:delivered');

    // Exactly 7 days on: nothing is old enough. flaky's event is due again and fails again.
    clock.set(start + 7 * day);
    await eventually(() => receiver.received.filter((r) => r.path === '/flaky').length === 2);
    await eventually(async () => (await deliveries()).join() === 'flaky:pending,flaky:pending,gone:dead,gone:dead,sent:delivered,sent:delivered');

    // Older: the delivered events go, the dead ones stay, and so do flaky's two undelivered events
    // though they are as old (pending rows are never pruned: the second still waits for the first).
    clock.set(start + 7 * day + 1000);
    await eventually(async () => (await deliveries()).length === 4);
    await clock.polled();
    expect(await deliveries()).toEqual(['flaky:pending', 'flaky:pending', 'gone:dead', 'gone:dead']);

    // The receiver recovers: both go out, in order.
    flakyFails = false;
    clock.set(start + 7 * day + 3 * 3_600_000);
    await eventually(async () => (await deliveries()).join() === 'flaky:delivered,flaky:delivered,gone:dead,gone:dead');
    const flaky = receiver.received.filter((r) => r.path === '/flaky').map((r) => JSON.parse(r.body).data.after.title);
    expect(flaky).toEqual(['first', 'first', 'first', 'second']);

    // A month after they died, the dead events go; flaky's (delivered 23 days ago) too.
    clock.set(start + 30 * day + 2000);
    await eventually(async () => (await deliveries()).length === 0);
  });
});

describe.runIf(postgresUrl)('retention of pg-boss jobs follows the same settings [PostgreSQL]', () => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let jobs: JobsRuntime;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createQueueDatabase('postgresql');
    jobs = await createTestJobs('postgresql', database, { jobs: { ok: () => {}, bad: { retries: 0, handler: () => { throw new Error('always fails'); } } } });
    await jobs.start();
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await jobs?.stop();
    await admin?.end();
    await database?.drop();
  });

  it('archives completed jobs after 7 days (their key is free again) and failed ones only after 30', async () => {
    const schema = systemSchema(database.databaseUrl);
    const ok = (await jobs.enqueue('ok', null, { key: 'a' }))!;
    const bad = (await jobs.enqueue('bad', null, { key: 'b' }))!;
    await eventually(async () => (await jobs.get('ok', ok))?.state === 'completed' && (await jobs.get('bad', bad))?.state === 'dead');
    // pg-boss decides with the database's clock: the finish times are moved back instead.
    const age = (id: string, days: number) => admin.query(`UPDATE "${schema}".job SET completed_on = now() - interval '${days} days' WHERE id = $1`, [id]);
    const inJobTable = async (id: string) => (await admin.query(`SELECT 1 FROM "${schema}".job WHERE id = $1`, [id])).rowCount === 1;
    // Both finished 8 days ago: one maintenance run (every second in tests) archives the completed
    // job; the failed one is decided by the same statement and stays.
    await age(ok, 8);
    await age(bad, 8);
    await eventually(async () => !(await inJobTable(ok)));
    expect(await inJobTable(bad)).toBe(true);
    expect(await jobs.enqueue('bad', null, { key: 'b' })).toBeNull();
    expect(await jobs.enqueue('ok', null, { key: 'a' })).toBe(ok);
    await age(bad, 31);
    await eventually(async () => !(await inJobTable(bad)));
    expect(await jobs.enqueue('bad', null, { key: 'b' })).toBe(bad);
  });
});

describe('retention settings', () => {
  it('read CAIRN_JOBS_RETENTION_DAYS and CAIRN_DEAD_RETENTION_DAYS (7 and 30 by default); nonsense stops boot naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ jobsRetentionDays: 7, deadRetentionDays: 30 });
    expect(loadConfig({ CAIRN_JOBS_RETENTION_DAYS: '2', CAIRN_DEAD_RETENTION_DAYS: '90' })).toMatchObject({ jobsRetentionDays: 2, deadRetentionDays: 90 });
    expect(retentionFromDays(2, 90)).toEqual({ completedMs: 2 * day, deadMs: 90 * day });
    expect(() => loadConfig({ CAIRN_JOBS_RETENTION_DAYS: '0' })).toThrow('CAIRN_JOBS_RETENTION_DAYS must be an integer from 1 to 3650, got "0"');
    expect(() => loadConfig({ CAIRN_DEAD_RETENTION_DAYS: 'forever' })).toThrow('CAIRN_DEAD_RETENTION_DAYS must be an integer');
  });
});
