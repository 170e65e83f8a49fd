import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../jobs/queue-harness.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createNotifyApp, type NotifyApp } from './notify-app.ts';
import { startPushServices, type PushServices } from './push-services.ts';

const exampleFunctions = fileURLToPath(new URL('../../examples/blog/functions/index.ts', import.meta.url));

/** The example app's own code (examples/blog/functions): chat messages and published posts notify. */
describeEachProvider('example app notifications', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  beforeAll(async () => {
    services = await startPushServices();
    t = await createNotifyApp(provider, services, undefined, { CAIRN_FUNCTIONS: exampleFunctions });
  });
  afterAll(async () => {
    await t?.close();
    await services?.close();
  });

  it('a chat message: the other members get an inbox entry and a push to each device; the author and outsiders nothing', async () => {
    const raw = t.app.db as any;
    const ann = await t.user('ann@example.org');
    const ben = await t.user('ben@example.org');
    const cat = await t.user('cat@example.org');
    const out = await t.user('out@example.org');
    await raw.user.update({ where: { id: ann }, data: { name: 'Ann' } });
    const devices: Record<string, number> = {};
    for (const [name, id] of Object.entries({ ann, ben, cat, out })) {
      const sub = services.subscription(`chat-${name}`);
      await t.device(id, 'webpush', sub.address, sub.keys);
      devices[name] = id;
    }
    await t.device(cat, 'fcm', 'chat-cat-phone');
    const conversation = await raw.conversation.create({ data: { title: 'Trip', startedById: ann, members: { create: [{ userId: ann }, { userId: ben }, { userId: cat }] } } });
    const sent = await t.gql('mutation ($data: MessageCreateInput!) { createMessage(data: $data) { id } }', { data: { body: 'Train at nine?', conversationId: conversation.id, authorId: ann } }, t.as({ id: ann }));
    expect(sent.errors, JSON.stringify(sent.errors)).toBeUndefined();
    const messageId = sent.data.createMessage.id;
    const key = `chat-message:${messageId}`;
    await eventually(() => services.accepted('chat-ben').length && services.accepted('chat-cat').length && services.accepted('chat-cat-phone').length);
    const [push] = services.accepted('chat-ben');
    expect(push!.payload).toMatchObject({ title: 'Ann in Trip', body: 'Train at nine?', url: `/conversations/${conversation.id}`, data: { conversationId: String(conversation.id), messageId: String(messageId), type: 'chat.message' } });
    await t.fannedOut(key, 2);
    const rows = await raw.notification.findMany({ where: { key }, select: { userId: true, type: true } });
    expect(rows.map((r: { userId: number }) => r.userId).sort()).toEqual([ben, cat].sort());
    expect(services.received.filter((r) => r.address === 'chat-ann' || r.address === 'chat-out')).toHaveLength(0);
  });

  it('publishPost notifies the author\'s followers in-app and by push, only those who may read it, once', async () => {
    const raw = t.app.db as any;
    const writer = await t.user('writer@example.org');
    const fan = await t.user('fan@example.org');
    const other = await t.user('other@example.org');
    const sub = services.subscription('fan-browser');
    await t.device(fan, 'webpush', sub.address, sub.keys);
    await raw.follow.create({ data: { followerId: fan, followingId: writer } });
    const post = await raw.post.create({ data: { title: 'Big news', slug: 'big-news', body: 'A body that is long enough to publish.', status: 'DRAFT', authorId: writer } });
    const published = await t.gql(`mutation { publishPost(id: ${post.id}) { id status } }`, {}, t.as({ id: writer }));
    expect(published.errors, JSON.stringify(published.errors)).toBeUndefined();
    const [push] = await eventually(() => services.accepted('fan-browser').length && services.accepted('fan-browser'));
    expect(push!.payload).toMatchObject({ title: 'Big news', url: `/posts/${post.id}` });
    await t.fannedOut(`post-published:${post.id}`);
    const rows = await raw.notification.findMany({ where: { key: `post-published:${post.id}` }, select: { userId: true } });
    expect(rows).toEqual([{ userId: fan }]);
    expect(await raw.notification.count({ where: { userId: other } })).toBe(0);
  });
});
