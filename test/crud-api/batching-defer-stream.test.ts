import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogScene, type BlogScene } from '../access/blog-fixture.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

type Payload = { data?: any; errors?: any[]; incremental?: { data?: any; items?: any[]; path: (string | number)[] }[]; hasNext?: boolean };

/** The JSON parts of a `multipart/mixed` body (GraphQL incremental delivery over HTTP). */
function multipartParts(contentType: string, body: string): Payload[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1]!;
  return body
    .split(`--${boundary}`)
    .map((part) => part.trim())
    .filter((part) => part && part !== '--')
    .map((part) => JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4)) as Payload);
}

/** The `next` events of a `text/event-stream` body. */
function sseEvents(body: string): Payload[] {
  return body
    .split('\n\n')
    .filter((block) => /^event: next$/m.test(block))
    .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Payload);
}

describeEachProvider('batching, @defer and @stream over HTTP, rules enforced (blog)', (provider) => {
  let t: TestApp;
  let scene: BlogScene;
  let url: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await createTestApp('blog', provider, { CAIRN_MAX_BATCH: '3' });
    scene = await blogScene(t);
    url = `${(await t.app.start()).url}/graphql`;
  });
  afterAll(() => t?.close());

  describe('batching', () => {
    it('answers a JSON array of operations with an array of results, in order, each under the rules', async () => {
      const { alice } = scene.users;
      const response = await post(
        [
          { query: '{ posts(orderBy: [{ slug: asc }]) { slug } }' },
          { query: 'query($s: String!) { post(where: { slug: $s }) { slug status } }', variables: { s: 'alice-draft' } },
          { query: '{ nope }' },
        ],
        alice.headers,
      );
      expect(response.status).toBe(200);
      const results = (await response.json()) as Payload[];
      expect(results).toHaveLength(3);
      expect(results[0]!.data.posts.map((p: any) => p.slug)).toEqual(['alice-draft', 'alice-pub', 'bob-pub']);
      expect(results[1]!.data.post).toEqual({ slug: 'alice-draft', status: 'DRAFT' });
      expect(results[2]!.errors![0].message).toMatch(/Cannot query field "nope"/);
    });

    it('the viewer applies to every operation of the batch (anonymous sees no drafts in any)', async () => {
      const results = (await (await post([{ query: '{ post(where: { slug: "alice-draft" }) { slug } }' }, { query: '{ postsCount }' }])).json()) as Payload[];
      expect(results.map((r) => r.data)).toEqual([{ post: null }, { postsCount: 2 }]);
    });

    it('refuses a batch over CAIRN_MAX_BATCH before running any of it', async () => {
      const before = await t.app.db.tag.count();
      const create = (name: string) => ({ query: `mutation { createTag(data: { name: "${name}" }) { id } }` });
      const response = await post([create('b1'), create('b2'), create('b3'), create('b4')], scene.users.admin.headers);
      expect(response.status).toBe(400);
      const body = (await response.json()) as Payload;
      expect(body.errors![0].message).toBe('Batching is limited to 3 operations per request.');
      expect(await t.app.db.tag.count()).toBe(before);
    });
  });

  describe('@defer', () => {
    const query = `query($slug: String!) {
      post(where: { slug: $slug }) {
        slug
        ... @defer(label: "more") { title author { email } comments(orderBy: [{ id: asc }]) { body } }
      }
    }`;

    it('sends the initial payload, then the deferred fragment, as multipart/mixed', async () => {
      const { alice } = scene.users;
      const response = await post({ query, variables: { slug: 'alice-pub' } }, { ...alice.headers, accept: 'multipart/mixed' });
      expect(response.status).toBe(200);
      const contentType = response.headers.get('content-type')!;
      expect(contentType).toMatch(/^multipart\/mixed/);
      const parts = multipartParts(contentType, await response.text());
      expect(parts[0]).toEqual({ data: { post: { slug: 'alice-pub' } }, hasNext: true });
      const incremental = parts.slice(1).flatMap((p) => p.incremental ?? []);
      expect(incremental).toEqual([
        {
          data: { title: 'alice-pub', author: { email: 'alice@scene.test' }, comments: [{ body: 'bob on alice-pub' }, { body: 'alice on alice-pub' }] },
          path: ['post'],
          label: 'more',
        },
      ]);
      expect(parts.at(-1)!.hasNext).toBe(false);
    });

    it('deferred fields obey the rules: another viewer gets the e-mail as null', async () => {
      const response = await post({ query, variables: { slug: 'alice-pub' } }, { ...scene.users.bob.headers, accept: 'multipart/mixed' });
      const parts = multipartParts(response.headers.get('content-type')!, await response.text());
      const deferred = parts.slice(1).flatMap((p) => p.incremental ?? [])[0]!;
      expect(deferred.data.author).toEqual({ email: null });
    });

    it('works over server-sent events too', async () => {
      const response = await post({ query, variables: { slug: 'bob-pub' } }, { accept: 'text/event-stream' });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = sseEvents(await response.text());
      expect(events[0]).toEqual({ data: { post: { slug: 'bob-pub' } }, hasNext: true });
      expect(events.flatMap((e) => e.incremental ?? [])[0]!.data.title).toBe('bob-pub');
    });

    it('refuses @defer on a root mutation field', async () => {
      const response = await post({ query: 'mutation { ... @defer { deleteManyTags(where: {}) { count } } }' }, { ...scene.users.admin.headers, accept: 'multipart/mixed, application/json' });
      const [error] = ((await response.json()) as Payload).errors!;
      expect(error).toMatchObject({ message: 'Defer directive cannot be used on root mutation type "Mutation".', extensions: { code: 'BAD_USER_INPUT' } });
      expect(await t.app.db.tag.count()).toBeGreaterThan(0);
    });
  });

  describe('@stream', () => {
    it('streams a list: initialCount items first, the rest as increments, filtered by the rules', async () => {
      const response = await post(
        { query: '{ posts(orderBy: [{ slug: asc }]) @stream(initialCount: 1) { slug } }' },
        { accept: 'multipart/mixed' },
      );
      const parts = multipartParts(response.headers.get('content-type')!, await response.text());
      expect(parts[0]).toEqual({ data: { posts: [{ slug: 'alice-pub' }] }, hasNext: true });
      const streamed = parts.slice(1).flatMap((p) => p.incremental ?? []).flatMap((i) => i.items ?? []);
      expect(streamed).toEqual([{ slug: 'bob-pub' }]);
    });

    it('refuses @stream on a field that is not a list', async () => {
      const response = await post({ query: '{ postsCount @stream }' }, { accept: 'multipart/mixed, application/json' });
      const [error] = ((await response.json()) as Payload).errors!;
      expect(error).toMatchObject({ message: 'Stream directive cannot be used on non-list field "postsCount" on type "Query".', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });
});

describe('batching turned off (CAIRN_MAX_BATCH=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('catalog', 'sqlite', { CAIRN_MAX_BATCH: '0' });
  });
  afterAll(() => t?.close());

  it('answers a batch with BAD_REQUEST, and single operations as before', async () => {
    const batch = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ productsCount }' }]) });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as Payload).errors![0].message).toMatch(/Batching is not supported/);
    expect((await t.gql('{ productsCount }')).data).toEqual({ productsCount: 0 });
  });
});
