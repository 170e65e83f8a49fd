import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, refused, signIn } from '../support/auth-helpers.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';
import { createInboxApp, registerDevice, user, webPushSubscription, type User } from './inbox-app.ts';

const myDevices = '{ myPushDevices { id platform name } }';
const apnsToken = 'a1'.repeat(32);

describeEachProvider('push devices', (provider) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    t = await createInboxApp(provider, { CAIRN_MAX_PUSH_DEVICES: '3' });
    alice = await user(t, 'alice@devices.test');
    bob = await user(t, 'bob@devices.test');
  });
  afterAll(() => t?.close());

  const register = (who: User | undefined, input: Record<string, unknown>) => t.gql(registerDevice, { input }, who?.headers);
  const rows = () => t.app.db.pushDevice.findMany({ select: { id: true, userId: true, sessionId: true, platform: true, address: true, keys: true, name: true }, orderBy: { id: 'asc' } });
  const clear = () => t.app.db.pushDevice.deleteMany({});

  it('registers a Web Push subscription and an APNs token bound to the session, and lists them', async () => {
    await clear();
    const subscription = webPushSubscription();
    const web = await register(alice, { platform: 'webpush', ...subscription, name: '  Firefox on laptop ' });
    expect(web.errors).toBeUndefined();
    expect(web.data.registerPushDevice).toMatchObject({ platform: 'webpush', name: 'Firefox on laptop', lastSentAt: null });
    const phone = await register(alice, { platform: 'apns', token: apnsToken.toUpperCase() });
    expect(phone.errors).toBeUndefined();

    const stored = await rows();
    const session = await t.app.db.session.findFirst({ where: { userId: alice.id }, select: { id: true } });
    expect(stored).toHaveLength(2);
    expect(stored.every((d: any) => d.userId === alice.id && d.sessionId === session.id)).toBe(true);
    expect(stored.find((d: any) => d.platform === 'webpush')).toMatchObject({ address: subscription.endpoint, keys: JSON.stringify(subscription.keys) });
    // APNs tokens are hex: stored in one case so the same phone is one device.
    expect(stored.find((d: any) => d.platform === 'apns').address).toBe(apnsToken);

    const listed = await t.gql(myDevices, {}, alice.headers);
    expect(listed.data.myPushDevices.map((d: any) => d.platform).sort()).toEqual(['apns', 'webpush']);
    expect((await t.gql(myDevices, {}, bob.headers)).data.myPushDevices).toEqual([]);
  });

  it('needs a signed-in user with a session', async () => {
    refused(await register(undefined, { platform: 'webpush', ...webPushSubscription() }), 'UNAUTHENTICATED');
    refused(await t.gql(myDevices), 'UNAUTHENTICATED');
    refused(await t.gql('mutation { unregisterPushDevice(id: "x") }'), 'UNAUTHENTICATED');
    // A personal API token acts for its user but has no session to bind a device to.
    const created = await t.gql('mutation { createApiToken(name: "ci") { token } }', {}, alice.headers);
    const error = refused(await t.gql(registerDevice, { input: { platform: 'webpush', ...webPushSubscription() } }, bearer(created.data.createApiToken.token)), 'FORBIDDEN');
    expect(error.message).toMatch(/needs a session/);
  });

  it("refuses to bind a device to an admin's session while the admin acts as someone else (x-cairn-run-as)", async () => {
    await clear();
    const admin = await user(t, 'admin@devices.test');
    await t.app.db.user.update({ where: { id: admin.id }, data: { roles: 'user,admin' } });
    const asAlice = { ...admin.headers, 'x-cairn-run-as': String(alice.id) };
    const error = refused(await t.gql(registerDevice, { input: { platform: 'webpush', ...webPushSubscription() } }, asAlice), 'FORBIDDEN');
    expect(error.message).toMatch(/not the signed-in user's own/);
    expect(await rows()).toEqual([]);
    // Reading alice's devices as her is what run-as is for.
    expect((await t.gql(myDevices, {}, asAlice)).errors).toBeUndefined();
  });

  describe('refuses malformed registrations, naming the field, and stores nothing', () => {
    const good = webPushSubscription();
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    const cases: [string, Record<string, unknown>, string][] = [
      ['p256dh not base64url', { ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(0, -2) + '+/' } }, 'keys.p256dh'],
      ['p256dh of 64 bytes', { ...good, keys: { ...good.keys, p256dh: Buffer.alloc(64, 4).toString('base64url') } }, 'keys.p256dh'],
      ['p256dh off the curve', { ...good, keys: { ...good.keys, p256dh: offCurve.toString('base64url') } }, 'keys.p256dh'],
      ['auth of 15 bytes', { ...good, keys: { ...good.keys, auth: Buffer.alloc(15).toString('base64url') } }, 'keys.auth'],
      ['auth not base64url', { ...good, keys: { ...good.keys, auth: 'not base64 at all!!' } }, 'keys.auth'],
      ['no keys', { endpoint: good.endpoint }, 'keys'],
      ['no endpoint', { keys: good.keys }, 'endpoint'],
      ['endpoint not a URL', { ...good, endpoint: 'push service' }, 'endpoint'],
      ['endpoint over http to another host', { ...good, endpoint: 'http://push.example.com/x' }, 'endpoint'],
      ['endpoint with credentials', { ...good, endpoint: 'https://user:pw@push.example.com/x' }, 'endpoint'],
      ['endpoint not http(s)', { ...good, endpoint: 'file:///etc/passwd' }, 'endpoint'],
      ['endpoint too long', { ...good, endpoint: `https://push.example.com/${'a'.repeat(2100)}` }, 'endpoint'],
      ['a token on webpush', { ...good, token: 'abc' }, 'token'],
      ['name too long', { ...good, name: 'n'.repeat(101) }, 'name'],
      ['name with control characters', { ...good, name: 'a\u0007b' }, 'name'],
    ];
    it.each(cases)('webpush: %s', async (_label, input, field) => {
      const error = refused(await register(alice, { platform: 'webpush', ...input }), 'BAD_USER_INPUT');
      expect(error.extensions.field).toBe(field);
      expect(error.message).toContain(field);
    });
    it.each([
      ['apns token not hex', { token: 'z'.repeat(64) }, 'token'],
      ['apns token too short', { token: 'ab'.repeat(8) }, 'token'],
      ['apns without a token', {}, 'token'],
      ['apns with an endpoint', { token: apnsToken, endpoint: good.endpoint }, 'endpoint'],
      ['apns with keys', { token: apnsToken, keys: good.keys }, 'keys'],
    ])('%s', async (_label, input, field) => {
      const error = refused(await register(alice, { platform: 'apns', ...input }), 'BAD_USER_INPUT');
      expect(error.extensions.field).toBe(field);
    });
    it('nothing was stored', async () => {
      expect((await rows()).filter((d: any) => d.userId === alice.id && d.address.includes(good.endpoint))).toEqual([]);
    });
  });

  it('accepts http endpoints on loopback outside production (local push services)', async () => {
    await clear();
    const result = await register(alice, { platform: 'webpush', ...webPushSubscription('http://127.0.0.1:9999/push/1') });
    expect(result.errors).toBeUndefined();
  });

  it('refuses a platform this server has no credentials for', async () => {
    await clear();
    const error = refused(await register(alice, { platform: 'fcm', token: 'f'.repeat(152) }), 'BAD_USER_INPUT');
    expect(error.message).toMatch(/fcm push is not configured on this server \(configured: webpush, apns\)/);
    expect(error.extensions).toMatchObject({ field: 'platform', configured: ['webpush', 'apns'] });
    expect(await rows()).toEqual([]);
    // An unknown platform is not even a value of the enum.
    refused(await register(alice, { platform: 'sms', token: 'x' }), 'BAD_USER_INPUT');
  });

  it('caps devices per user (CAIRN_MAX_PUSH_DEVICES) with a coded error; re-registering one is not a new one', async () => {
    await clear();
    const subscriptions = [webPushSubscription(), webPushSubscription(), webPushSubscription()];
    for (const s of subscriptions) expect((await register(alice, { platform: 'webpush', ...s })).errors).toBeUndefined();
    const error = refused(await register(alice, { platform: 'webpush', ...webPushSubscription() }), 'BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ limit: 'maxPushDevices', max: 3, value: 4 });
    expect(error.message).toMatch(/CAIRN_MAX_PUSH_DEVICES/);
    // The same subscription again (a page reload) updates the device in place.
    const again = await register(alice, { platform: 'webpush', ...subscriptions[0]!, name: 'renamed' });
    expect(again.errors).toBeUndefined();
    expect(await t.app.db.pushDevice.count({ where: { userId: alice.id } })).toBe(3);
    // Another user's cap is their own.
    expect((await register(bob, { platform: 'webpush', ...webPushSubscription() })).errors).toBeUndefined();
  });

  it('holds the cap under concurrent registrations: exactly the cap succeed', async () => {
    await clear();
    const results = await Promise.all(Array.from({ length: 8 }, () => register(alice, { platform: 'webpush', ...webPushSubscription() })));
    expect(results.filter((r) => !r.errors)).toHaveLength(3);
    expect(results.filter((r) => r.errors?.[0]?.extensions.code === 'BAD_USER_INPUT')).toHaveLength(5);
    expect(await t.app.db.pushDevice.count({ where: { userId: alice.id } })).toBe(3);
  });

  it('re-binds an address registered before to the user and session registering it now', async () => {
    await clear();
    const subscription = webPushSubscription();
    const first = await register(alice, { platform: 'webpush', ...subscription });
    // The same browser, now signed in as bob.
    const second = await register(bob, { platform: 'webpush', ...subscription, name: "bob's" });
    expect(second.errors).toBeUndefined();
    expect(second.data.registerPushDevice.id).not.toBe(first.data.registerPushDevice.id);
    const stored = await rows();
    const bobSession = await t.app.db.session.findFirst({ where: { userId: bob.id }, select: { id: true } });
    expect(stored).toEqual([expect.objectContaining({ userId: bob.id, sessionId: bobSession.id, address: subscription.endpoint, name: "bob's" })]);
    expect((await t.gql(myDevices, {}, alice.headers)).data.myPushDevices).toEqual([]);
    // Alice's old id is gone for her as for everyone.
    refused(await t.gql('mutation ($id: ID!) { unregisterPushDevice(id: $id) }', { id: first.data.registerPushDevice.id }, alice.headers), 'NOT_FOUND');

    // A second session of the same user takes the device over too.
    const other = await signIn(t, 'bob@devices.test');
    const moved = await t.gql(registerDevice, { input: { platform: 'webpush', ...subscription } }, bearer(other.data.signIn.token));
    expect(moved.data.registerPushDevice.id).toBe(second.data.registerPushDevice.id);
    const [device] = await rows();
    expect(device.sessionId).not.toBe(bobSession.id);
  });

  it('unregisters only your own devices: another user\'s or an unknown id is NOT_FOUND and stays', async () => {
    await clear();
    const mine = (await register(alice, { platform: 'webpush', ...webPushSubscription() })).data.registerPushDevice.id;
    const unregister = (who: User, id: string) => t.gql('mutation ($id: ID!) { unregisterPushDevice(id: $id) }', { id }, who.headers);
    refused(await unregister(bob, mine), 'NOT_FOUND');
    refused(await unregister(alice, 'no-such-device'), 'NOT_FOUND');
    expect(await t.app.db.pushDevice.count({ where: { id: mine } })).toBe(1);
    expect((await unregister(alice, mine)).data.unregisterPushDevice).toBe(true);
    expect(await t.app.db.pushDevice.count()).toBe(0);
  });

  it("removes a session's devices when the session ends: signOut, revokeSession, signOutEverywhere", async () => {
    await clear();
    const carol = await user(t, 'carol@devices.test');
    const laptop = await signIn(t, 'carol@devices.test');
    const phone = await signIn(t, 'carol@devices.test');
    const laptopHeaders = bearer(laptop.data.signIn.token);
    const phoneHeaders = bearer(phone.data.signIn.token);
    const on = (headers: Record<string, string>, input: Record<string, unknown>) => t.gql(registerDevice, { input }, headers);
    await on(carol.headers, { platform: 'webpush', ...webPushSubscription() });
    await on(laptopHeaders, { platform: 'webpush', ...webPushSubscription() });
    await on(phoneHeaders, { platform: 'apns', token: 'c3'.repeat(32) });
    const count = () => t.app.db.pushDevice.count({ where: { userId: carol.id } });
    expect(await count()).toBe(3);

    expect((await t.gql('mutation { signOut }', {}, laptopHeaders)).data.signOut).toBe(true);
    expect(await count()).toBe(2);
    expect(await t.app.db.pushDevice.count({ where: { userId: carol.id, platform: 'apns' } })).toBe(1);

    const sessions = await t.gql('{ mySessions { id current } }', {}, carol.headers);
    const phoneSession = sessions.data.mySessions.find((s: any) => !s.current);
    expect((await t.gql('mutation ($id: ID!) { revokeSession(id: $id) }', { id: phoneSession.id }, carol.headers)).data.revokeSession).toBe(true);
    expect(await count()).toBe(1);

    await t.gql('mutation { signOutEverywhere }', {}, carol.headers);
    expect(await count()).toBe(0);
  });
});
