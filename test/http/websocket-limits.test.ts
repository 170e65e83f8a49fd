import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

interface Socket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the server acknowledged connection_init, or with the close if it refused. */
  init(payload?: Record<string, unknown>): Promise<'ack' | { code: number; reason: string }>;
}

describeEachProvider('WebSocket limits (graphql-ws)', (provider) => {
  let t: TestApp;
  let url: string;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    t = await createTestApp('blog', provider, {
      ...authEnv,
      CAIRN_WS_MAX_PER_ADDRESS: '4',
      CAIRN_WS_MAX_PER_VIEWER: '2',
      CAIRN_WS_MAX_OPERATIONS: '2',
      CAIRN_WS_INIT_TIMEOUT_MS: '300',
    });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await t?.close();
  });

  const open = async (): Promise<Socket> => {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    sockets.push(ws);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    const init = (payload?: Record<string, unknown>) => {
      ws.send(JSON.stringify({ type: 'connection_init', payload }));
      return Promise.race([
        new Promise<'ack'>((resolve) => ws.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve('ack'))),
        closed,
      ]);
    };
    return { ws, messages, closed, init };
  };
  const closeAll = async (list: Socket[]) => {
    for (const s of list) s.ws.close();
    await Promise.all(list.map((s) => s.closed));
  };

  it('closes a socket that sends no connection_init in time (4408)', async () => {
    const idle = await open();
    expect(await idle.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('caps connections per client address (1013, naming the limit), and frees the slot on close', async () => {
    const four = await Promise.all([open(), open(), open(), open()]);
    for (const s of four) expect(await s.init()).toBe('ack');
    const fifth = await open();
    expect(await fifth.closed).toEqual({ code: 1013, reason: 'Too many connections from this address (CAIRN_WS_MAX_PER_ADDRESS=4)' });
    await closeAll([four[0]!]);
    const again = await open();
    expect(await again.init()).toBe('ack');
    await closeAll([...four.slice(1), again]);
  });

  it('caps connections per signed-in viewer; anonymous sockets are not counted against anyone', async () => {
    const { token } = await signUp(t, 'ws-limits@example.org');
    const mine = [await open(), await open()];
    for (const s of mine) expect(await s.init({ token })).toBe('ack');
    const third = await open();
    expect(await third.init({ token })).toEqual({ code: 1013, reason: 'Too many connections for this viewer (CAIRN_WS_MAX_PER_VIEWER=2)' });
    const anonymous = await open();
    expect(await anonymous.init()).toBe('ack');
    await closeAll([...mine, anonymous]);
  });

  it('caps operations running at once on one connection: the extra ones get BAD_USER_INPUT naming the limit', async () => {
    const s = await open();
    expect(await s.init()).toBe('ack');
    // One burst, one TCP write: the server sees all ten before any can finish.
    const socket = (s.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.cork();
    for (let i = 0; i < 10; i++) s.ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: '{ postsCount }' } }));
    socket.uncork();
    await new Promise<void>((resolve) => {
      const check = () => (s.messages.filter((m) => m.type === 'complete' || m.type === 'error').length >= 10 ? resolve() : setTimeout(check, 20));
      check();
    });
    const refused = s.messages.filter((m) => m.type === 'error');
    const answered = s.messages.filter((m) => m.type === 'next');
    expect(answered.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].payload[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'wsMaxOperations', max: 2 });
    await closeAll([s]);
  });

  it('closes open sockets with 1001 when the app stops', async () => {
    const s = await open();
    expect(await s.init()).toBe('ack');
    await t.app.stop();
    expect((await s.closed).code).toBe(1001);
  });
});
