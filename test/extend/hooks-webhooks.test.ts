import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testViewerHeader, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { eventually } from '../jobs/queue-harness.ts';
import { createReceiver } from '../jobs/webhook-receiver.ts';
import { createFunctionsApp } from './functions-app.ts';
import { afterRuns } from './fixtures/hooks-functions.ts';

const functionsPath = fileURLToPath(new URL('./fixtures/hooks-functions.ts', import.meta.url));
const secret = `whsec_${Buffer.from('hooks-suite-secret-0123456789').toString('base64')}`;
const as = (id: number, roles: string[] = ['user']) => ({ [testViewerHeader]: JSON.stringify({ id, roles }) });

describeEachProvider('model hooks and webhooks through the write path', (provider) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof createReceiver>>;
  let author: number;
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body));

  beforeAll(async () => {
    afterRuns.splice(0); // shared by the suites of both providers (one process); row ids repeat
    receiver = await createReceiver();
    process.env.TEST_HOOK_URL = receiver.url('/posts');
    process.env.TEST_HOOK_SECRET = secret;
    t = await createFunctionsApp(provider, { CAIRN_FUNCTIONS: functionsPath });
    author = (await t.app.db.user.create({ data: { email: `hooks-${provider}@example.com` } })).id;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('a before hook transforms the data inside the write; the after hook runs once, after commit; the webhook is delivered signed', async () => {
    const result = await t.gql('mutation($data: PostCreateInput!) { createPost(data: $data) { id title slug } }', { data: { title: '  Hello Hooks  ', slug: 'client-slug', author: { connect: { id: author } } } }, as(author));
    expect(result.errors).toBeUndefined();
    const post = result.data.createPost;
    expect(post).toMatchObject({ title: 'Hello Hooks', slug: `hello-hooks-${author}` });
    await eventually(() => afterRuns.some((r) => r.id === post.id));
    const request = await eventually(() => receiver.received.find((r) => JSON.parse(r.body).data.key.id === post.id));
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({ type: 'Post.created', data: { after: { title: 'Hello Hooks' } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(afterRuns.filter((r) => r.id === post.id)).toEqual([{ model: 'Post', kind: 'created', id: post.id, title: 'Hello Hooks' }]);
  });

  it('hooks and webhooks concern only their models: a write to another one runs without their transaction', async () => {
    const tag = await t.app.db.tag.create({ data: { name: `scoped-${provider}` } });
    t.resetQueries();
    const result = await t.gql(`mutation { updateTag(where: { id: ${tag.id} }, data: { name: "scoped-renamed-${provider}" }) { name } }`, {}, as(author, ['admin']));
    expect(result.errors).toBeUndefined();
    // Tag is readable by all and has no hooks: the UPDATE with its before-image (in it on
    // PostgreSQL, a SELECT first on SQLite), no COMMIT (the job and webhook workers' own polling,
    // which sends bare statements meanwhile, left out).
    const ours = t.queries.filter((q) => /\bTag\b/.test(q) || /^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(q));
    expect(ours.map((q) => q.trim().split(/\s/)[0])).toEqual(provider === 'postgresql' ? ['UPDATE'] : ['SELECT', 'UPDATE']);
  });

  it('a refusing before hook: the coded error reaches the client and nothing is written, hooked or sent', async () => {
    const before = await t.app.db.post.count();
    const result = await t.gql('mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', { data: { title: 'a forbidden title', slug: 'f', author: { connect: { id: author } } } }, as(author));
    expect(result.errors?.[0]).toMatchObject({ message: 'Post.beforeCreate: titles may not say "forbidden"', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await t.app.db.post.count()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bodies().some((b) => String(b.data.after?.title).includes('forbidden'))).toBe(false);
    expect(afterRuns.some((r) => String(r.title).includes('forbidden'))).toBe(false);
  });

  it('a transaction whose second write is refused keeps nothing: no row, no after hook, no webhook for the first write', async () => {
    const before = await t.app.db.post.count();
    const result = await t.gql('mutation { createTwoPosts(first: "rolled back post", secondTitle: "refuse me") }', {}, as(author));
    expect(result.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(await t.app.db.post.count()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(afterRuns.some((r) => r.title === 'rolled back post')).toBe(false);
    expect(bodies().some((b) => b.data.after?.title === 'rolled back post')).toBe(false);
  });

  it('updates of one row arrive in commit order', async () => {
    const id = (await t.gql('mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', { data: { title: 'Ordered', slug: 'o', author: { connect: { id: author } } } }, as(author))).data.createPost.id;
    for (const title of ['one', 'two', 'three']) {
      const r = await t.gql('mutation($id: Int!, $title: String!) { updatePost(where: { id: $id }, data: { title: $title }) { id } }', { id, title }, as(author));
      expect(r.errors).toBeUndefined();
    }
    await eventually(() => bodies().filter((b) => b.data.key.id === id).length === 4);
    expect(bodies().filter((b) => b.data.key.id === id).map((b) => `${b.type}:${b.data.after.title}`)).toEqual(['Post.created:Ordered', 'Post.updated:one', 'Post.updated:two', 'Post.updated:three']);
  });

  it('the delivery log is for admins only', async () => {
    const query = '{ webhookDeliveries(webhook: "postsForTests", take: 5) { id messageId state attempts lastStatus model kind } }';
    expect((await t.gql(query)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(query, {}, as(author))).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const admin = await eventually(async () => { const r = await t.gql(query, {}, as(author, ['admin'])); return r.data?.webhookDeliveries.some((d: { state: string }) => d.state === 'delivered') && r; });
    expect(admin.data.webhookDeliveries.find((d: { state: string }) => d.state === 'delivered')).toMatchObject({ model: 'Post', lastStatus: 200, attempts: 1 });
    const replay = await t.gql(`mutation { replayWebhookDeliveries(ids: [${admin.data.webhookDeliveries.find((d: { state: string }) => d.state === 'delivered').id}]) }`, {}, as(author));
    expect(replay.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });
});
