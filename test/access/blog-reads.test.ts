import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';
import { forbidden, ok } from './run-matrix.ts';

/** Reads through the example app's rules: nested at any depth, counts, aggregates, filters. */
describeEachProvider('access rules: reads', (provider) => {
  let t: TestApp;
  let s: BlogScene;
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
  });
  afterAll(() => t.close());

  const as = (who: keyof BlogScene['users'] | 'anonymous') => (query: string, variables?: Record<string, unknown>) =>
    t.gql(query, variables, who === 'anonymous' ? {} : s.users[who].headers);
  const slugs = (rows: { slug: string }[]) => rows.map((r) => r.slug).sort();

  it('lists, single reads and connections show only readable rows', async () => {
    expect(slugs(ok(await as('anonymous')('{ posts { slug } }')).posts)).toEqual(['alice-pub', 'bob-pub']);
    expect(slugs(ok(await as('bob')('{ posts { slug } }')).posts)).toEqual(['alice-pub', 'bob-draft', 'bob-pub']);
    expect(ok(await as('admin')('{ postsCount }')).postsCount).toBe(4);
    expect(ok(await as('bob')('query($slug: String!) { post(where: { slug: $slug }) { slug } }', { slug: 'alice-draft' })).post).toBeNull();
    const page = ok(await as('bob')('{ postsConnection(first: 2, orderBy: [{ slug: asc }]) { totalCount edges { node { slug } } pageInfo { hasNextPage } } }')).postsConnection;
    expect(page).toEqual({ totalCount: 3, edges: [{ node: { slug: 'alice-pub' } }, { node: { slug: 'bob-draft' } }], pageInfo: { hasNextPage: true } });
  });

  it('filters relation lists and their counts at every depth', async () => {
    const data = ok(
      await as('bob')(`{ users(orderBy: [{ id: asc }]) { id posts(orderBy: [{ slug: asc }]) { slug comments(orderBy: [{ id: asc }]) { body } commentsCount } postsCount } }`),
    );
    const alice = data.users.find((u: { id: number }) => u.id === s.users.alice.id);
    expect(alice.posts).toEqual([{ slug: 'alice-pub', comments: [{ body: 'bob on alice-pub' }, { body: 'alice on alice-pub' }], commentsCount: 2 }]);
    expect(alice.postsCount).toBe(1);
    const bob = data.users.find((u: { id: number }) => u.id === s.users.bob.id);
    // bob sees alice's comment on his own draft: comments on your posts are yours to read.
    expect(bob.posts.map((p: { slug: string; commentsCount: number }) => [p.slug, p.commentsCount])).toEqual([['bob-draft', 1], ['bob-pub', 0]]);
    const tags = ok(await as('anonymous')('{ tags(orderBy: [{ name: asc }]) { name posts { slug } postsCount } }')).tags;
    expect(tags).toEqual([{ name: 'news', posts: [{ slug: 'alice-pub' }], postsCount: 1 }, { name: 'other', posts: [], postsCount: 0 }]);
  });

  it('nulls a to-one relation the viewer may not read, and what hangs below it', async () => {
    const mine = ok(await as('bob')('{ comments(where: { authorId: { equals: ' + s.users.bob.id + ' } }, orderBy: [{ id: asc }]) { body post { slug author { id } } } }')).comments;
    expect(mine).toEqual([
      { body: 'bob on alice-pub', post: { slug: 'alice-pub', author: { id: s.users.alice.id } } },
      // bob may read his old comment on a post that became a draft; the draft itself stays hidden.
      { body: 'bob on alice-draft', post: null },
    ]);
    const admin = ok(await as('admin')(`{ comment(where: { id: ${s.comments.bobOnAliceDraft.id} }) { post { slug } } }`)).comment;
    expect(admin.post).toEqual({ slug: 'alice-draft' });
  });

  it('hides field values the viewer may not read, at the top and nested', async () => {
    const users = ok(await as('bob')('{ users(orderBy: [{ id: asc }]) { id email } posts { author { id email } } }'));
    const emails = Object.fromEntries(users.users.map((u: { id: number; email: string | null }) => [u.id, u.email]));
    expect(emails[s.users.bob.id]).toBe('bob@scene.test');
    expect(emails[s.users.alice.id]).toBeNull();
    for (const p of users.posts) expect(p.author.email).toBe(p.author.id === s.users.bob.id ? 'bob@scene.test' : null);
    expect(ok(await as('admin')(`{ user(where: { id: ${s.users.alice.id} }) { email } }`)).user.email).toBe('alice@scene.test');
  });

  it('counts, aggregates and groups only readable rows', async () => {
    const data = ok(
      await as('bob')(`{
        postsCount(where: { status: { equals: DRAFT } })
        postsAggregate { _count { _all } _sum { views } _max { views } }
        postsGroupBy(by: [status], orderBy: [{ status: asc }]) { status _count { _all } _sum { views } }
      }`),
    );
    expect(data.postsCount).toBe(1);
    expect(data.postsAggregate).toEqual({ _count: { _all: 3 }, _sum: { views: 33 }, _max: { views: 20 } });
    expect(data.postsGroupBy).toEqual([
      { status: 'DRAFT', _count: { _all: 1 }, _sum: { views: 3 } },
      { status: 'PUBLISHED', _count: { _all: 2 }, _sum: { views: 30 } },
    ]);
    expect(ok(await as('anonymous')('{ clubsCount membershipsCount }')).clubsCount).toBe(1);
    expect(ok(await as('alice')('{ clubs(orderBy: [{ name: asc }]) { name membersCount } }')).clubs).toEqual([
      { name: 'inner', membersCount: 1 },
      { name: 'open', membersCount: 0 },
    ]);
  });

  it('does not let filters observe hidden rows or values, nor their negations', async () => {
    const ids = async (who: 'bob' | 'alice', where: string) =>
      ok(await as(who)(`{ users(where: ${where}, orderBy: [{ id: asc }]) { id } }`)).users.map((u: { id: number }) => u.id);
    const draftTitle = '{ posts: { some: { title: { equals: "alice-draft" } } } }';
    expect(await ids('bob', draftTitle)).toEqual([]);
    expect(await ids('alice', draftTitle)).toEqual([s.users.alice.id]);
    // every/none judge the rows bob can see: all of alice's visible posts are published.
    expect(await ids('bob', '{ posts: { every: { status: { equals: PUBLISHED } } } }')).toContain(s.users.alice.id);
    expect(await ids('bob', '{ posts: { none: { status: { equals: DRAFT } } } }')).toContain(s.users.alice.id);
    // A hidden e-mail filters like an unknown one, negated or not.
    expect(await ids('bob', '{ email: { equals: "alice@scene.test" } }')).toEqual([]);
    expect(await ids('bob', '{ NOT: [{ email: { equals: "alice@scene.test" } }] }')).toEqual(await ids('bob', '{ NOT: [{ email: { equals: "nobody@scene.test" } }] }'));
    const posts = ok(await as('bob')('{ comments(where: { post: { is: { status: { equals: DRAFT } } } }) { body } }')).comments;
    expect(posts.map((c: { body: string }) => c.body)).toEqual(['alice on bob-draft']);
  });

  it('refuses to sort, group or aggregate by what the viewer may not read everywhere', async () => {
    expect(forbidden(await as('bob')('{ users(orderBy: [{ email: asc }]) { id } }')).message).toBe('Access denied by rule User.email.read');
    forbidden(await as('bob')('{ usersGroupBy(by: [email]) { _count { _all } } }'));
    forbidden(await as('bob')('{ usersAggregate { _max { email } } }'));
    expect(forbidden(await as('bob')('{ comments(orderBy: [{ post: { slug: asc } }]) { id } }')).message).toBe('Access denied by rule Post.read');
    ok(await as('admin')('{ users(orderBy: [{ email: asc }]) { id } usersAggregate { _max { email } } }'));
    ok(await as('bob')('{ posts(orderBy: [{ author: { name: asc } }]) { id } }'));
  });

  it('starts no page at a cursor the viewer may not read', async () => {
    const from = (who: 'bob' | 'alice') => as(who)(`{ posts(cursor: { id: ${s.posts.aliceDraft.id} }, orderBy: [{ id: asc }]) { slug } }`);
    expect(ok(await from('bob')).posts).toEqual([]);
    expect(ok(await from('alice')).posts[0].slug).toBe('alice-draft');
  });

  it('answers nested reads with a fixed number of statements, however many rows', async () => {
    // The same scene with the rules off is the baseline: what the read costs without any rule.
    const trusted = await createTestApp('blog', provider, {}, { access: 'trusted' });
    const baselineScene = await blogScene(trusted);
    const statements = async (app: TestApp, headers: Record<string, string>, query: string) => {
      // Signed in first: the session lookup (then cached for a few seconds) is not the read's cost.
      ok(await app.gql('{ __typename }', {}, headers));
      app.resetQueries();
      ok(await app.gql(query, {}, headers));
      return dataStatements(app.queries).length;
    };
    const deep = '{ users { id email posts { slug author { email } comments { body post { slug } author { email } } commentsCount } postsCount } }';
    const clubs = '{ memberships { club { name members { userId } } } }';
    const measure = async (app: TestApp, headers: Record<string, string>) => [await statements(app, headers, deep), await statements(app, headers, clubs)];
    const baseline = await measure(trusted, baselineScene.users.alice.headers);
    await trusted.close();
    const before = await measure(t, s.users.alice.headers);
    // Read rules ride in the queries, and to-one/field checks are decided from the rows' own
    // columns: the deep read costs nothing extra. A private club's read rule needs its members:
    // one batched check for all such clubs.
    expect(before).toEqual([baseline[0], baseline[1]! + 1]);
    for (let i = 0; i < 5; i++) {
      const user = await t.app.db.user.create({ data: { email: `extra-${i}@scene.test` } });
      const p = await t.app.db.post.create({ data: { slug: `extra-${i}`, title: 'x', status: i % 2 ? 'PUBLISHED' : 'DRAFT', authorId: user.id } });
      await t.app.db.comment.create({ data: { body: 'x', postId: p.id, authorId: s.users.alice.id } });
      await t.app.db.club.create({ data: { name: `extra-${i}`, private: true, ownerId: user.id, members: { create: [{ userId: s.users.alice.id }] } } });
    }
    expect(await measure(t, s.users.alice.headers)).toEqual(before);
  });
});
