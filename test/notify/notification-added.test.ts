import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { bearer } from '../support/auth-helpers.ts';
import { sharedRedisUrl } from '../support/redis-server.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';
import { collect, untilOperations, wsClients, type Received } from '../realtime/realtime-helpers.ts';
import { createInboxApp, insertNotifications, user, type User } from './inbox-app.ts';

const added = 'subscription { notificationAdded { id type title data createdAt readAt } }';

/** Yoga's own SSE transport: POST with `Accept: text/event-stream`, `event: next` frames. */
function sse(url: string, query: string, headers: Record<string, string>) {
  const controller = new AbortController();
  return collect((sink) => {
    void (async () => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers }, body: JSON.stringify({ query }), signal: controller.signal });
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (/^event: next$/m.test(frame) && data) sink.next(JSON.parse(data) as Received);
            if (/^event: complete$/m.test(frame)) return sink.complete();
          }
        }
        sink.complete();
      } catch (error) {
        if (!controller.signal.aborted) sink.error(error);
      }
    })();
    return () => controller.abort();
  });
}

describeEachProvider('notificationAdded', (provider) => {
  let t: TestApp;
  let url: string;
  let alice: User;
  let bob: User;
  const ws = wsClients(() => url.replace(/^http/, 'ws'));
  const stops: (() => void)[] = [];
  const untilSubscribers = async (count: number) => {
    while (t.app.notificationApi!.stats().subscribers !== count) await new Promise((r) => setTimeout(r, 5));
  };

  beforeAll(async () => {
    t = await createInboxApp(provider, { CAIRN_SUBSCRIPTION_RECHECK_MS: '100' });
    url = (await t.app.start()).url;
    alice = await user(t, 'alice@added.test');
    bob = await user(t, 'bob@added.test');
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await ws.disposeAll();
    await untilOperations(t.app, 0);
    await untilSubscribers(0);
  });
  afterAll(() => t?.close());

  it("delivers over graphql-ws only the viewer's own new notifications, in order; marks are not additions", async () => {
    const aliceStream = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), added);
    const bobStream = ws.subscribe(ws.connect({ authorization: `Bearer ${bob.token}` }), added);
    await untilSubscribers(2);
    const [a1] = await insertNotifications(t, [{ userId: alice.id, title: 'for alice 1', data: JSON.stringify({ postId: '3' }) }]);
    await insertNotifications(t, [{ userId: bob.id, title: 'for bob' }]);
    await t.gql('mutation ($ids: [ID!]) { markNotificationsRead(ids: $ids) { unread } }', { ids: [a1] }, alice.headers);
    // One commit with rows for both: each goes to its own user.
    await insertNotifications(t, [
      { userId: alice.id, title: 'for alice 2', type: 'securityAlert' },
      { userId: bob.id, title: 'for bob 2' },
    ]);

    const mine = await aliceStream.until(2);
    expect(mine.map((r) => r.data.notificationAdded.title)).toEqual(['for alice 1', 'for alice 2']);
    expect(mine[0]!.data.notificationAdded).toMatchObject({ id: a1, type: 'comment', data: { postId: '3' }, readAt: null });
    expect(mine[1]!.data.notificationAdded.type).toBe('securityAlert');
    expect((await bobStream.until(2)).map((r) => r.data.notificationAdded.title)).toEqual(['for bob', 'for bob 2']);
    // Nothing else arrived for either (a later own notification is the next result).
    await insertNotifications(t, [{ userId: alice.id, title: 'for alice 3' }]);
    expect((await aliceStream.until(3)).map((r) => r.data.notificationAdded.title)).toEqual(['for alice 1', 'for alice 2', 'for alice 3']);
    expect(bobStream.results).toHaveLength(2);
  });

  it('delivers over SSE alike', async () => {
    const stream = sse(url, added, bearer(alice.token));
    stops.push(stream.stop);
    await untilSubscribers(1);
    await insertNotifications(t, [{ userId: bob.id, title: 'not yours' }, { userId: alice.id, title: 'over sse' }]);
    const [first] = await stream.until(1);
    expect(first!.data.notificationAdded.title).toBe('over sse');
  });

  it('refuses signed-out subscribers and ends when the session does', async () => {
    const anonymous = ws.subscribe(ws.connect(), added);
    const [refusal] = await anonymous.until(1);
    expect(refusal!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const carol = await user(t, 'carol@added.test');
    const stream = ws.subscribe(ws.connect({ authorization: `Bearer ${carol.token}` }), added);
    await untilSubscribers(1);
    await t.gql('mutation { signOut }', {}, carol.headers);
    const [ended] = await stream.until(1);
    expect(ended!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await untilSubscribers(0);
    await insertNotifications(t, [{ userId: carol.id, title: 'after sign-out' }]);
    expect(stream.results).toHaveLength(1);
  });
});

describeEachProvider('notificationAdded over the Redis bus', (provider) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let url: string;
  const ws = wsClients(() => url);
  beforeAll(async () => {
    t = await createInboxApp(provider, { REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:` });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    alice = await user(t, 'alice@redis.test');
    bob = await user(t, 'bob@redis.test');
  });
  afterAll(async () => {
    await ws.disposeAll();
    await t?.close();
  });

  it('round-trips the rows through Redis (dates and all) to their own user only', async () => {
    const stream = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), added);
    while (t.app.notificationApi!.stats().subscribers !== 1) await new Promise((r) => setTimeout(r, 5));
    const [id] = await insertNotifications(t, [{ userId: alice.id, title: 'via redis', createdAt: '2026-02-03T04:05:06.789Z' }]);
    await insertNotifications(t, [{ userId: bob.id, title: 'not yours' }]);
    await insertNotifications(t, [{ userId: alice.id, title: 'second' }]);
    const results = await stream.until(2);
    expect(results[0]!.data.notificationAdded).toMatchObject({ id, title: 'via redis', createdAt: '2026-02-03T04:05:06.789Z' });
    expect(results.map((r) => r.data.notificationAdded.title)).toEqual(['via redis', 'second']);
  });
});
