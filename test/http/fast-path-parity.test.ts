import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadGenerated } from '../../src/db/index.ts';
import { shapes } from '../../bench/shapes.ts';
import { seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { fixtures } from '../support/fixtures.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { password } from '../support/auth-helpers.ts';
import { createLogger } from '../../src/http/index.ts';
import { createPasswordUser } from '../../src/auth/create-password-user.ts';

/**
 * The HTTP fast path (src/http/serve-fast-path.ts) against yoga itself: the example app served
 * twice from one database, once with the fast path and once with CAIRN_HTTP_FAST_PATH=0, gets the
 * same corpus of raw HTTP requests; status, body and the headers that matter must be the same,
 * and the fast path must have answered the plain requests itself and handed the rest to yoga.
 */
const trusted = 'http://trusted.test';
const env = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'http://cairn.test',
  CAIRN_ALLOWED_ORIGINS: trusted,
  CAIRN_MAX_DEPTH: '6',
  CAIRN_MAX_COST: '5000',
  CAIRN_MAX_BODY_BYTES: '100000',
};

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A JSON value (stringified), or a raw string. */
  body?: unknown;
  raw?: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(port: number, { method = 'POST', path = '/graphql', headers = {}, body, raw }: Sent): Promise<Answer> {
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const all = { ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }), ...headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The headers compared; set-cookie by shape (the token and dates differ), x-request-id by presence unless sent. */
function comparable(answer: Answer, sentId: string | undefined, bodyShape?: (body: any) => unknown) {
  const h = answer.headers;
  const pick = ['content-type', 'content-encoding', 'content-length', 'vary', 'retry-after', 'allow', 'accept', 'connection'];
  const headers: Record<string, unknown> = {};
  for (const name of pick) if (h[name] !== undefined) headers[name] = h[name];
  for (const name of Object.keys(h).filter((n) => n.startsWith('access-control-'))) headers[name] = h[name];
  if (h['set-cookie']) headers['set-cookie'] = h['set-cookie'].map((c) => c.replace(/=[^;]*/, '=<value>').replace(/Expires=[^;]*/i, 'Expires=<date>'));
  headers['x-request-id'] = sentId ? h['x-request-id'] === sentId : typeof h['x-request-id'] === 'string' && h['x-request-id'].length > 0;
  let body: unknown = answer.body.toString('base64');
  if (bodyShape && !h['content-encoding']) {
    body = bodyShape(JSON.parse(answer.body.toString('utf8')));
    delete headers['content-length'];
  }
  return { status: answer.status, headers, body };
}

describeEachProvider('HTTP fast path parity with yoga', (provider) => {
  let t: TestApp;
  let slow: App;
  let fastPort: number;
  let slowPort: number;
  let seed: BlogSeed;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp('blog', provider, env);
    seed = await seedBlog(t);
    fastPort = (await t.app.start()).port;
    slow = await buildApp({
      config: Object.freeze({ ...t.app.config, httpFastPath: false, syncSchema: 'off' as const }),
      generated: await loadGenerated(fixtures.blog.generated, provider),
      logError: () => {},
      warn: () => {},
    });
    slowPort = (await slow.start()).port;
    token = (await t.app.auth!.sessions.create(seed.users.alice, { userAgent: 'parity' })).token;
    await createPasswordUser({ db: t.app.db, datamodel: (await loadGenerated(fixtures.blog.generated, provider)).datamodel, email: 'pw@example.com', password });
  });
  afterAll(async () => {
    await slow?.stop();
    await t?.close();
  });

  it('serves with the fast path on one app and without it on the other', () => {
    expect(t.app.httpFastPath).not.toBeNull();
    expect(slow.httpFastPath).toBeNull();
  });

  it('is off when an embedder plugin hooks into yoga\'s HTTP layer, on with envelop-only plugins', async () => {
    const generated = await loadGenerated(fixtures.blog.generated, provider);
    const build = (plugins: object[]) => buildApp({ config: Object.freeze({ ...t.app.config, syncSchema: 'off' as const }), generated, plugins, logError: () => {}, warn: () => {} });
    for (const [plugin, on] of [[{ onResponse() {} }, false], [{ onParams() {} }, false], [{ onRequest() {} }, false], [{ onExecute() {} }, true]] as const) {
      const app = await build([plugin]);
      expect(app.httpFastPath !== null, JSON.stringify(Object.keys(plugin))).toBe(on);
      await app.stop();
    }
  });

  it('writes the same request log lines', async () => {
    const generated = await loadGenerated(fixtures.blog.generated, provider);
    const logged = async (httpFastPath: boolean) => {
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
      const app = await buildApp({ config: Object.freeze({ ...t.app.config, httpFastPath, syncSchema: 'off' as const }), generated, logger, logError: () => {}, warn: () => {} });
      const { port } = await app.start();
      return { app, port, lines };
    };
    const [fast, slowLogged] = [await logged(true), await logged(false)];
    try {
      const corpus: Sent[] = [
        { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'log-1' }, body: { query: shape('byId').cairn, variables: vars.byId!(), operationName: 'ById' } },
        { headers: { 'x-request-id': 'log-2' }, body: { query: 'mutation { createPost(data: { title: "t", slug: "s", body: "b" }) { id } }' } },
        { headers: { 'x-request-id': 'log-3' }, body: { query: '{ posts(take: 100) { comments(take: 100) { id } } }' } },
        { headers: { 'x-request-id': 'log-4' }, body: { query: '{ nope }' } },
      ];
      for (const sent of corpus) {
        await send(fast.port, sent);
        await send(slowLogged.port, sent);
      }
      expect(fast.app.httpFastPath).toEqual({ fast: 3, yoga: 1 });
      const requests = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === 'request').map(({ time: _t, durationMs: _d, pid: _p, ...line }) => line);
      expect(requests(fast.lines)).toHaveLength(4);
      expect(requests(fast.lines)).toEqual(requests(slowLogged.lines));
    } finally {
      await fast.app.stop();
      await slowLogged.app.stop();
    }
  });

  const bearer = () => ({ authorization: `Bearer ${token}` });
  /** Sends `sent` to both, expects the same answer, and that the fast path answered it (`fast`), yoga did, or node's parser before either (`node`). */
  async function same(sent: Sent | (() => Sent), via: 'fast' | 'yoga' | 'node', bodyShape?: (body: any) => unknown) {
    // A function builds the request anew for each app (e.g. a unique name per write).
    const requestFor = () => (typeof sent === 'function' ? sent() : sent);
    const request = requestFor();
    const stats = t.app.httpFastPath!;
    const before = { ...stats };
    const fast = await send(fastPort, request);
    const after = { ...stats };
    const slowAnswer = await send(slowPort, requestFor());
    const sentId = request.headers?.['x-request-id'];
    expect(comparable(fast, sentId, bodyShape)).toEqual(comparable(slowAnswer, sentId, bodyShape));
    expect({ fast: after.fast - before.fast, yoga: after.yoga - before.yoga }).toEqual(via === 'fast' ? { fast: 1, yoga: 0 } : via === 'yoga' ? { fast: 0, yoga: 1 } : { fast: 0, yoga: 0 });
    return { fast, slow: slowAnswer };
  }

  const shape = (name: string) => shapes.find((s) => s.name === name)!;
  const vars: Record<string, () => Record<string, unknown>> = {
    byId: () => ({ id: seed.posts['graphql-basics'] }),
    page: () => ({ skip: 0 }),
    nested: () => ({ skip: 0 }),
    connection: () => ({ status: 'PUBLISHED' }),
    search: () => ({ q: 'G', who: 'A' }),
    aggregate: () => ({ a: seed.users.alice }),
  };

  for (const name of Object.keys(vars)) {
    it(`${name}: signed in (bearer) and anonymous`, async () => {
      const body = () => ({ query: shape(name).cairn, variables: vars[name]!() });
      const { fast } = await same(() => ({ headers: bearer(), body: body() }), 'fast');
      expect(JSON.parse(fast.body.toString()).errors).toBeUndefined();
      await same(() => ({ body: body() }), 'fast');
      await same(() => ({ headers: { ...bearer(), accept: 'application/json', 'accept-encoding': 'gzip, deflate, br' }, body: body() }), 'fast');
    });
  }

  it('a large response is compressed alike (brotli, gzip, none)', async () => {
    const query = `{ ${['a', 'b', 'c', 'd', 'e'].map((a) => `${a}: posts(take: 50) { id title slug status views body publishedAt }`).join(' ')} }`;
    for (const encoding of ['br', 'gzip', 'gzip;q=0, br;q=0', undefined]) {
      const { fast } = await same({ headers: { ...bearer(), ...(encoding && { 'accept-encoding': encoding }) }, body: { query } }, 'fast');
      await same({ headers: { origin: 'http://evil.test', ...(encoding && { 'accept-encoding': encoding }) }, body: { query } }, 'fast');
      expect(fast.headers['content-encoding']).toBe(encoding === 'br' ? 'br' : encoding === 'gzip' ? 'gzip' : undefined);
      expect(fast.headers.vary).toMatch(/Accept-Encoding/);
    }
  });

  it('errors the fast path answers: variables, cost limit, refused mutation, run-as refusal', async () => {
    const byId = shape('byId').cairn;
    await same({ body: { query: byId, variables: { id: 'x' } } }, 'fast');
    await same({ body: { query: byId, variables: {} } }, 'fast');
    await same({ body: { query: byId, variables: null, operationName: 'Nope' } }, 'yoga');
    await same({ body: { query: '{ posts(take: 100) { comments(take: 100) { id } } }' } }, 'fast');
    await same({ body: { query: 'mutation { createPost(data: { title: "t", slug: "s", body: "b" }) { id } }' } }, 'fast');
    await same({ headers: { 'x-cairn-run-as': String(seed.users.bob) }, body: { query: '{ me { id } }' } }, 'fast');
  });

  it('a mutation that succeeds (shapes compared, not ids)', async () => {
    let n = 0;
    await same(() => ({ headers: bearer(), body: { query: `mutation { createTag(data: { name: "parity-${provider}-${n++}" }) { id name } }` } }), 'fast', (body) => ({
      ...body,
      data: { createTag: { id: typeof body.data?.createTag?.id, name: String(body.data?.createTag?.name).replace(/\d+$/, 'N') } },
    }));
  });

  it('requests yoga answers: validation, syntax, params, batches, JSON, media types, methods', async () => {
    await same({ body: { query: '{ posts { nope } }' } }, 'yoga');
    await same({ body: { query: '{ posts { id ' } }, 'yoga');
    await same({ body: { query: '' } }, 'yoga');
    await same({ body: {} }, 'yoga');
    await same({ body: { query: '{ posts { id } }', other: 1 } }, 'yoga');
    await same({ body: { query: '{ posts { id } }', variables: [] } }, 'yoga');
    await same({ body: { query: '{ posts { id } }', extensions: 'x' } }, 'yoga');
    await same({ body: [{ query: '{ posts { id } }' }, { query: '{ tags { id } }' }] }, 'yoga');
    await same({ body: null }, 'yoga');
    await same({ body: 'a string' }, 'yoga');
    await same({ raw: '{"query": ' }, 'yoga');
    await same({ raw: '{ "query": "{ tags { id } }" }', headers: { 'content-type': 'text/plain' } }, 'yoga');
    await same({ raw: '{ "query": "{ tags { id } }" }', headers: { 'content-type': 'Application/JSON' } }, 'yoga');
    await same({ body: { query: '{ tags { id } }' }, headers: { accept: 'application/graphql-response+json' } }, 'yoga');
    await same({ body: { query: '{ tags { id } }' }, headers: { accept: 'application/graphql-response+json, application/json' } }, 'yoga');
    await same({ body: { query: '{ tags { id } }' }, headers: { accept: 'text/html' } }, 'yoga');
    await same({ body: { query: '{ tags { id nope } }' }, headers: { accept: 'application/graphql-response+json' } }, 'yoga');
    await same({ method: 'GET', path: '/graphql?query=%7B%20tags%20%7B%20id%20%7D%20%7D' }, 'yoga');
    await same({ method: 'GET', path: '/graphql?query=mutation%20%7B%20signOut%20%7D' }, 'yoga');
    await same({ method: 'PUT', body: { query: '{ tags { id } }' } }, 'yoga');
    await same({ path: '/graphql?x=1', body: { query: '{ tags { id } }' } }, 'yoga');
    await same({ path: '/other', body: { query: '{ tags { id } }' } }, 'yoga');
    await same({ method: 'OPTIONS', headers: { origin: trusted, 'access-control-request-method': 'POST' } }, 'yoga');
    await same({ body: { query: '{ posts { id ...@defer { title } } }' }, headers: { accept: 'application/json' } }, 'yoga');
    await same({ body: { query: 'query @live { tags { id } }' }, headers: { accept: 'application/json' } }, 'yoga');
    await same({ body: { query: '{ a { b { c { d { e { f { g } } } } } } }' } }, 'yoga');
    await same({ body: { query: '{ posts { author { posts { author { posts { author { posts { id } } } } } } } }' } }, 'yoga');
  });

  it('an oversize body and an invalid Content-Length go to yoga, which refuses them', async () => {
    await same({ body: { query: '{ tags { id } }', variables: { pad: 'x'.repeat(120_000) } } }, 'yoga');
    // Node's HTTP parser refuses a malformed Content-Length before any handler runs.
    await same({ raw: '{"query":"{ tags { id } }"}', headers: { 'content-length': '+27' } }, 'node');
  });

  it('CORS: a trusted origin, an untrusted one, and the preflight headers', async () => {
    await same({ headers: { origin: trusted }, body: { query: '{ tags { id } }' } }, 'fast');
    await same({ headers: { origin: 'http://cairn.test' }, body: { query: '{ tags { id } }' } }, 'fast');
    await same({ headers: { origin: 'http://evil.test' }, body: { query: '{ tags { id } }' } }, 'fast');
    await same({ headers: { origin: trusted, 'access-control-request-headers': 'x-a', 'access-control-request-method': 'POST' }, body: { query: '{ tags { id } }' } }, 'fast');
  });

  it('x-request-id: a sane one is echoed, an insane one replaced', async () => {
    await same({ headers: { 'x-request-id': 'abc-123' }, body: { query: '{ tags { id } }' } }, 'fast');
    const { fast } = await same({ headers: { 'x-request-id': 'bad id!' }, body: { query: '{ tags { id } }' } }, 'fast');
    expect(fast.headers['x-request-id']).not.toBe('bad id!');
  });

  it('session cookies: sign-in sets one, a trusted origin uses it, an untrusted one is refused (CSRF)', async () => {
    const signIn = { query: 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { user { email } } }', variables: { email: 'pw@example.com', password } };
    const { fast } = await same({ headers: { origin: trusted }, body: signIn }, 'fast');
    const cookie = fast.headers['set-cookie']?.[0]?.split(';')[0];
    expect(cookie).toMatch(/^cairn_session=/);
    const me = await same({ headers: { origin: trusted, cookie: cookie! }, body: { query: '{ me { email } }' } }, 'fast');
    expect(JSON.parse(me.fast.body.toString()).data.me.email).toBe('pw@example.com');
    const refused = await same({ headers: { origin: 'http://evil.test', cookie: cookie! }, body: { query: '{ me { email } }' } }, 'fast');
    expect(JSON.parse(refused.fast.body.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
    await same({ headers: { cookie: cookie! }, body: { query: '{ me { email } }' } }, 'fast');
  });

  it('rate limiting: the same RATE_LIMITED answers with Retry-After', async () => {
    const wrong = { query: 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }', variables: { email: 'nobody@example.com', password: 'wrong wrong wrong' } };
    let limited: Answer | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const { fast } = await same({ body: wrong }, 'fast');
      if (fast.headers['retry-after']) limited = fast;
    }
    expect(limited, 'no RATE_LIMITED answer within 30 attempts').toBeDefined();
    expect(JSON.parse(limited!.body.toString()).errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});
