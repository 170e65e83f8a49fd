import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbClient } from '../../src/db/index.ts';
import { createEmbeddedQueue } from '../../src/jobs/index.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createQueueDatabase, eventually } from './queue-harness.ts';

const child = fileURLToPath(new URL('./fixtures/queue-child.ts', import.meta.url));

describeEachProvider('jobs across processes', (provider) => {
  let database: { databaseUrl: string; db: DbClient; drop(): Promise<void> };
  let dir: string;
  const children: ChildProcess[] = [];
  const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  const start = (mode: string, log: string) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, PROVIDER: provider, DATABASE_URL: database.databaseUrl, LOG: log, MODE: mode },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(proc);
    return proc;
  };
  const exited = (proc: ChildProcess) => new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve(null) : proc.once('exit', resolve)));

  beforeAll(async () => {
    database = await createQueueDatabase(provider);
    dir = mkdtempSync(join(tmpdir(), 'cairn-procs-'));
    // The SQLite table must exist before two processes race to create it.
    if (provider === 'sqlite') await createEmbeddedQueue({ db: database.db, definitions: [] });
  });
  afterAll(async () => {
    for (const proc of children) proc.kill('SIGKILL');
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL mid-job: after a restart the job runs again; keyed jobs are not duplicated', { timeout: 60_000 }, async () => {
    const log = join(dir, 'crash.log');
    const first = start('crash', log);
    await eventually(() => lines(log).includes('hang k2 start 1') && lines(log).includes('quick k1 done'));
    first.kill('SIGKILL');
    await exited(first);
    const second = start('crash', log);
    await eventually(() => lines(log).includes('hang k2 done'), 100);
    second.kill('SIGTERM');
    await exited(second);
    const all = lines(log);
    expect(all.filter((l) => l === 'quick k1 done')).toHaveLength(1);
    expect(all.filter((l) => l.startsWith('hang k2 start')).sort()).toEqual(['hang k2 start 1', 'hang k2 start 2']);
    expect(all.filter((l) => l === 'hang k2 done')).toHaveLength(1);
    // The restarted process's enqueues of the same keys were no-ops.
    expect(all.filter((l) => l.startsWith('enqueue quick')).map((l) => l.endsWith('null'))).toEqual([false, true]);
    expect(all.filter((l) => l.startsWith('enqueue hang')).map((l) => l.endsWith('null'))).toEqual([false, true]);
  });

  it('two processes with the same schedule run each tick once', { timeout: 60_000 }, async () => {
    const log = join(dir, 'ticks.log');
    const a = start('schedule', log);
    const b = start('schedule', log);
    await eventually(() => lines(log).filter((l) => l === 'ready').length === 2);
    const ready = lines(log).length;
    await eventually(() => lines(log).slice(ready).filter((l) => l.startsWith('tick')).length >= 4, 100);
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    await Promise.all([exited(a), exited(b)]);
    const ticks = lines(log).filter((l) => l.startsWith('tick')).map((l) => l.split(' ')[1]);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});
