import { afterAll, beforeAll, expect, it } from 'vitest';
import { badInput, defineFunctions } from '../../src/extend/index.ts';
import { notificationIdFor } from '../../src/notify/index.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { describeEachProvider } from '../support/test-app.ts';
import { createNotifyApp, type NotifyApp } from './notify-app.ts';
import { startPushServices, type PushServices } from './push-services.ts';

const functions = defineFunctions({
  notifications: {
    'test.plain': { channels: ['inApp', 'push'] },
    'test.mail': { channels: ['inApp', 'email'] },
    'test.critical': { channels: ['inApp', 'push'], critical: true },
  },
  hooks: {
    Tag: {
      // A before hook notifies inside the write's transaction: a refused write sends nothing.
      beforeCreate: async (data, ctx) => {
        const { name } = data as { name: string };
        await ctx.notify({ to: { users: [Number(name.split(':')[1])] }, type: 'test.plain', title: `tag ${name}`, key: `tag:${name}` });
        if (name.startsWith('refuse')) throw badInput('refused by the hook');
      },
    },
  },
  schema(builder) {
    builder.mutationField('testNotify', (t) =>
      t.field({
        type: 'String',
        nullable: true,
        args: { input: t.arg({ type: 'JSON', required: true }), rollback: t.arg.boolean() },
        resolve: async (_root, { input, rollback }, ctx) => {
          if (!rollback) return (await ctx.notify(input as never)).id;
          await ctx.db.$transaction(async (tx) => {
            await ctx.notify.within(tx)(input as never);
            throw badInput('rolled back on purpose');
          });
          return null;
        },
      }),
    );
  },
});

const notifyMutation = 'mutation ($input: JSON!, $rollback: Boolean) { testNotify(input: $input, rollback: $rollback) }';

describeEachProvider('ctx.notify delivery', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  const admin = { id: 0, roles: ['admin'] };
  const send = async (input: Record<string, unknown>, rollback = false) => t.gql(notifyMutation, { input, rollback }, t.as(admin));
  const inbox = (userId: number, key: string) => (t.app.db as any).notification.findMany({ where: { userId, key } });

  beforeAll(async () => {
    services = await startPushServices();
    t = await createNotifyApp(provider, services, functions);
  });
  afterAll(async () => {
    await t?.close();
    await services?.close();
  });

  it('Web Push round trip: an inbox row, and a VAPID-signed payload the subscription decrypts; lastSentAt set; the same key sends nothing again', async () => {
    const user = await t.user('web@example.org');
    const sub = services.subscription('web-1');
    const device = await t.device(user, 'webpush', sub.address, sub.keys);
    const result = await send({ to: { users: [user] }, type: 'test.plain', title: 'Hello', body: 'A new comment', url: '/posts/1', data: { postId: '1' }, key: 'web-round-trip' });
    expect(result.errors).toBeUndefined();
    const [message] = await eventually(() => services.accepted('web-1').length && services.accepted('web-1'));
    const notificationId = notificationIdFor(user, 'web-round-trip');
    expect(message!.payload).toEqual({ title: 'Hello', body: 'A new comment', url: '/posts/1', data: { postId: '1', type: 'test.plain', notificationId } });
    expect(message!.headers.topic).toBeTruthy();
    const rows = await inbox(user, 'web-round-trip');
    expect(rows).toMatchObject([{ id: notificationId, type: 'test.plain', title: 'Hello', body: 'A new comment', url: '/posts/1', data: '{"postId":"1"}' }]);
    await eventually(async () => (await (t.app.db as any).pushDevice.findUnique({ where: { id: device } })).lastSentAt);

    const again = await send({ to: { users: [user] }, type: 'test.plain', title: 'Hello again', key: 'web-round-trip' });
    expect(again.data.testNotify).toBe(result.data.testNotify);
    expect(await inbox(user, 'web-round-trip')).toHaveLength(1);
    await eventually(async () => (await t.pushJob(user, 'web-round-trip', device))?.state === 'completed');
    expect(services.accepted('web-1')).toHaveLength(1);
  });

  it('FCM and APNs devices get the message in their own formats; several devices of one user each get one', async () => {
    const user = await t.user('native@example.org');
    await t.device(user, 'fcm', 'fcm-token-1');
    await t.device(user, 'apns', 'b'.repeat(64));
    await send({ to: { users: [String(user)] }, type: 'test.plain', title: 'Native', body: 'Both', key: 'native-1' });
    const [fcm] = await eventually(() => services.accepted('fcm-token-1').length && services.accepted('fcm-token-1'));
    const [apns] = await eventually(() => services.accepted('b'.repeat(64)).length && services.accepted('b'.repeat(64)));
    expect(fcm!.payload).toMatchObject({ token: 'fcm-token-1', notification: { title: 'Native', body: 'Both' }, data: { type: 'test.plain' } });
    expect(apns!.payload).toMatchObject({ aps: { alert: { title: 'Native', body: 'Both' } } });
    expect(apns!.headers['apns-topic']).toBe('com.example.blog');
  });

  it('dead devices are removed: Web Push 410, FCM UNREGISTERED, APNs 410 Unregistered', async () => {
    const user = await t.user('dead@example.org');
    const sub = services.subscription('gone-1');
    const ids = [await t.device(user, 'webpush', sub.address, sub.keys), await t.device(user, 'fcm', 'fcm-gone'), await t.device(user, 'apns', 'c'.repeat(64))];
    services.setAnswer((r) =>
      r.address === 'gone-1' ? { status: 410 }
      : r.address === 'fcm-gone' ? { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', message: 'gone', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } } }
      : r.address === 'c'.repeat(64) ? { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() } }
      : { status: r.platform === 'webpush' ? 201 : 200 },
    );
    await send({ to: { users: [user] }, type: 'test.plain', title: 'Anyone?', key: 'dead-1' });
    await eventually(async () => (await (t.app.db as any).pushDevice.count({ where: { id: { in: ids } } })) === 0);
    for (const id of ids) await eventually(async () => (await t.pushJob(user, 'dead-1', id))?.state === 'completed');
    expect(await inbox(user, 'dead-1')).toHaveLength(1);
  });

  it('429 with Retry-After: the next attempt waits at least that long, then is delivered once', async () => {
    const user = await t.user('busy@example.org');
    const sub = services.subscription('busy-1');
    const device = await t.device(user, 'webpush', sub.address, sub.keys);
    services.setAnswer((r, n) => (r.address === 'busy-1' && n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 201 }));
    await send({ to: { users: [user] }, type: 'test.plain', title: 'Later', key: 'busy-1' });
    await eventually(() => services.accepted('busy-1').length);
    const [first, second] = services.received.filter((r) => r.address === 'busy-1');
    expect(first!.status).toBe(429);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2000);
    await eventually(async () => (await t.pushJob(user, 'busy-1', device, 2))?.state === 'completed');
    expect(services.accepted('busy-1')).toHaveLength(1);
  });

  it('a 5xx and a timeout are retried with backoff until the service accepts', async () => {
    const user = await t.user('flaky@example.org');
    const sub = services.subscription('flaky-1');
    await t.device(user, 'webpush', sub.address, sub.keys);
    await t.device(user, 'fcm', 'fcm-slow');
    services.setAnswer((r, n) =>
      r.address === 'flaky-1' && n < 2 ? { status: 503 } : r.address === 'fcm-slow' && n === 0 ? { hang: true } : { status: r.platform === 'webpush' ? 201 : 200 },
    );
    await send({ to: { users: [user] }, type: 'test.plain', title: 'Eventually', key: 'flaky-1' });
    await eventually(() => services.accepted('flaky-1').length && services.accepted('fcm-slow').length);
    expect(services.received.filter((r) => r.address === 'flaky-1').map((r) => r.status)).toEqual([503, 503, 201]);
    expect(services.received.filter((r) => r.address === 'fcm-slow').map((r) => r.status)).toEqual([undefined, 200]);
  });

  it('a push service that keeps failing is given up after CAIRN_PUSH_MAX_ATTEMPTS, the device kept', async () => {
    const user = await t.user('down@example.org');
    const sub = services.subscription('down-1');
    const device = await t.device(user, 'webpush', sub.address, sub.keys);
    services.setAnswer((r) => (r.address === 'down-1' ? { status: 500 } : { status: 201 }));
    await send({ to: { users: [user] }, type: 'test.plain', title: 'Never', key: 'down-1' });
    await eventually(async () => (await t.pushJob(user, 'down-1', device, 4))?.state === 'completed');
    expect(services.received.filter((r) => r.address === 'down-1')).toHaveLength(4);
    expect(await t.pushJob(user, 'down-1', device, 5)).toBeNull();
    expect(t.warned.some((w) => w.includes(`gave up on device ${device} after 4 attempts`))).toBe(true);
    expect(await (t.app.db as any).pushDevice.count({ where: { id: device } })).toBe(1);
  });

  it('a revoked FCM credential: a clear error naming the variable, no crash, no retries, the device kept', async () => {
    const user = await t.user('revoked@example.org');
    const device = await t.device(user, 'fcm', 'fcm-revoked');
    services.setAnswer(() => ({ status: 200 }));
    services.revokeFcm();
    try {
      await send({ to: { users: [user] }, type: 'test.plain', title: 'Nope', key: 'revoked-1' });
      await eventually(async () => (await t.pushJob(user, 'revoked-1', device))?.state === 'completed');
      expect(await t.pushJob(user, 'revoked-1', device, 2)).toBeNull();
      const error = t.logged.find((e) => String((e as Error).message).includes('fcm service rejected'));
      expect((error as Error).message).toMatch(/check CAIRN_FCM_SERVICE_ACCOUNT/);
      expect(await (t.app.db as any).pushDevice.count({ where: { id: device } })).toBe(1);
      expect(services.received.filter((r) => r.address === 'fcm-revoked')).toHaveLength(0);
    } finally {
      services.revokeFcm(false);
    }
    // The server keeps serving and sending.
    const other = await t.user('after-revoke@example.org');
    await t.device(other, 'fcm', 'fcm-after');
    await send({ to: { users: [other] }, type: 'test.plain', title: 'Back', key: 'revoked-2' });
    await eventually(() => services.accepted('fcm-after').length);
  });

  it('preferences: an opted-out channel is not sent, other channels are; a critical type ignores opt-outs; e-mail goes through the mailer', async () => {
    const quiet = await t.user('quiet@example.org');
    const loud = await t.user('loud@example.org');
    const quietSub = services.subscription('quiet-1');
    const loudSub = services.subscription('loud-1');
    const quietDevice = await t.device(quiet, 'webpush', quietSub.address, quietSub.keys);
    await t.device(loud, 'webpush', loudSub.address, loudSub.keys);
    const raw = t.app.db as any;
    await raw.notificationPreference.createMany({
      data: [
        { userId: quiet, type: 'test.plain', channel: 'push', enabled: false },
        { userId: quiet, type: 'test.critical', channel: 'push', enabled: false },
        { userId: quiet, type: 'test.mail', channel: 'inApp', enabled: false },
        { userId: loud, type: 'test.plain', channel: 'email', enabled: true },
      ],
    });
    services.setAnswer(() => ({ status: 201 }));
    await send({ to: { users: [quiet, loud] }, type: 'test.plain', title: 'Plain', key: 'prefs-plain' });
    await t.fannedOut('prefs-plain');
    expect(await t.pushJob(quiet, 'prefs-plain', quietDevice)).toBeNull();
    expect(await inbox(quiet, 'prefs-plain')).toHaveLength(1);
    await eventually(() => services.accepted('loud-1').length);
    // loud switched e-mail on for this type.
    await eventually(() => t.app.auth!.outbox!.messages.find((m) => m.to === 'loud@example.org' && m.subject === 'Plain'));
    expect(t.app.auth!.outbox!.messages.filter((m) => m.to === 'quiet@example.org')).toHaveLength(0);

    await send({ to: { users: [quiet] }, type: 'test.critical', title: 'Critical', key: 'prefs-critical' });
    await eventually(() => services.accepted('quiet-1').find((r) => r.payload.title === 'Critical'));

    await send({ to: { users: [quiet] }, type: 'test.mail', title: 'Mail', body: 'Body', url: '/x', key: 'prefs-mail' });
    const mail = await eventually(() => t.app.auth!.outbox!.messages.find((m) => m.to === 'quiet@example.org' && m.subject === 'Mail'));
    expect(mail.text).toBe('Body\n\n/x');
    await t.fannedOut('prefs-mail');
    expect(await inbox(quiet, 'prefs-mail')).toHaveLength(0);
    // channels on the call narrow the type's.
    await send({ to: { users: [loud] }, type: 'test.plain', title: 'Only inbox', channels: ['inApp'], key: 'prefs-narrow' });
    await t.fannedOut('prefs-narrow');
    expect(await inbox(loud, 'prefs-narrow')).toHaveLength(1);
    expect(services.accepted('loud-1').filter((r) => r.payload.title === 'Only inbox')).toHaveLength(0);
  });

  it('readersOf: a draft reaches its author and admins only; once published, every reader (pages of users)', async () => {
    const author = await t.user('author@example.org');
    const reader = await t.user('reader@example.org');
    const boss = await t.user('boss@example.org', 'user,admin');
    const stranger = await t.user('stranger@example.org');
    const raw = t.app.db as any;
    const post = await raw.post.create({ data: { title: 'Draft', slug: `draft-${Date.now()}`, body: 'not yet', status: 'DRAFT', authorId: author } });
    const among = [author, reader, boss, stranger];
    await send({ to: { readersOf: { model: 'Post', where: { id: post.id } }, among: { users: among } }, type: 'test.plain', title: 'Draft', key: 'draft-1' });
    await t.fannedOut('draft-1', 2);
    const rows = await raw.notification.findMany({ where: { key: 'draft-1' }, select: { userId: true } });
    expect(rows.map((r: { userId: number }) => r.userId).sort()).toEqual([author, boss].sort());

    await raw.post.update({ where: { id: post.id }, data: { status: 'PUBLISHED' } });
    await send({ to: { readersOf: { model: 'Post', where: { id: post.id } }, among: { users: among } }, type: 'test.plain', title: 'Published', key: 'published-1' });
    await t.fannedOut('published-1', 2);
    const all = await raw.notification.findMany({ where: { key: 'published-1' }, select: { userId: true } });
    expect(all.map((r: { userId: number }) => r.userId).sort()).toEqual([...among].sort());
  });

  it('readersOf with relation rules: a conversation\'s members, never anyone outside it', async () => {
    const raw = t.app.db as any;
    const starter = await t.user('starter@example.org');
    const member = await t.user('member@example.org');
    const outsider = await t.user('outsider@example.org');
    const conversation = await raw.conversation.create({ data: { title: 'Plans', startedById: starter, members: { create: [{ userId: starter }, { userId: member }] } } });
    const message = await raw.message.create({ data: { body: 'hi', conversationId: conversation.id, authorId: starter } });
    await send({ to: { readersOf: { model: 'Message', where: { id: message.id } }, among: { users: [starter, member, outsider] } }, type: 'test.plain', title: 'Chat', key: 'chat-rules-1' });
    await t.fannedOut('chat-rules-1', 2);
    const rows = await raw.notification.findMany({ where: { key: 'chat-rules-1' }, select: { userId: true } });
    expect(rows.map((r: { userId: number }) => r.userId).sort()).toEqual([starter, member].sort());
  });

  it('notify inside a transaction that rolls back enqueues nothing and sends nothing', async () => {
    const user = await t.user('rollback@example.org');
    const sub = services.subscription('rollback-1');
    const device = await t.device(user, 'webpush', sub.address, sub.keys);
    const result = await send({ to: { users: [user] }, type: 'test.plain', title: 'Rolled back', key: 'rollback-1' }, true);
    expect(result.errors?.[0]).toMatchObject({ message: 'rolled back on purpose', extensions: { code: 'BAD_USER_INPUT' } });
    // The same input committed is delivered; the rolled-back key never got a job.
    await send({ to: { users: [user] }, type: 'test.plain', title: 'Committed', key: 'rollback-2' });
    await eventually(() => services.accepted('rollback-1').length);
    await t.fannedOut('rollback-2');
    expect(await t.app.jobs!.get('cairn.notify', (await import('../../src/jobs/index.ts')).jobId('cairn.notify', 'k:rollback-1'))).toBeNull();
    expect(await t.pushJob(user, 'rollback-1', device)).toBeNull();
    expect(await inbox(user, 'rollback-1')).toHaveLength(0);
    expect(services.received.filter((r) => r.address === 'rollback-1').map((r) => r.payload.title)).toEqual(['Committed']);
  });

  it('a before hook notifies in the write\'s transaction: a refused write sends nothing, an accepted one sends', async () => {
    const user = await t.user('hooked@example.org');
    const sub = services.subscription('hooked-1');
    const device = await t.device(user, 'webpush', sub.address, sub.keys);
    const create = (name: string) => t.gql('mutation ($name: String!) { createTag(data: { name: $name }) { id } }', { name }, t.as(admin));
    expect((await create(`refuse:${user}`)).errors?.[0]?.message).toBe('refused by the hook');
    expect((await create(`keep:${user}`)).errors).toBeUndefined();
    await eventually(() => services.accepted('hooked-1').length);
    await t.fannedOut(`tag:keep:${user}`);
    expect(await t.app.jobs!.get('cairn.notify', (await import('../../src/jobs/index.ts')).jobId('cairn.notify', `k:tag:refuse:${user}`))).toBeNull();
    expect(await t.pushJob(user, `tag:refuse:${user}`, device)).toBeNull();
    expect(services.received.filter((r) => r.address === 'hooked-1').map((r) => r.payload.title)).toEqual([`tag keep:${user}`]);
  });

  it('a long listed audience goes out in pages whose payloads carry only the ids still to do', async () => {
    const ids = [await t.user('l1@example.org'), await t.user('l2@example.org'), await t.user('l3@example.org'), await t.user('l4@example.org'), await t.user('l5@example.org')];
    await send({ to: { users: ids }, type: 'test.plain', title: 'Long', key: 'long-1' });
    await t.fannedOut('long-1', 3);
    const { derivedId } = await import('../../src/notify/index.ts');
    const { jobId } = await import('../../src/jobs/index.ts');
    const last = await t.app.jobs!.get('cairn.notify', jobId('cairn.notify', `p:${derivedId('notify', 'long-1')}:2`));
    expect((last!.payload as { to: { users: number[] } }).to.users).toEqual(ids.slice(4));
    expect(await (t.app.db as any).notification.count({ where: { key: 'long-1' } })).toBe(5);
  });

  it('bad input is refused at the call with BAD_USER_INPUT naming the field, nothing enqueued', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ to: { users: [1] }, type: 'bad type!' }, 'type'],
      [{ to: { nobody: true }, type: 'test.plain' }, 'to'],
      [{ to: { users: ['x'] }, type: 'test.plain' }, 'to.users'],
      [{ to: { readersOf: { model: 'Nope', where: { id: 1 } } }, type: 'test.plain' }, 'to.readersOf.model'],
      [{ to: { users: [1] }, type: 'test.plain', data: { n: 1 } }, 'data'],
      [{ to: { users: [1] }, type: 'test.plain', channels: ['sms'] }, 'channels'],
      [{ to: { users: [1] }, type: 'test.plain', url: 'javascript:alert(1)' }, 'url'],
    ];
    for (const [input, field] of cases) {
      const result = await send(input);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // Past the GraphQL input limits, from server code: a listed audience holds at most 10 000 ids.
    await expect(t.app.notify({ to: { users: Array.from({ length: 10_001 }, (_, i) => i + 1) }, type: 'test.plain' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'to.users' } });
  });

  it('a malformed or unknown device is dropped without a send; a user id that does not exist is skipped', async () => {
    const user = await t.user('malformed@example.org');
    const broken = await t.device(user, 'webpush', 'https://push.example.net/sub/broken', '{"p256dh":"short","auth":"x"}');
    await send({ to: { users: [user, 999_999] }, type: 'test.plain', title: 'Broken', key: 'broken-1' });
    await eventually(async () => (await (t.app.db as any).pushDevice.count({ where: { id: broken } })) === 0);
    expect(services.received.filter((r) => r.address === 'broken')).toHaveLength(0);
    expect(await (t.app.db as any).notification.count({ where: { key: 'broken-1' } })).toBe(1);
  });
});
