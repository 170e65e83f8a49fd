import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilOperations, untilStreams } from './realtime-helpers.ts';

/** A raw graphql-transport-ws peer: what it receives, the WebSocket pings it saw, how it closed. */
async function openPeer(url: string, options: { autoPong: boolean }) {
  const ws = new WebSocket(url, 'graphql-transport-ws', { autoPong: options.autoPong });
  const messages: any[] = [];
  let pings = 0;
  const pingWaiters: { count: number; resolve: () => void }[] = [];
  ws.on('ping', () => {
    pings++;
    for (const w of pingWaiters.filter((w) => pings >= w.count)) w.resolve();
  });
  const arrived: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    arrived.splice(0).forEach((resolve) => resolve());
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  const until = async (match: (message: any) => boolean) => {
    while (!messages.some(match)) await new Promise<void>((resolve) => arrived.push(resolve));
    return messages.find(match);
  };
  ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await until((m) => m.type === 'connection_ack');
  return {
    ws,
    messages,
    closed,
    until,
    pings: () => pings,
    /** Resolves once the peer has seen `count` pings in all. */
    pinged: (count: number) => new Promise<void>((resolve) => (pings >= count ? resolve() : pingWaiters.push({ count, resolve }))),
    subscribe: (id: string, query: string) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } })),
  };
}

describeEachProvider('realtime: WebSocket keep-alive (CAIRN_WS_PING_MS)', (provider) => {
  let t: TestApp;
  let url: string;
  let author: { token: string; id: number };

  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_WS_PING_MS: '100' });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    author = await signUp(t, 'pinged@example.org');
  });
  afterAll(() => t.close());

  it('terminates a peer that does not answer pings (its subscription ends); one that answers stays subscribed and keeps receiving', async () => {
    const silent = await openPeer(url, { autoPong: false });
    const answering = await openPeer(url, { autoPong: true });
    silent.subscribe('s', 'subscription { postCreated { title } }');
    answering.subscribe('a', 'subscription { postCreated { title } }');
    await untilOperations(t.app, 2);
    await untilStreams(t.app, 2);

    // The silent peer was pinged, did not answer, and was dropped at the next tick (no close handshake: 1006).
    expect(await silent.closed).toBe(1006);
    expect(silent.pings()).toBeGreaterThanOrEqual(1);
    // Its subscription was released on the server.
    await untilOperations(t.app, 1);
    await untilStreams(t.app, 1, 'exactly');

    // The answering peer outlives several more ticks and still gets events.
    const seen = answering.pings();
    await answering.pinged(seen + 3);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    await mutations(t.gql)(author.token).create('Post', { slug: 'kept-alive', title: 'Still here', body: 'b', status: 'PUBLISHED', authorId: author.id });
    expect(await answering.until((m) => m.type === 'next' && m.id === 'a')).toMatchObject({ payload: { data: { postCreated: { title: 'Still here' } } } });
    answering.ws.close();
    await answering.closed;
    await untilOperations(t.app, 0);
  });
});

describeEachProvider('realtime: idle WebSockets time out (CAIRN_WS_IDLE_TIMEOUT_MS)', (provider) => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_WS_PING_MS: '0', CAIRN_WS_IDLE_TIMEOUT_MS: '200' });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
  });
  afterAll(() => t.close());

  it('closes a socket that runs nothing (1000 "idle"); one with a subscription stays open until the subscription ends', async () => {
    const idle = await openPeer(url, { autoPong: true });
    const busy = await openPeer(url, { autoPong: true });
    busy.subscribe('b', 'subscription { postCreated { title } }');
    await untilOperations(t.app, 1);
    const reason = new Promise<string>((resolve) => idle.ws.once('close', (_code, why) => resolve(String(why))));
    expect(await idle.closed).toBe(1000);
    expect(await reason).toBe('idle');
    // Several idle timeouts later the socket with a running subscription is still open…
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(busy.ws.readyState).toBe(WebSocket.OPEN);
    // …and once its client completes it, it is idle too and closed.
    busy.ws.send(JSON.stringify({ id: 'b', type: 'complete' }));
    expect(await busy.closed).toBe(1000);
    await untilOperations(t.app, 0);
  });
});
