import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbClient } from '../../src/db/index.ts';
import type { JobRun } from '../../src/jobs/index.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createQueueDatabase, createTestJobs, eventually } from './queue-harness.ts';

describeEachProvider('graceful shutdown', (provider) => {
  let database: { databaseUrl: string; db: DbClient; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createQueueDatabase(provider);
  });
  afterAll(async () => database?.drop());

  it('stop waits for a running job to finish; a job still running at the deadline is released and retried by the next instance', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const definitions = {
      short: async (run: JobRun) => {
        started.push(run.id);
        await new Promise((resolve) => setTimeout(resolve, 400));
        finished.push(run.id);
      },
      stuck: { retries: 2, handler: async (run: JobRun) => {
        started.push(run.id);
        if (run.attempt === 1) await new Promise((resolve) => run.signal.addEventListener('abort', resolve));
        else finished.push(run.id);
      } },
    };
    const first = await createTestJobs(provider, database, { jobs: definitions });
    await first.start();
    const short = (await first.enqueue('short', {}))!;
    const stuck = (await first.enqueue('stuck', {}))!;
    await eventually(() => started.includes(short) && started.includes(stuck));
    await first.stop({ timeoutMs: 1000 });
    expect(finished).toEqual([short]);
    // A second instance (pg-boss closes its pool on stop, so read through it), not yet working.
    const second = await createTestJobs(provider, database, { jobs: definitions });
    expect((await second.get('short', short))?.state).toBe('completed');
    const released = await second.get('stuck', stuck);
    expect(released?.state).toBe('pending');
    expect(released?.attempts).toBe(1);
    await second.start();
    await eventually(async () => (await second.get('stuck', stuck))?.state === 'completed', 100);
    await second.stop({ timeoutMs: 1000 });
    expect(finished).toEqual([short, stuck]);
  });
});
