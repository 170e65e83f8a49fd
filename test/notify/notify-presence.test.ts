import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { resolveNotifyInput } from '../../src/notify/index.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { collect, untilOperations, type Stream } from '../realtime/realtime-helpers.ts';
import { fixtures } from '../support/fixtures.ts';
import { sharedRedisUrl } from '../support/redis-server.ts';
import { describeEachProvider, testViewerHeader } from '../support/test-app.ts';
import { createNotifyApp, type NotifyApp } from './notify-app.ts';
import { startPushServices, type PushServices } from './push-services.ts';

const exampleFunctions = fileURLToPath(new URL('../../examples/blog/functions/index.ts', import.meta.url));
const added = 'subscription { notificationAdded { id type title } }';

/** graphql-ws clients whose upgrade request names the viewer (the test apps read it from a header). */
function viewerSockets() {
  const clients: Client[] = [];
  return {
    subscribe(url: string, viewerId: number): { client: Client; stream: Stream } {
      const headers = { [testViewerHeader]: JSON.stringify({ id: viewerId, roles: ['user'] }) };
      const impl = class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      };
      const client = createClient({ url, webSocketImpl: impl, retryAttempts: 0, lazy: true });
      clients.push(client);
      return { client, stream: collect((sink) => client.subscribe({ query: added }, sink)) };
    },
    async disposeAll() {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    },
  };
}

interface Chat {
  ann: number;
  ben: number;
  cat: number;
  devices: { ann: string; ben: string };
  conversationId: number;
}

/** Ann, Ben and Cat in one conversation; Ann and Ben each with a Web Push device at the fake service. */
async function startChat(t: NotifyApp, services: PushServices, tag: string): Promise<Chat> {
  const raw = t.app.db as any;
  const ann = await t.user(`ann-${tag}@example.org`);
  const ben = await t.user(`ben-${tag}@example.org`);
  const cat = await t.user(`cat-${tag}@example.org`);
  const devices = { ann: '', ben: '' };
  for (const [name, id] of [['ann', ann], ['ben', ben]] as const) {
    const sub = services.subscription(`${tag}-${name}`);
    devices[name] = await t.device(id, 'webpush', sub.address, sub.keys);
  }
  const conversation = await raw.conversation.create({ data: { title: tag, startedById: cat, members: { create: [{ userId: ann }, { userId: ben }, { userId: cat }] } } });
  return { ann, ben, cat, devices, conversationId: conversation.id };
}

/** Cat writes; resolves with the delivery's key once every page of it was delivered (its push jobs enqueued). */
async function send(t: NotifyApp, chat: Chat, body: string): Promise<string> {
  const sent = await t.gql('mutation ($data: MessageCreateInput!) { createMessage(data: $data) { id } }', { data: { body, conversationId: chat.conversationId, authorId: chat.cat } }, t.as({ id: chat.cat }));
  expect(sent.errors, JSON.stringify(sent.errors)).toBeUndefined();
  const key = `chat-message:${sent.data.createMessage.id}`;
  await t.fannedOut(key);
  return key;
}

async function inboxOf(t: NotifyApp, key: string): Promise<number[]> {
  return ((await (t.app.db as any).notification.findMany({ where: { key }, select: { userId: true } })) as { userId: number }[]).map((r) => r.userId).sort((a, b) => a - b);
}

describeEachProvider('push only to offline members (presence, one instance)', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  let ws: string;
  const sockets = viewerSockets();
  beforeAll(async () => {
    services = await startPushServices();
    t = await createNotifyApp(provider, services, undefined, { CAIRN_FUNCTIONS: exampleFunctions });
    ws = (await t.app.start()).url.replace(/^http/, 'ws');
  });
  afterEach(() => sockets.disposeAll());
  afterAll(async () => {
    await t?.close();
    await services?.close();
  });

  it('a member with an open subscription gets the inbox entry and notificationAdded but no push; an offline one both; after closing, pushes again', async () => {
    const chat = await startChat(t, services, 'one');
    const { stream } = sockets.subscribe(ws, chat.ann);
    await untilOperations(t.app, 1);
    expect(await t.app.realtime.presence.online([chat.ann, chat.ben, chat.cat])).toEqual(new Set([chat.ann]));

    const first = await send(t, chat, 'Anyone there?');
    expect(await inboxOf(t, first)).toEqual([chat.ann, chat.ben].sort((a, b) => a - b));
    const [entry] = await stream.until(1);
    expect(entry!.data.notificationAdded).toMatchObject({ type: 'chat.message', title: `cat-one@example.org in one` });
    // Push jobs are enqueued in the page's transaction: none for Ann is final once the page ran.
    expect(await t.pushJob(chat.ann, first, chat.devices.ann)).toBeNull();
    expect(await t.pushJob(chat.ben, first, chat.devices.ben)).not.toBeNull();
    await eventually(() => services.accepted('one-ben').length === 1);

    // Ann closes the app: on this instance presence knows at once.
    await sockets.disposeAll();
    await untilOperations(t.app, 0);
    expect(await t.app.realtime.presence.online([chat.ann])).toEqual(new Set());
    const second = await send(t, chat, 'Ann?');
    expect(await inboxOf(t, second)).toEqual([chat.ann, chat.ben].sort((a, b) => a - b));
    const [push] = await eventually(() => services.accepted('one-ann').length && services.accepted('one-ann'));
    expect(push!.payload).toMatchObject({ body: 'Ann?', data: { type: 'chat.message' } });
    await eventually(() => services.accepted('one-ben').length === 2);
    // Nothing doubled: one push per message and device.
    expect(services.accepted('one-ann')).toHaveLength(1);
    expect(stream.results).toHaveLength(1);
  });

  it('online is any streaming operation: SSE counts, a second connection keeps the user online, anonymous ones count for nobody', async () => {
    const chat = await startChat(t, services, 'sse');
    const http = ws.replace(/^ws/, 'http');
    const controller = new AbortController();
    const sse = await fetch(http, { method: 'POST', signal: controller.signal, headers: { 'content-type': 'application/json', accept: 'text/event-stream', [testViewerHeader]: JSON.stringify({ id: chat.ben, roles: ['user'] }) }, body: JSON.stringify({ query: added }) });
    expect(sse.status).toBe(200);
    sockets.subscribe(ws, chat.ann);
    const anonymous = createClient({ url: ws, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    collect((sink) => anonymous.subscribe({ query: 'subscription { postCreated { id } }' }, sink));
    await untilOperations(t.app, 3);
    expect(await t.app.realtime.presence.online([chat.ann, chat.ben, chat.cat])).toEqual(new Set([chat.ann, chat.ben]));
    // Ann's second connection: closing the first keeps her online.
    const second = viewerSockets();
    second.subscribe(ws, chat.ann);
    await untilOperations(t.app, 4);
    await sockets.disposeAll();
    await untilOperations(t.app, 3);
    expect(await t.app.realtime.presence.online([chat.ann, chat.ben])).toEqual(new Set([chat.ann, chat.ben]));
    controller.abort();
    await second.disposeAll();
    await untilOperations(t.app, 1);
    expect(await t.app.realtime.presence.online([chat.ann, chat.ben])).toEqual(new Set());
    await anonymous.dispose();
    await untilOperations(t.app, 0);
  });

  it('push: "offline" is validated like every notify field (BAD_USER_INPUT naming push); "always" is the default', () => {
    const datamodel = fixtureDatamodel;
    expect(() => resolveNotifyInput({ to: { users: [1] }, type: 'x', push: 'sometimes' as never }, datamodel())).toThrowError(expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'push' }) }));
    expect(resolveNotifyInput({ to: { users: [1] }, type: 'x', push: 'always' }, datamodel())).not.toHaveProperty('push');
    expect(resolveNotifyInput({ to: { users: [1] }, type: 'x' }, datamodel())).not.toHaveProperty('push');
    expect(resolveNotifyInput({ to: { users: [1] }, type: 'x', push: 'offline' }, datamodel())).toMatchObject({ push: 'offline' });
  });

  let fixtureDatamodel: () => any;
  beforeAll(async () => {
    const loaded = await loadGenerated(fixtures.blog.generated, provider);
    fixtureDatamodel = () => loaded.datamodel;
  });
});

/** Resolves once a message published by `from` reaches `to`'s bus. */
async function untilListening(to: App, from: App): Promise<void> {
  let heard = false;
  const stop = await to.bus.subscribe('presence-probe', () => (heard = true));
  await eventually(async () => {
    await from.bus.publish('presence-probe', {});
    return heard;
  });
  stop();
}

describeEachProvider('push only to offline members (presence across instances, Redis)', (provider) => {
  let services: PushServices;
  let t: NotifyApp;
  let other: App;
  let otherWs: string;
  const sockets = viewerSockets();
  beforeAll(async () => {
    services = await startPushServices();
    const redis = { REDIS_URL: sharedRedisUrl, CAIRN_REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:` };
    // Instance 2 (this one) runs the job workers: every delivery is fanned out here.
    t = await createNotifyApp(provider, services, undefined, { CAIRN_FUNCTIONS: exampleFunctions, ...redis });
    // Instance 1: the same database and Redis, no workers; members connect to it.
    other = await buildApp({
      config: { ...t.app.config, port: 0, syncSchema: 'off' },
      generated: await loadGenerated(fixtures.blog.generated, provider),
      logError: () => {},
      warn: () => {},
      resolveViewer: async (request) => {
        const header = request.headers.get(testViewerHeader);
        return header ? { id: JSON.parse(header).id, roles: ['user'] } : null;
      },
    });
    otherWs = (await other.start()).url.replace(/^http/, 'ws');
    // Instance 1's bus listens (a connection re-established while starting would signal missed events).
    await untilListening(other, t.app);
  });
  afterEach(() => sockets.disposeAll());
  afterAll(async () => {
    await other?.stop();
    await t?.close();
    await services?.close();
  });

  it('a member subscribed on instance 1 is online for a message delivered by instance 2; closing there makes them offline here', async () => {
    const chat = await startChat(t, services, 'two');
    const { stream } = sockets.subscribe(otherWs, chat.ann);
    await untilOperations(other, 1);
    expect(t.app.realtime.stats().operations).toBe(0);
    // Instance 1 writes the hold as Ann's first operation opens; this instance reads it from Redis.
    await eventually(async () => (await t.app.realtime.presence.online([chat.ann])).size);
    expect(await t.app.realtime.presence.online([chat.ann, chat.ben])).toEqual(new Set([chat.ann]));

    const first = await send(t, chat, 'Across instances');
    expect(await inboxOf(t, first)).toEqual([chat.ann, chat.ben].sort((a, b) => a - b));
    // notificationAdded reaches Ann on instance 1 over the Redis bus; or, when that instance's bus
    // connection was re-established meanwhile (a freshly started ioredis subscriber may reconnect
    // once), the missed-events signal does, and the client re-reads its inbox there, as clients do.
    const entry = await eventually(() => stream.results.find((r) => r.data?.notificationAdded || r.extensions?.cairn?.missedEvents));
    if (entry.data?.notificationAdded) expect(entry.data.notificationAdded.type).toBe('chat.message');
    else {
      const response = await other.yoga.fetch('http://cairn.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [testViewerHeader]: JSON.stringify({ id: chat.ann, roles: ['user'] }) },
        body: JSON.stringify({ query: '{ notifications(first: 5) { edges { node { type body } } } }' }),
      });
      expect((await response.json()).data.notifications.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ type: 'chat.message', body: 'Across instances' });
    }
    expect(await t.pushJob(chat.ann, first, chat.devices.ann)).toBeNull();
    expect(await t.pushJob(chat.ben, first, chat.devices.ben)).not.toBeNull();
    await eventually(() => services.accepted('two-ben').length === 1);

    // A clean close releases Ann's hold at once (a crashed instance's would lapse within CAIRN_PRESENCE_TTL_MS).
    await sockets.disposeAll();
    await untilOperations(other, 0);
    await eventually(async () => !(await t.app.realtime.presence.online([chat.ann])).size);
    await send(t, chat, 'Back to push');
    await eventually(() => services.accepted('two-ann').length === 1);
    await eventually(() => services.accepted('two-ben').length === 2);
  });
});
