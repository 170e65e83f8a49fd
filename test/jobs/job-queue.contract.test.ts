import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbClient } from '../../src/db/index.ts';
import type { JobRun, JobsRuntime } from '../../src/jobs/index.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createQueueDatabase, createTestJobs, eventually } from './queue-harness.ts';

/** One contract, both engines: the embedded table on SQLite, pg-boss on PostgreSQL. */
describeEachProvider('job queue contract', (provider) => {
  let database: { databaseUrl: string; db: DbClient; drop(): Promise<void> };
  let jobs: JobsRuntime;
  const runs: Record<string, JobRun[]> = {};
  const record = (name: string) => (run: JobRun) => void (runs[name] ??= []).push(run);
  let concurrentNow = 0;
  let concurrentMax = 0;
  let releaseSlow: () => void = () => {};

  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    jobs = await createTestJobs(provider, database, {
      jobs: {
        echo: record('echo'),
        flaky: {
          retries: 3,
          retryDelayMs: 10,
          handler: (run: JobRun) => {
            record('flaky')(run);
            if (run.attempt < 2) throw new Error(`flaky attempt ${run.attempt}`);
          },
        },
        doomed: {
          retries: 1,
          retryDelayMs: 10,
          handler: (run: JobRun) => {
            record('doomed')(run);
            throw new Error('always fails');
          },
        },
        slow: { timeoutMs: 300, retries: 0, handler: (run: JobRun) => new Promise((resolve) => { record('slow')(run); run.signal.addEventListener('abort', resolve); }) },
        limited: {
          concurrency: 2,
          handler: async (run: JobRun) => {
            record('limited')(run);
            concurrentMax = Math.max(concurrentMax, ++concurrentNow);
            await new Promise<void>((resolve) => { const prev = releaseSlow; releaseSlow = () => { prev(); resolve(); }; });
            concurrentNow--;
          },
        },
      },
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop({ timeoutMs: 1000 });
    await database?.drop();
  });

  it('runs a job with its payload and marks it completed', async () => {
    const id = await jobs.enqueue('echo', { hello: 'world' });
    expect(id).toBeTruthy();
    const info = await eventually(async () => { const job = await jobs.get('echo', id!); return job?.state === 'completed' && job; });
    expect(info).toMatchObject({ name: 'echo', payload: { hello: 'world' }, attempts: 1 });
    expect(runs.echo?.filter((r) => r.id === id)).toHaveLength(1);
  });

  it('refuses an unknown job name', async () => {
    await expect(jobs.enqueue('nope', {})).rejects.toThrow(/No job named "nope"/);
  });

  it('a key is taken once: the second enqueue returns null and nothing runs twice', async () => {
    const first = await jobs.enqueue('echo', { n: 1 }, { key: 'order-42' });
    const second = await jobs.enqueue('echo', { n: 2 }, { key: 'order-42' });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    await eventually(async () => (await jobs.get('echo', first!))?.state === 'completed');
    const again = await jobs.enqueue('echo', { n: 3 }, { key: 'order-42' });
    expect(again).toBeNull();
    expect(runs.echo?.filter((r) => (r.payload as { n?: number }).n !== undefined).map((r) => r.payload)).toEqual([{ n: 1 }]);
  });

  it('runAt delays a job: not run before it is due', async () => {
    const id = await jobs.enqueue('echo', { later: true }, { runAt: new Date(Date.now() + 60_000) });
    const early = await jobs.enqueue('echo', { early: true });
    await eventually(async () => (await jobs.get('echo', early!))?.state === 'completed');
    expect((await jobs.get('echo', id!))?.state).toBe('pending');
  });

  it('retries a failing job and completes it', async () => {
    const id = await jobs.enqueue('flaky', { x: 1 });
    const info = await eventually(async () => { const job = await jobs.get('flaky', id!); return job?.state === 'completed' && job; });
    expect(info.attempts).toBe(2);
    expect(runs.flaky?.filter((r) => r.id === id).map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('a job that fails every time dead-letters after its retries, with its last error', async () => {
    const id = await jobs.enqueue('doomed', {});
    const info = await eventually(async () => { const job = await jobs.get('doomed', id!); return job?.state === 'dead' && job; });
    expect(info.attempts).toBe(2);
    expect(info.lastError).toMatch(/always fails/);
    expect(runs.doomed?.filter((r) => r.id === id)).toHaveLength(2);
  });

  it('per-enqueue retries override the handler default', async () => {
    const id = await jobs.enqueue('doomed', {}, { retries: 0 });
    const info = await eventually(async () => { const job = await jobs.get('doomed', id!); return job?.state === 'dead' && job; });
    expect(info.attempts).toBe(1);
  });

  it('a run that overruns its timeout fails and its signal is aborted', async () => {
    const id = await jobs.enqueue('slow', {});
    const info = await eventually(async () => { const job = await jobs.get('slow', id!); return job?.state === 'dead' && job; });
    expect(info.lastError).toMatch(/timed out after 300 ms/);
    expect(runs.slow?.find((r) => r.id === id)?.signal.aborted).toBe(true);
  });

  it('runs at most `concurrency` runs of a job at once', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((n) => jobs.enqueue('limited', { n })));
    await eventually(() => (runs.limited?.length ?? 0) >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(concurrentNow).toBe(2);
    while ((runs.limited?.length ?? 0) < 4 || concurrentNow > 0) {
      releaseSlow();
      releaseSlow = () => {};
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const id of ids) await eventually(async () => (await jobs.get('limited', id!))?.state === 'completed');
    expect(concurrentMax).toBe(2);
  });

  it('enqueue inside a transaction: rolled back, no job; committed, the job runs', async () => {
    let rolledBackId: string | null = null;
    await expect(
      database.db.$transaction(async (tx) => {
        rolledBackId = await jobs.within(tx).enqueue('echo', { tx: 'rollback' });
        throw new Error('abort the write');
      }),
    ).rejects.toThrow('abort the write');
    expect(rolledBackId).toBeTruthy();
    expect(await jobs.get('echo', rolledBackId!)).toBeNull();
    const committed = await database.db.$transaction(async (tx) => jobs.within(tx).enqueue('echo', { tx: 'commit' }));
    await eventually(async () => (await jobs.get('echo', committed!))?.state === 'completed');
    expect(runs.echo?.some((r) => (r.payload as { tx?: string }).tx === 'rollback')).toBe(false);
  });
});
