import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, bearer, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { collect, mutations, untilOperations, untilStreams, wsClients, type Received } from './realtime-helpers.ts';

/** Yoga's own SSE: POST the operation with `Accept: text/event-stream`, read `event: next` frames. */
function yogaSse(url: string, query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  return collect((sink) => {
    void (async () => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
          body: JSON.stringify({ query }),
          signal: controller.signal,
        });
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event === 'next' && data) sink.next(JSON.parse(data) as Received);
            if (event === 'complete') return sink.complete();
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

describeEachProvider('realtime: transports, limits, session ends, shutdown', (provider) => {
  let t: TestApp;
  let base: string;
  let alice: { token: string; id: number };
  let as: ReturnType<typeof mutations>;
  const ws = wsClients(() => base.replace(/^http/, 'ws'));
  const stops: (() => void)[] = [];
  let n = 0;
  const publish = (title: string) => as(alice.token).create('Post', { slug: `t${++n}`, title, status: 'PUBLISHED', authorId: alice.id });

  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2', CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER: '3', CAIRN_SUBSCRIPTION_RECHECK_MS: '100' });
    base = (await t.app.start()).url;
    alice = await signUp(t, 'alice@example.org');
    as = mutations(t.gql);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await ws.disposeAll();
    await untilOperations(t.app, 0);
  });
  afterAll(() => t.close());

  it("SSE, yoga's own (Accept: text/event-stream) and the graphql-sse protocol (/graphql/stream), deliver the same events", async () => {
    const own = yogaSse(base, 'subscription { postCreated { title } }');
    const sse = createSseClient({ url: `${base}/stream`, retryAttempts: 0 });
    const protocol = collect((sink) => sse.subscribe({ query: 'subscription { postCreated { title } }' }, sink as never));
    stops.push(own.stop, protocol.stop, () => sse.dispose());
    await untilStreams(t.app, 2);
    await publish('Over SSE');
    expect((await own.until(1))[0]).toEqual({ data: { postCreated: { title: 'Over SSE' } } });
    expect((await protocol.until(1))[0]).toEqual({ data: { postCreated: { title: 'Over SSE' } } });
  });

  it('SSE uses the same authentication and rules as HTTP (a draft reaches its author only)', async () => {
    const asAlice = yogaSse(base, 'subscription { postCreated { title } }', bearer(alice.token));
    const anonymous = yogaSse(base, 'subscription { postCreated { title } }');
    stops.push(asAlice.stop, anonymous.stop);
    await untilStreams(t.app, 2);
    await as(alice.token).create('Post', { slug: `t${++n}`, title: 'Draft', status: 'DRAFT', authorId: alice.id });
    await publish('Public');
    expect((await asAlice.until(2)).map((r) => r.data.postCreated.title)).toEqual(['Draft', 'Public']);
    expect((await anonymous.until(1)).map((r) => r.data.postCreated.title)).toEqual(['Public']);
  });

  it('caps subscriptions per connection and per signed-in user (RATE_LIMITED), and frees the slot when one completes', async () => {
    const client = ws.connect();
    const a = ws.subscribe(client, 'subscription { postCreated { id } }');
    ws.subscribe(client, 'subscription { postUpdated { id } }');
    await untilOperations(t.app, 2);
    const third = ws.subscribe(client, 'subscription { postDeleted { id } }');
    const [refused] = await third.until(1);
    expect(refused!.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused!.errors?.[0]?.message).toMatch(/CAIRN_MAX_SUBSCRIPTIONS_PER_CONNECTION = 2/);
    a.stop();
    await untilOperations(t.app, 1);
    const again = ws.subscribe(client, 'subscription { postDeleted { id } }');
    await untilOperations(t.app, 2);
    expect(again.results).toEqual([]);

    // Per user, across connections: 3 for alice on this instance.
    const params = { authorization: `Bearer ${alice.token}` };
    for (let i = 0; i < 3; i++) ws.subscribe(ws.connect(params), 'subscription { postCreated { id } }');
    await untilOperations(t.app, 5);
    const [overViewer] = await ws.subscribe(ws.connect(params), 'subscription { postCreated { id } }').until(1);
    expect(overViewer!.errors?.[0]?.message).toMatch(/CAIRN_MAX_SUBSCRIPTIONS_PER_VIEWER = 3/);
  });

  it('a revoked session ends its subscriptions with UNAUTHENTICATED, on graphql-ws and SSE', async () => {
    const session = (await t.gql('mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: 'alice@example.org', p: 'correct horse battery staple' })).data.signIn.token as string;
    const overWs = ws.subscribe(ws.connect({ authorization: `Bearer ${session}` }), 'subscription { postCreated { id } }');
    const overSse = yogaSse(base, 'subscription { postCreated { id } }', bearer(session));
    stops.push(overSse.stop);
    await untilStreams(t.app, 2);
    const other = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), 'subscription { postCreated { title } }');
    await untilStreams(t.app, 3);
    expect((await t.gql('mutation { signOut }', {}, bearer(session))).data).toEqual({ signOut: true });
    for (const stream of [overWs, overSse]) {
      await stream.ended;
      expect(stream.results.at(-1)!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    // Alice's other session keeps its subscription.
    await publish('Still here');
    expect((await other.until(1))[0]!.data).toEqual({ postCreated: { title: 'Still here' } });
  });

  it('stopping the server completes every open subscription cleanly', async () => {
    const own = await createTestApp('blog', provider, authEnv);
    const url = (await own.app.start()).url;
    const clients = wsClients(() => url.replace(/^http/, 'ws'));
    const streams = [clients.subscribe(clients.connect(), 'subscription { postCreated { id } }'), yogaSse(url, 'subscription { postChanged { kind } }')];
    await untilStreams(own.app, 2);
    await own.close();
    for (const stream of streams) expect(await stream.ended).toEqual({});
    await clients.disposeAll();
  });
});
