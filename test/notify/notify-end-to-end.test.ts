import { afterAll, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { untilOperations, wsClients } from '../realtime/realtime-helpers.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { createNotifyApp, type NotifyApp } from './notify-app.ts';
import { startPushServices, type PushServices } from './push-services.ts';

const added = 'subscription { notificationAdded { id type title body url data } }';

/**
 * The whole loop through the public API: a device registered with `registerPushDevice`, a
 * `notify` from server code, the `notificationAdded` subscription, the inbox query and the push
 * service all seeing the same notification, once, and only for its user.
 */
describeEachProvider('notify end to end', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  let url: string;
  const ws = wsClients(() => url.replace(/^http/, 'ws'));
  beforeAll(async () => {
    services = await startPushServices();
    t = await createNotifyApp(provider, services, { notifications: { 'comment.reply': { channels: ['inApp', 'push'] } } }, authEnv, { viewerHeader: false });
    url = (await t.app.start()).url;
  });
  afterAll(async () => {
    await ws.disposeAll();
    await t?.close();
    await services?.close();
  });

  it('registerPushDevice → notify → notificationAdded, the inbox and the push service, once each', async () => {
    const alice = await signUp(t, 'alice@e2e.test');
    const bob = await signUp(t, 'bob@e2e.test');
    const headers = { authorization: `Bearer ${alice.token}` };
    const sub = services.subscription('e2e-alice');
    const registered = await t.gql('mutation ($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { id } }', { input: { platform: 'webpush', endpoint: sub.address, keys: JSON.parse(sub.keys), name: 'laptop' } }, headers);
    expect(registered.errors, JSON.stringify(registered.errors)).toBeUndefined();
    const stream = ws.subscribe(ws.connect(headers), added);
    await eventually(() => t.app.notificationApi!.stats().subscribers === 1);

    await t.app.notify({ to: { users: [alice.id, bob.id] }, type: 'comment.reply', title: 'New reply', body: 'Bob answered', url: '/posts/1#c2', data: { postId: '1' }, key: 'reply-c2' });
    const [event] = await stream.until(1);
    expect(event!.data.notificationAdded).toMatchObject({ type: 'comment.reply', title: 'New reply', body: 'Bob answered', url: '/posts/1#c2', data: { postId: '1' } });
    const [push] = await eventually(() => services.accepted('e2e-alice').length && services.accepted('e2e-alice'));
    expect(push!.payload.data.notificationId).toBe(event!.data.notificationAdded.id);
    const inbox = await t.gql('query { notifications(first: 10) { edges { node { id title } } } notificationCounts { unseen unread total } }', {}, headers);
    expect(inbox.data.notifications.edges.map((e: any) => e.node)).toEqual([{ id: event!.data.notificationAdded.id, title: 'New reply' }]);
    expect(inbox.data.notificationCounts).toEqual({ unseen: 1, unread: 1, total: 1 });
    await eventually(async () => (await t.gql('query { myPushDevices { lastSentAt } }', {}, headers)).data.myPushDevices[0].lastSentAt);

    // The same key again: nothing new anywhere.
    expect((await t.app.notify({ to: { users: [alice.id] }, type: 'comment.reply', title: 'New reply', key: 'reply-c2' })).enqueued).toBe(false);
    await t.app.notify({ to: { users: [alice.id] }, type: 'comment.reply', title: 'Second', key: 'reply-c3' });
    const events = await stream.until(2);
    expect(events.map((e) => e.data.notificationAdded.title)).toEqual(['New reply', 'Second']);
    expect(services.accepted('e2e-alice').map((r) => r.payload.title)).toEqual(expect.arrayContaining(['New reply']));
    expect(services.accepted('e2e-alice').filter((r) => r.payload.title === 'New reply')).toHaveLength(1);
    await ws.disposeAll();
    await untilOperations(t.app, 0);
  });
});
