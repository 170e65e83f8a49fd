import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSessionPurge } from '../../src/auth/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { authEnv, bearer, createClock, days, meEmail, signUp } from '../support/auth-helpers.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const id = () => randomBytes(16).toString('hex');

describeEachProvider('auth: expired sessions and one-time tokens are purged', (provider) => {
  let t: TestApp;
  let periodic: TestApp;
  const clock = createClock();
  beforeAll(async () => {
    // The first app's own purge is off (0): the test runs purges itself. The second runs it every ~20 ms.
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_SESSION_PURGE_MS: '0' }, { auth: { now: clock.now } });
    periodic = await createTestApp('blog', provider, { ...authEnv, CAIRN_SESSION_PURGE_MS: '20' }, { auth: { now: clock.now } });
  });
  afterAll(async () => {
    await t?.close();
    await periodic?.close();
  });

  const session = (app: TestApp, userId: number, expiresAt: Date) => app.app.db.session.create({ data: { id: id(), userId, expiresAt } }).then((s: { id: string }) => s.id);
  const device = (app: TestApp, userId: number, sessionId: string | null) =>
    app.app.db.pushDevice.create({ data: { id: id(), userId, sessionId, platform: 'apns', address: id() + id() } }).then((d: { id: string }) => d.id);

  it('one purge deletes expired sessions with their devices and expired one-time tokens, in bounded batches; live ones, API tokens and other devices stay', async () => {
    const alice = await signUp(t, 'alice@purge.test');
    const bob = await signUp(t, 'bob@purge.test');
    const now = clock.now().getTime();
    // Expiry is `expiresAt <= now`, as when a session is presented.
    const expired = [
      await session(t, alice.id, new Date(now)),
      await session(t, alice.id, new Date(now - 1)),
      await session(t, alice.id, new Date(now - days(400))),
      await session(t, bob.id, new Date(now - days(1))),
      await session(t, bob.id, new Date(now - days(2))),
    ];
    const live = await session(t, bob.id, new Date(now + 1));
    const goneDevices = [await device(t, alice.id, expired[0]!), await device(t, alice.id, expired[0]!), await device(t, bob.id, expired[4]!)];
    const keptDevices = [await device(t, bob.id, live), await device(t, alice.id, null)];
    const token = (kind: string, expiresAt: Date | null) => t.app.db.authToken.create({ data: { id: id(), kind, userId: alice.id, expiresAt } }).then((r: { id: string }) => r.id);
    const goneTokens = [await token('password_reset', new Date(now - 1)), await token('email_verification', new Date(now)), await token('email_change', new Date(now - days(3)))];
    const keptTokens = [await token('email_verification', new Date(now + 1)), await token('api', new Date(now - days(1))), await token('api', null)];

    const purge = createSessionPurge({ db: t.app.db, now: clock.now, everyMs: 0, batchSize: 2, maxBatches: 2 });
    // Two batches of two per model and run: 4 of the 5 expired sessions, then the last one.
    expect(await purge.run()).toEqual({ sessions: 4, tokens: 3 });
    expect(await purge.run()).toEqual({ sessions: 1, tokens: 0 });
    expect(await purge.run()).toEqual({ sessions: 0, tokens: 0 });

    expect(await t.app.db.session.count({ where: { id: { in: expired } } })).toBe(0);
    expect(await t.app.db.session.count({ where: { id: live } })).toBe(1);
    // The database's cascade took the devices of the expired sessions; the rest are untouched.
    expect(await t.app.db.pushDevice.count({ where: { id: { in: goneDevices } } })).toBe(0);
    expect(await t.app.db.pushDevice.count({ where: { id: { in: keptDevices } } })).toBe(2);
    expect(await t.app.db.authToken.count({ where: { id: { in: goneTokens } } })).toBe(0);
    expect(await t.app.db.authToken.count({ where: { id: { in: keptTokens } } })).toBe(3);
    // Signed-in users are not signed out.
    expect(await meEmail(t, bearer(alice.token))).toBe('alice@purge.test');
    expect(await meEmail(t, bearer(bob.token))).toBe('bob@purge.test');
  });

  it('a run that fails is logged and the next one still runs', async () => {
    const dave = await signUp(t, 'dave@purge.test');
    const old = await session(t, dave.id, new Date(clock.now().getTime() - 1));
    const errors: unknown[] = [];
    let failures = 1;
    // The database answers the first lookup with an error (a connection lost mid-run).
    const flaky = new Proxy(t.app.db, {
      get: (target, prop) => (prop === 'session' && failures-- > 0 ? { findMany: async () => Promise.reject(new Error('connection lost')) } : Reflect.get(target, prop)),
    });
    const purge = createSessionPurge({ db: flaky, now: clock.now, everyMs: 10, logError: (error) => errors.push(error) });
    purge.start();
    await eventually(async () => (await t.app.db.session.count({ where: { id: old } })) === 0);
    await purge.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['connection lost']);
  });

  it('runs by itself once the workers start, through the trusted client, and the cascade costs no extra statement', async () => {
    const carol = await signUp(periodic, 'carol@purge.test');
    const now = clock.now().getTime();
    const old = await session(periodic, carol.id, new Date(now - 1));
    const oldDevice = await device(periodic, carol.id, old);
    const liveDevice = await device(periodic, carol.id, null);
    periodic.resetQueries();
    await periodic.app.startWorkers();
    await eventually(async () => (await periodic.app.db.session.count({ where: { id: old } })) === 0);
    // PushDevice is `@@changes(false)`: nothing reads its rows to report their deletion; the database cascades.
    expect(periodic.queries.filter((q) => /^DELETE FROM\s.*Session\b/i.test(q)).length).toBeGreaterThan(0);
    expect(periodic.queries.filter((q) => /PushDevice/.test(q))).toEqual([]);
    expect(await periodic.app.db.pushDevice.count({ where: { id: oldDevice } })).toBe(0);
    expect(await periodic.app.db.pushDevice.count({ where: { id: liveDevice } })).toBe(1);
    expect(await meEmail(periodic, bearer(carol.token))).toBe('carol@purge.test');
  });
});

it('CAIRN_SESSION_PURGE_MS: every 10 minutes by default, 0 turns it off, nonsense stops boot', () => {
  expect(loadConfig({}).sessionPurgeMs).toBe(600_000);
  expect(loadConfig({ CAIRN_SESSION_PURGE_MS: '0' }).sessionPurgeMs).toBe(0);
  expect(() => loadConfig({ CAIRN_SESSION_PURGE_MS: '-1' })).toThrow('CAIRN_SESSION_PURGE_MS must be an integer from 0 to 86400000, got "-1"');
});
