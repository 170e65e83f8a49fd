import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { authEnv, signUp } from '../support/auth-helpers.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { mutations, untilOperations, untilStreams, wsClients } from './realtime-helpers.ts';

describeEachProvider('realtime: subscriptions over graphql-ws', (provider) => {
  let t: TestApp;
  let url: string;
  let alice: { token: string; id: number };
  let bob: { token: string; id: number };
  let admin: { token: string; id: number };
  let as: ReturnType<typeof mutations>;
  const ws = wsClients(() => url);
  let slug = 0;
  const post = (data: Record<string, unknown>) => as(alice.token).create('Post', { slug: `s${++slug}`, body: 'b', authorId: alice.id, ...data });

  beforeAll(async () => {
    t = await createTestApp('blog', provider, authEnv);
    url = (await t.app.start()).url.replace(/^http/, 'ws');
    alice = await signUp(t, 'alice@example.org');
    bob = await signUp(t, 'bob@example.org');
    admin = await signUp(t, 'admin@example.org');
    await t.app.db.user.update({ where: { id: admin.id }, data: { roles: 'user,admin' } });
    as = mutations(t.gql);
  });
  afterEach(async () => {
    await ws.disposeAll();
    await untilOperations(t.app, 0);
    await untilStreams(t.app, 0, 'exactly');
  });
  afterAll(() => t.close());

  it('postCreated(where) delivers matching posts the subscriber may read, with relations resolved', async () => {
    const anonymous = ws.subscribe(ws.connect(), 'subscription { postCreated(where: { title: { contains: "Hello" } }) { title status author { name } } }');
    await untilStreams(t.app, 1);
    await post({ title: 'Other', status: 'PUBLISHED' });
    await post({ title: 'Hello draft', status: 'DRAFT' });
    await post({ title: 'Hello world', status: 'PUBLISHED' });
    const [first] = await anonymous.until(1);
    expect(first).toEqual({ data: { postCreated: { title: 'Hello world', status: 'PUBLISHED', author: { name: null } } } });
    await post({ title: 'Hello again', status: 'PUBLISHED' });
    const results = await anonymous.until(2);
    expect(results.map((r) => r.data.postCreated.title)).toEqual(['Hello world', 'Hello again']);
  });

  it('postChanged: an anonymous subscriber never sees the draft, gets ENTERED when it is published and LEFT when unpublished; the author gets UPDATED', async () => {
    const anonymous = ws.subscribe(ws.connect(), 'subscription { postChanged { kind node { id title status } } }');
    const authorStream = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), 'subscription { postChanged { kind node { title status } } }');
    await untilStreams(t.app, 2);
    const draft = await post({ title: 'Secret', status: 'DRAFT' });
    const author = as(alice.token);
    await author.update('Post', draft.id, { title: 'Secret 2' });
    await author.update('Post', draft.id, { status: 'PUBLISHED' });
    await author.update('Post', draft.id, { status: 'DRAFT' });
    await author.delete('Post', draft.id);
    const seen = await anonymous.until(2);
    expect(seen.map((r) => [r.data.postChanged.kind, r.data.postChanged.node.status])).toEqual([
      ['ENTERED', 'PUBLISHED'],
      // LEFT carries the row as the subscriber last could see it, not the draft it became.
      ['LEFT', 'PUBLISHED'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('"Secret"');
    const authorSaw = await authorStream.until(5);
    expect(authorSaw.map((r) => r.data.postChanged.kind)).toEqual(['CREATED', 'UPDATED', 'UPDATED', 'UPDATED', 'DELETED']);
    expect(authorSaw[4]!.data.postChanged.node).toEqual({ title: 'Secret 2', status: 'DRAFT' });
    // The anonymous subscriber saw nothing after LEFT: the deletion of a draft is not theirs to see.
    await post({ title: 'Public', status: 'PUBLISHED' });
    expect((await anonymous.until(3))[2]!.data.postChanged).toMatchObject({ kind: 'CREATED', node: { title: 'Public' } });
  });

  it('postUpdated and postDeleted (the before-image the subscriber could see); other models stay silent', async () => {
    const p = await post({ title: 'To delete', status: 'PUBLISHED' });
    const updated = ws.subscribe(ws.connect(), `subscription { postUpdated(where: { id: { equals: ${p.id} } }) { title } }`);
    const deleted = ws.subscribe(ws.connect(), 'subscription { postDeleted { id title author { id } } }');
    await untilStreams(t.app, 2);
    await as(bob.token).update('User', bob.id, { name: 'Bob' });
    await as(alice.token).update('Post', p.id, { title: 'Renamed' });
    // Published posts are deleted by admins only (the example app's @@deny).
    await as(admin.token).delete('Post', p.id);
    expect((await updated.until(1))[0]!.data).toEqual({ postUpdated: { title: 'Renamed' } });
    expect((await deleted.until(1))[0]!.data).toEqual({ postDeleted: { id: p.id, title: 'Renamed', author: { id: alice.id } } });
  });

  it('field rules apply to payloads: User.email only to its owner, null for everyone else', async () => {
    const asAlice = ws.subscribe(ws.connect({ authorization: `Bearer ${alice.token}` }), 'subscription { userUpdated { name email } }');
    const asBob = ws.subscribe(ws.connect({ authorization: `Bearer ${bob.token}` }), 'subscription { userUpdated { name email } }');
    const asBobChanged = ws.subscribe(ws.connect({ authorization: `Bearer ${bob.token}` }), 'subscription { userChanged { kind node { name email } } }');
    await untilStreams(t.app, 3);
    await as(alice.token).update('User', alice.id, { name: 'Alice' });
    expect((await asAlice.until(1))[0]!.data).toEqual({ userUpdated: { name: 'Alice', email: 'alice@example.org' } });
    expect((await asBob.until(1))[0]!.data).toEqual({ userUpdated: { name: 'Alice', email: null } });
    expect((await asBobChanged.until(1))[0]!.data).toEqual({ userChanged: { kind: 'UPDATED', node: { name: 'Alice', email: null } } });
  });

  it('a where on a field the subscriber may not read matches nothing (it cannot probe hidden values)', async () => {
    const probe = ws.subscribe(ws.connect({ authorization: `Bearer ${bob.token}` }), 'subscription { userUpdated(where: { email: { startsWith: "alice" } }) { id } }');
    const control = ws.subscribe(ws.connect({ authorization: `Bearer ${bob.token}` }), 'subscription { userUpdated { id } }');
    await untilStreams(t.app, 2);
    await as(alice.token).update('User', alice.id, { name: 'Alice 2' });
    await control.until(1);
    await as(bob.token).update('User', bob.id, { name: 'Bob 2' });
    await control.until(2);
    expect(probe.results).toEqual([]);
  });

  it('nested writes and *Many produce one event per row; each row reaches the subscriber once', async () => {
    const posts = ws.subscribe(ws.connect(), 'subscription { postChanged { kind node { id title } } }');
    const comments = ws.subscribe(ws.connect(), 'subscription { commentCreated { body post { title } } }');
    await untilStreams(t.app, 2);
    const created = await as(alice.token).create('Post', {
      slug: `s${++slug}`, title: 'Nested', status: 'PUBLISHED', authorId: alice.id,
      comments: { create: [{ body: 'one', authorId: alice.id }, { body: 'two', authorId: alice.id }] },
    });
    expect((await comments.until(2)).map((r) => r.data.commentCreated)).toEqual([
      { body: 'one', post: { title: 'Nested' } },
      { body: 'two', post: { title: 'Nested' } },
    ]);
    const second = await post({ title: 'Second', status: 'PUBLISHED' });
    const many = await t.gql('mutation ($a: Int!) { updateManyPosts(where: { authorId: { equals: $a }, title: { in: ["Nested", "Second"] } }, data: { body: "bulk" }) { count } }', { a: alice.id }, { authorization: `Bearer ${alice.token}` });
    expect(many.data).toEqual({ updateManyPosts: { count: 2 } });
    const seen = await posts.until(4);
    expect(seen.map((r) => [r.data.postChanged.kind, r.data.postChanged.node.id])).toEqual([
      ['CREATED', created.id],
      ['CREATED', second.id],
      ['UPDATED', created.id],
      ['UPDATED', second.id],
    ]);
  });

  it('subscribers alike (same viewer, field, where, selection) share one group: each gets each event once; one leaving or joining later changes nothing for the others', async () => {
    const query = 'subscription { postCreated(where: { title: { startsWith: "Group" } }) { title } }';
    const titles = (results: { data?: any }[]) => results.map((r) => r.data.postCreated.title);
    const shared = ws.connect();
    const [a, b, c, d] = [ws.subscribe(ws.connect(), query), ws.subscribe(ws.connect(), query), ws.subscribe(shared, query), ws.subscribe(shared, query)];
    await untilStreams(t.app, 4);
    await post({ title: 'Group 1', status: 'PUBLISHED' });
    for (const s of [a, b, c, d]) expect(titles(await s.until(1))).toEqual(['Group 1']);
    a.stop();
    await untilStreams(t.app, 3, 'exactly');
    const late = ws.subscribe(ws.connect(), query);
    await untilStreams(t.app, 4);
    await post({ title: 'Group 2', status: 'PUBLISHED' });
    await post({ title: 'Group 3', status: 'PUBLISHED' });
    for (const s of [b, c, d]) expect(titles(await s.until(3))).toEqual(['Group 1', 'Group 2', 'Group 3']);
    expect(titles(await late.until(2))).toEqual(['Group 2', 'Group 3']);
    expect(titles(a.results)).toEqual(['Group 1']);
  });

  it('a rolled-back mutation publishes nothing', async () => {
    const posts = ws.subscribe(ws.connect(), 'subscription { postCreated { title } }');
    const comments = ws.subscribe(ws.connect(), 'subscription { commentCreated { body } }');
    await untilStreams(t.app, 2);
    // The nested comment claims bob as its author: the rules refuse it and the post goes with it.
    const refused = await t.gql(
      'mutation ($data: PostCreateInput!) { createPost(data: $data) { id } }',
      { data: { slug: `s${++slug}`, title: 'Rolled back', status: 'PUBLISHED', authorId: alice.id, comments: { create: [{ body: 'forged', authorId: bob.id }] } } },
      { authorization: `Bearer ${alice.token}` },
    );
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(await t.app.db.post.count({ where: { title: 'Rolled back' } })).toBe(0);
    await post({ title: 'Committed', status: 'PUBLISHED' });
    expect((await posts.until(1)).map((r) => r.data.postCreated.title)).toEqual(['Committed']);
    expect(comments.results).toEqual([]);
  });
});
