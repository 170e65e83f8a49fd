import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilLiveQueries, untilOperations, wsClients } from './realtime-helpers.ts';

describeEachProvider('realtime: live queries (@live)', (provider) => {
  let t: TestApp;
  let url: string;
  let alice: { token: string; id: number };
  let bob: { token: string; id: number };
  let as: ReturnType<typeof mutations>;
  const ws = wsClients(() => url);
  let n = 0;
  const post = (title: string, status: string) => as(alice.token).create('Post', { slug: `l${++n}`, title, status, authorId: alice.id });

  beforeAll(async () => {
    t = await createTestApp('blog', provider, { ...authEnv, CAIRN_LIVE_THROTTLE_MS: '0' });
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    alice = await signUp(t, 'alice@example.org');
    bob = await signUp(t, 'bob@example.org');
    as = mutations(t.gql);
    await post('First', 'PUBLISHED');
  });
  afterEach(async () => {
    await ws.disposeAll();
    await untilOperations(t.app, 0);
  });
  afterAll(() => t.close());

  const live = 'query @live { posts(orderBy: [{ id: asc }]) { title author { id } } }';

  it('re-sends the result after a relevant write, not after an unrelated one or one that leaves the result unchanged', async () => {
    const anonymous = ws.subscribe(ws.connect(), live);
    expect((await anonymous.until(1))[0]!.data.posts.map((p: any) => p.title)).toEqual(['First']);
    await untilLiveQueries(t.app, 1);
    const follow = await t.gql('mutation ($data: FollowCreateInput!) { createFollow(data: $data) { createdAt } }', { data: { followerId: alice.id, followingId: bob.id } }, { authorization: `Bearer ${alice.token}` });
    expect(follow.errors).toBeUndefined();
    // A post the anonymous viewer may not read: the query re-runs in its context and finds the same result.
    await post('Draft', 'DRAFT');
    await post('Second', 'PUBLISHED');
    const results = await anonymous.until(2);
    expect(results[1]!.data.posts.map((p: any) => p.title)).toEqual(['First', 'Second']);
    // A relation read through the query (author) counts too.
    await as(alice.token).update('User', alice.id, { name: 'Alice' });
    await post('Third', 'PUBLISHED');
    expect((await anonymous.until(3)).map((r) => r.data.posts.length)).toEqual([1, 2, 3]);
  });

  it("runs in the subscriber's own context: the author's live query sees her draft, which nobody else's does", async () => {
    const author = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), 'query @live { posts(where: { status: { equals: DRAFT } }) { title } }');
    const anonymous = ws.subscribe(ws.connect(), 'query @live { posts(where: { status: { equals: DRAFT } }) { title } }');
    await author.until(1);
    await anonymous.until(1);
    await untilLiveQueries(t.app, 2);
    await post('Hidden draft', 'DRAFT');
    expect((await author.until(2))[1]!.data.posts.map((p: any) => p.title)).toContain('Hidden draft');
    await post('A', 'PUBLISHED');
    expect(anonymous.results.map((r) => r.data)).toEqual([{ posts: [] }]);
  });

  it('@live is declared in the schema (clients and codegen validate it); it is refused on mutations', async () => {
    const result = await t.gql('mutation @live { signOut }');
    expect(result.errors?.[0]?.message).toMatch(/Directive "@live" may not be used on MUTATION/);
  });
});
