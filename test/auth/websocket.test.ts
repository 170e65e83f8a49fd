import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authEnv, signIn, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

interface Result {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describeEachProvider('auth: WebSocket (graphql-ws)', (provider) => {
  let t: TestApp;
  let url: string;
  let token: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv);
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    token = (await signUp(t, 'ws@example.org')).token;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  const connect = (connectionParams?: Record<string, unknown>, headers?: Record<string, string>) => {
    class WithHeaders extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({ url, connectionParams, webSocketImpl: headers ? WithHeaders : WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    return client;
  };
  const run = (client: Client, query: string): Promise<Result> =>
    new Promise((resolve, reject) => {
      let result: Result = {};
      client.subscribe(
        { query },
        {
          next: (value) => (result = value as Result),
          // graphql-ws reports operation-level errors (parse, validation, context) as an error list.
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(result),
        },
      );
    });

  it('authenticates with the token in the connection params: { authorization: "Bearer …" } or { token }', async () => {
    expect((await run(connect({ authorization: `Bearer ${token}` }), '{ me { email } }')).data).toEqual({ me: { email: 'ws@example.org' } });
    expect((await run(connect({ token }), '{ me { email roles } }')).data).toEqual({ me: { email: 'ws@example.org', roles: 'user' } });
  });

  it('without a token, or with a forged one, the viewer is nobody', async () => {
    expect((await run(connect(), '{ me { email } }')).data).toEqual({ me: null });
    expect((await run(connect({ token: 'a'.repeat(32) }), '{ me { email } }')).data).toEqual({ me: null });
    const denied = await run(connect({ token: 'nope' }), '{ mySessions { id } }');
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('mutations work over the socket, and a revoked session stops working on the open connection', async () => {
    const second = (await signIn(t, 'ws@example.org')).data.signIn.token;
    const client = connect({ token: second });
    expect((await run(client, '{ me { email } }')).data.me.email).toBe('ws@example.org');
    expect((await run(client, 'mutation { signOut }')).data).toEqual({ signOut: true });
    expect((await run(client, '{ me { email } }')).data).toEqual({ me: null });
  });

  it('a session cookie on the upgrade counts only from a trusted Origin (no cross-site WebSocket hijacking)', async () => {
    const cookie = `cairn_session=${token}`;
    const trusted = await run(connect({}, { cookie, origin: 'http://cairn.test' }), '{ me { email } }');
    expect(trusted.data).toEqual({ me: { email: 'ws@example.org' } });
    const hijack = await run(connect({}, { cookie, origin: 'https://evil.example' }), '{ me { email } }');
    expect(hijack.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(hijack.data).toBeUndefined();
  });

  it('invalid documents get coded errors and the connection stays usable', async () => {
    const client = connect({ token });
    const parse = await run(client, '{ me { ');
    expect(parse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const validation = await run(client, '{ me { passwordHash } }');
    expect(validation.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await run(client, '{ me { email } }')).data.me.email).toBe('ws@example.org');
  });
});
