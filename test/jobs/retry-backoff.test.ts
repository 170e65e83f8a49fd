import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, type DbClient } from '../../src/db/index.ts';
import type { ChangeEvent } from '../../src/events/index.ts';
import { createWebhooks, embeddedJobsTable, resolveWebhook, sqlOn, systemSchema, type JobRun, type JobsRuntime, type Webhooks } from '../../src/jobs/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createFakeClock } from './fake-clock.ts';
import { createQueueDatabase, createTestJobs, eventually } from './queue-harness.ts';
import { createReceiver } from './webhook-receiver.ts';

// A fixed instant well after the real one: rows written with the real clock are already due.
const start = Date.UTC(2031, 0, 1);

/**
 * Exponential backoff capped at the maximum, proven on actual re-runs: the engines read a fake
 * clock, so each retry's due time is exact, and a retry that is not yet due is shown not to run
 * (a whole poll passes at one millisecond before it). pg-boss computes its backoff with the
 * database's clock and jitter, so the embedded queue (SQLite) is the jobs engine tested here.
 */
describe('job retries back off exponentially, capped, then dead-letter [embedded queue]', () => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let jobs: JobsRuntime;
  const clock = createFakeClock(start);
  const runs: { attempt: number; at: number }[] = [];

  beforeAll(async () => {
    database = await createQueueDatabase('sqlite');
    jobs = await createTestJobs('sqlite', database, {
      pollMs: 20,
      now: clock.now,
      jobs: {
        doomed: {
          retries: 5,
          retryDelayMs: 1000,
          maxRetryDelayMs: 5000,
          handler: (run: JobRun) => {
            runs.push({ attempt: run.attempt, at: clock.peek() });
            throw new Error(`attempt ${run.attempt} failed`);
          },
        },
      },
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  it('re-runs after +1 s, +2 s, +4 s, then every 5 s (the cap), and is dead after its 5 retries', async () => {
    const id = (await jobs.enqueue('doomed', { n: 1 }))!;
    const sql = sqlOn(database.db, 'sqlite');
    const row = async () => (await sql.query<{ state: string; attempts: number | bigint; run_at: number | bigint }>(`SELECT state, attempts, run_at FROM "${embeddedJobsTable}" WHERE id = $1`, [id]))[0]!;
    const delays = [1000, 2000, 4000, 5000, 5000];
    let ranAt = start;
    for (const [index, delay] of delays.entries()) {
      const attempt = index + 1;
      const failed = await eventually(async () => { const r = await row(); return Number(r.attempts) === attempt && r.state === 'pending' && r; });
      expect(Number(failed.run_at)).toBe(ranAt + delay);
      // One millisecond early: a whole poll passes and the job is not run again.
      clock.set(ranAt + delay - 1);
      await clock.polled();
      expect(runs).toHaveLength(attempt);
      expect(Number((await row()).attempts)).toBe(attempt);
      ranAt += delay;
      clock.set(ranAt);
    }
    const dead = await eventually(async () => { const r = await row(); return r.state === 'dead' && r; });
    expect(Number(dead.attempts)).toBe(6);
    expect(runs).toEqual([0, 1000, 3000, 7000, 12000, 17000].map((offset, i) => ({ attempt: i + 1, at: start + offset })));
    expect(await jobs.get('doomed', id)).toMatchObject({ state: 'dead', attempts: 6, lastError: 'attempt 6 failed' });
    // Dead is final: a day later it has not run again.
    clock.set(ranAt + 86_400_000);
    await clock.polled();
    expect(runs).toHaveLength(6);
  });
});

describeEachProvider('webhook deliveries back off exponentially, capped at one hour, then dead-letter', (provider) => {
  let database: Awaited<ReturnType<typeof createQueueDatabase>>;
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  let hooks: Webhooks;
  const clock = createFakeClock(start);
  const secret = `whsec_${Buffer.from('backoff-secret-0123456789').toString('base64')}`;

  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    receiver = await createReceiver(() => ({ status: 500 }));
    const webhook = resolveWebhook('backoff', { model: 'Post', url: receiver.url('/backoff'), secret, retries: 4, retryDelayMs: 1_000_000, timeoutMs: 2000 }, {}, ['Post']);
    const { datamodel } = await loadGenerated(fixtures.blog.generated, provider);
    hooks = await createWebhooks({ provider, db: database.db, systemSchema: systemSchema(database.databaseUrl), datamodel, webhooks: [webhook], pollMs: 20, logError: () => {}, now: clock.now });
    hooks.start();
  });
  afterAll(async () => {
    await hooks?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('re-delivers after +1000 s, +2000 s, then +3600 s (the cap) twice, and is dead after its 4 retries', async () => {
    const change: ChangeEvent = { model: 'Post', kind: 'updated', key: { id: 7 }, before: { id: 7, title: 'a' }, after: { id: 7, title: 'b' } };
    await (database.db as DbClient).$transaction(async (tx) => hooks.observer.beforeCommit!([change], tx));
    hooks.observer.afterCommit!([change]);
    const delivery = async () => (await hooks.log.list({ webhook: 'backoff' }))[0]!;
    const delays = [1_000_000, 2_000_000, 3_600_000, 3_600_000];
    let sentAt = start;
    for (const [index, delay] of delays.entries()) {
      const attempt = index + 1;
      const failed = await eventually(async () => { const d = await delivery(); return d?.attempts === attempt && d.state === 'pending' && d; });
      expect(failed).toMatchObject({ lastStatus: 500, lastError: 'the receiver answered 500' });
      expect(failed.nextAttemptAt.getTime()).toBe(sentAt + delay);
      clock.set(sentAt + delay - 1);
      await clock.polled();
      expect(receiver.received).toHaveLength(attempt);
      sentAt += delay;
      clock.set(sentAt);
    }
    const dead = await eventually(async () => { const d = await delivery(); return d?.state === 'dead' && d; });
    expect(dead.attempts).toBe(5);
    expect(receiver.received).toHaveLength(5);
    // Every attempt is the same message (one idempotency key), signed at the time it was sent.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(receiver.received.map((r) => Number(r.headers['webhook-timestamp']) * 1000)).toEqual([0, 1_000_000, 3_000_000, 6_600_000, 10_200_000].map((offset) => start + offset));
    clock.set(sentAt + 86_400_000);
    await clock.polled();
    expect(receiver.received).toHaveLength(5);
  });
});
