import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../jobs/queue-harness.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createNotifyApp, type NotifyApp } from './notify-app.ts';
import { startPushServices, type PushServices } from './push-services.ts';

const child = fileURLToPath(new URL('./fixtures/delivery-child.ts', import.meta.url));

describeEachProvider('notification delivery: kill -9 mid-delivery', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  const children: ChildProcess[] = [];
  const start = () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      // Requests time out after 10 s: the kill comes well before, so what hangs is still in flight.
      env: { ...process.env, PROVIDER: provider, DATABASE_URL: t.app.config.databaseUrl, CAIRN_PUSH_TIMEOUT_MS: '10000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(proc);
    return proc;
  };
  beforeAll(async () => {
    services = await startPushServices();
    // This process only enqueues and watches (its workers are stopped); the children deliver.
    t = await createNotifyApp(provider, services, undefined, {}, { workers: false });
  });
  afterAll(async () => {
    for (const proc of children) proc.kill('SIGKILL');
    await t?.close();
    await services?.close();
  });

  it('deliveries in flight when the process dies are sent after restart; every device gets it once, every user one inbox entry', { timeout: 180_000 }, async () => {
    const users: { id: number; device: string; address: string }[] = [];
    for (let i = 0; i < 9; i++) {
      const id = await t.user(`crash-${i}@example.org`);
      const sub = services.subscription(`crash-${i}`);
      users.push({ id, device: await t.device(id, 'webpush', sub.address, sub.keys), address: `crash-${i}` });
    }
    // The first process gets three answers; every later request of it hangs (in flight when it dies).
    let answered = 0;
    services.setAnswer(() => (answered++ < 3 ? { status: 201 } : { hang: true }));
    await t.app.notify({ to: { users: users.map((u) => u.id) }, type: 'crash.test', title: 'Once', key: 'crash-1' });
    const first = start();
    const done = async () => {
      const accepted = users.filter((u) => services.accepted(u.address).length);
      const states = await Promise.all(accepted.map(async (u) => (await t.pushJob(u.id, 'crash-1', u.device))?.state));
      return accepted.length === 3 && states.every((s) => s === 'completed') && services.received.length > 3;
    };
    await eventually(done, 100);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const inFlight = services.received.filter((r) => r.status === undefined).map((r) => r.address);
    expect(inFlight.length).toBeGreaterThan(0);

    services.setAnswer(() => ({ status: 201 }));
    start();
    await eventually(() => users.every((u) => services.accepted(u.address).length), 100);
    await eventually(async () => {
      const states = await Promise.all(users.map(async (u) => (await t.pushJob(u.id, 'crash-1', u.device))?.state));
      return states.every((s) => s === 'completed');
    }, 100);
    await t.fannedOut('crash-1', 5);
    for (const user of users) expect(await t.pushJob(user.id, 'crash-1', user.device, 2)).toBeNull();
    for (const user of users) expect(services.accepted(user.address), user.address).toHaveLength(1);
    // What was in flight was sent again (unanswered the first time, so never delivered twice).
    for (const address of inFlight) expect(services.received.filter((r) => r.address === address).map((r) => r.status)).toEqual([undefined, 201]);
    const rows = await (t.app.db as any).notification.findMany({ where: { key: 'crash-1' }, select: { userId: true } });
    expect(rows.map((r: { userId: number }) => r.userId).sort()).toEqual(users.map((u) => u.id).sort());
  });
});
