import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, failed, ok, seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('reads and filters', (provider) => {
  let t: TestApp;
  let seed: BlogSeed;
  beforeAll(async () => {
    t = await createCrudApp(provider);
    seed = await seedBlog(t);
  });
  afterAll(() => t?.close());

  /** Slugs of the posts matching `where`, sorted (ordering is another suite's concern). */
  const postSlugs = async (where: string) =>
    ok(await t.gql(`{ posts(where: ${where}) { slug } }`))
      .posts.map((p: { slug: string }) => p.slug)
      .sort();
  const userEmails = async (where: string) =>
    ok(await t.gql(`{ users(where: ${where}) { email } }`)).users.map((u: { email: string }) => u.email).sort();

  describe('single-row reads', () => {
    it('finds a row by id and by each unique field, and returns null when nothing matches', async () => {
      const id = seed.posts['prisma-tips'];
      const data = ok(
        await t.gql(`query($id: Int!) {
          byId: post(where: { id: $id }) { slug title status views rating publishedAt body }
          bySlug: post(where: { slug: "prisma-tips" }) { id }
          missing: post(where: { slug: "nope" }) { id }
          user(where: { email: "alice@example.com" }) { name roles }
        }`, { id }),
      );
      expect(data.byId).toEqual({ slug: 'prisma-tips', title: 'Prisma Tips', status: 'DRAFT', views: 0, rating: null, publishedAt: null, body: '' });
      expect(data.bySlug).toEqual({ id });
      expect(data.missing).toBeNull();
      expect(data.user).toEqual({ name: 'Alice', roles: 'admin' });
    });

    it('a document sent again plans its columns again where variables change them', async () => {
      // Root fields reading only columns reuse the query planned on their first request
      // (src/schema/crud/planned-queries.ts); @include/@skip on a variable must still count.
      const query = `query($id: Int!, $full: Boolean!) {
        post(where: { id: $id }) { slug title @include(if: $full) ... on Post @skip(if: $full) { views } }
        posts(where: { id: { equals: $id } }) { slug ...Extra }
      } fragment Extra on Post { status }`;
      const first = seed.posts['prisma-tips'];
      const other = seed.posts['graphql-basics'];
      for (const [id, full] of [[first, true], [other, false], [first, false], [other, true]] as const) {
        t.resetQueries();
        const data = ok(await t.gql(query, { id, full }));
        // One statement per root field: a column the reused query lacked would be loaded by another.
        expect(t.queries.filter((q) => /^\s*SELECT/i.test(q))).toHaveLength(2);
        const expected = ok(await t.gql(`query($id: Int!) { post(where: { id: $id }) { slug title views status } }`, { id })).post;
        expect(data.post).toEqual(full ? { slug: expected.slug, title: expected.title } : { slug: expected.slug, views: expected.views });
        expect(data.posts).toEqual([{ slug: expected.slug, status: expected.status }]);
      }
    });

    it('finds a row by a composite id (Follow)', async () => {
      const data = ok(
        await t.gql(`query($a: Int!, $b: Int!) {
          yes: follow(where: { followerId_followingId: { followerId: $a, followingId: $b } }) { follower { email } following { email } }
          no: follow(where: { followerId_followingId: { followerId: $b, followingId: $a } }) { followerId }
        }`, { a: seed.users.carol, b: seed.users.alice }),
      );
      expect(data.yes).toEqual({ follower: { email: 'carol@example.com' }, following: { email: 'alice@example.com' } });
      expect(data.no).toBeNull();
    });
  });

  describe('scalar operators', () => {
    it('equals, in, notIn on strings and enums', async () => {
      expect(await postSlugs('{ status: { equals: PUBLISHED } }')).toEqual(['advanced-graphql', 'graphql-basics', 'postgres-notes']);
      expect(await postSlugs('{ slug: { equals: "hello-world" } }')).toEqual(['hello-world']);
      expect(await postSlugs('{ slug: { in: ["hello-world", "prisma-tips", "missing"] } }')).toEqual(['hello-world', 'prisma-tips']);
      expect(await postSlugs('{ status: { notIn: [PUBLISHED, DRAFT] } }')).toEqual(['sqlite-in-production']);
      expect(await postSlugs('{ status: { in: [] } }')).toEqual([]);
      expect(await userEmails('{ roles: { in: ["admin", "editor"] } }')).toEqual(['alice@example.com', 'bob@example.com']);
    });

    it('lt, lte, gt, gte on Int, Float and DateTime', async () => {
      expect(await postSlugs('{ views: { lt: 40 } }')).toEqual(['hello-world', 'prisma-tips']);
      expect(await postSlugs('{ views: { lte: 40 } }')).toEqual(['hello-world', 'prisma-tips', 'sqlite-in-production']);
      expect(await postSlugs('{ views: { gt: 100 } }')).toEqual(['advanced-graphql']);
      expect(await postSlugs('{ views: { gte: 100 } }')).toEqual(['advanced-graphql', 'graphql-basics']);
      expect(await postSlugs('{ views: { gt: 5, lt: 100 } }')).toEqual(['postgres-notes', 'sqlite-in-production']);
      expect(await postSlugs('{ rating: { gte: 4.5 } }')).toEqual(['advanced-graphql', 'graphql-basics']);
      expect(await postSlugs('{ rating: { lt: 3.2 } }')).toEqual(['hello-world']);
      expect(await postSlugs('{ publishedAt: { gt: "2024-01-31T00:00:00.000Z" } }')).toEqual(['advanced-graphql', 'postgres-notes']);
      expect(await postSlugs('{ publishedAt: { lte: "2024-01-10T00:00:00.000Z" } }')).toEqual(['graphql-basics', 'sqlite-in-production']);
    });

    it('contains, startsWith, endsWith', async () => {
      expect(await postSlugs('{ title: { contains: "GraphQL" } }')).toEqual(['advanced-graphql', 'graphql-basics']);
      expect(await postSlugs('{ title: { startsWith: "Advanced" } }')).toEqual(['advanced-graphql']);
      expect(await postSlugs('{ title: { endsWith: "Tips" } }')).toEqual(['prisma-tips']);
      expect(await postSlugs('{ slug: { startsWith: "graphql", endsWith: "basics" } }')).toEqual(['graphql-basics']);
    });

    it('not, as a nested filter, and null checks', async () => {
      expect(await postSlugs('{ title: { not: { contains: "GraphQL" } } }')).toEqual([
        'hello-world', 'postgres-notes', 'prisma-tips', 'sqlite-in-production',
      ]);
      expect(await postSlugs('{ views: { not: { gte: 75 } } }')).toEqual(['hello-world', 'prisma-tips', 'sqlite-in-production']);
      expect(await postSlugs('{ status: { not: { equals: DRAFT } } }')).toEqual([
        'advanced-graphql', 'graphql-basics', 'postgres-notes', 'sqlite-in-production',
      ]);
      expect(await postSlugs('{ rating: { equals: null } }')).toEqual(['postgres-notes', 'prisma-tips']);
      expect(await postSlugs('{ publishedAt: { not: { equals: null } } }')).toEqual([
        'advanced-graphql', 'graphql-basics', 'postgres-notes', 'sqlite-in-production',
      ]);
      expect(await userEmails('{ name: { equals: null } }')).toEqual(['carol@example.com']);
    });

    it('operators take variables', async () => {
      const slugs = await t.gql(`query($where: PostWhereInput) { posts(where: $where) { slug } }`, {
        where: { views: { in: [0, 5] }, title: { not: { equals: 'Prisma Tips' } } },
      });
      expect(ok(slugs).posts).toEqual([{ slug: 'hello-world' }]);
    });

    it('mode: insensitive matches regardless of case (SQLite: ASCII case, LIKE operators only)', async () => {
      const query = '{ posts(where: { title: { contains: "graphql", mode: insensitive } }) { slug } }';
      expect(ok(await t.gql(query)).posts.map((p: any) => p.slug).sort()).toEqual(['advanced-graphql', 'graphql-basics']);
      expect(await userEmails('{ email: { endsWith: "example.ORG", mode: insensitive } }')).toEqual(['dave@Example.org']);
      if (provider === 'postgresql') {
        expect(await postSlugs('{ title: { contains: "graphql", mode: default } }')).toEqual([]);
        expect(await postSlugs('{ title: { contains: "graphql" } }')).toEqual([]);
        expect(await userEmails('{ email: { equals: "DAVE@example.org", mode: insensitive } }')).toEqual(['dave@Example.org']);
      } else {
        // Same schema on both providers (test/crud-api/provider-parity.test.ts); SQLite has no case-insensitive `=`.
        const error = failed(await t.gql('{ users(where: { email: { equals: "DAVE@example.org", mode: insensitive } }) { email } }'), 'BAD_USER_INPUT');
        expect(error.message).toContain('not supported on SQLite');
      }
    });
  });

  describe('AND, OR, NOT', () => {
    it('combine filters', async () => {
      expect(await postSlugs('{ AND: [{ status: { equals: PUBLISHED } }, { views: { lt: 100 } }] }')).toEqual(['postgres-notes']);
      expect(await postSlugs('{ OR: [{ status: { equals: ARCHIVED } }, { views: { gte: 250 } }] }')).toEqual([
        'advanced-graphql', 'sqlite-in-production',
      ]);
      expect(await postSlugs('{ NOT: [{ status: { equals: PUBLISHED } }, { views: { equals: 0 } }] }')).toEqual([
        'hello-world', 'sqlite-in-production',
      ]);
      // Top-level fields are ANDed with the combinators.
      expect(
        await postSlugs('{ status: { equals: DRAFT }, OR: [{ title: { contains: "Hello" } }, { title: { contains: "GraphQL" } }] }'),
      ).toEqual(['hello-world']);
      expect(
        await postSlugs(
          '{ OR: [{ AND: [{ status: { equals: PUBLISHED } }, { NOT: [{ rating: { equals: null } }] }] }, { slug: { equals: "prisma-tips" } }] }',
        ),
      ).toEqual(['advanced-graphql', 'graphql-basics', 'prisma-tips']);
      expect(await postSlugs('{ OR: [] }')).toEqual([]);
      expect(await postSlugs('{ AND: [] }')).toHaveLength(6);
    });
  });

  describe('relation filters', () => {
    it('to-one is / isNot', async () => {
      expect(await postSlugs('{ author: { is: { roles: { equals: "admin" } } } }')).toEqual(['advanced-graphql', 'graphql-basics', 'hello-world']);
      expect(await postSlugs('{ author: { isNot: { roles: { equals: "admin" } } } }')).toEqual([
        'postgres-notes', 'prisma-tips', 'sqlite-in-production',
      ]);
      // Optional to-one: `is: null` is "has none", `isNot: null` "has one".
      expect(await userEmails('{ profile: { is: null } }')).toEqual(['carol@example.com', 'dave@Example.org']);
      expect(await userEmails('{ profile: { isNot: null } }')).toEqual(['alice@example.com', 'bob@example.com']);
      expect(await userEmails('{ profile: { is: { bio: { equals: null } } } }')).toEqual(['bob@example.com']);
      // Through two levels: profiles of users who wrote an archived post.
      const profiles = ok(
        await t.gql('{ profiles(where: { user: { is: { posts: { some: { status: { equals: ARCHIVED } } } } } }) { user { email } } }'),
      );
      expect(profiles.profiles).toEqual([{ user: { email: 'bob@example.com' } }]);
    });

    it('to-many some / every / none', async () => {
      expect(await userEmails('{ posts: { some: { status: { equals: PUBLISHED } } } }')).toEqual(['alice@example.com', 'carol@example.com']);
      // `every` holds vacuously for users without posts (dave).
      expect(await userEmails('{ posts: { every: { status: { equals: PUBLISHED } } } }')).toEqual(['carol@example.com', 'dave@Example.org']);
      expect(await userEmails('{ posts: { none: { status: { equals: PUBLISHED } } } }')).toEqual(['bob@example.com', 'dave@Example.org']);
      expect(await userEmails('{ posts: { some: {} } }')).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
      expect(await userEmails('{ comments: { none: {} } }')).toEqual(['dave@Example.org']);
    });

    it('implicit many-to-many in both directions', async () => {
      expect(await postSlugs('{ tags: { some: { name: { equals: "intro" } } } }')).toEqual(['graphql-basics', 'hello-world']);
      expect(await postSlugs('{ tags: { every: { name: { in: ["graphql", "intro"] } } } }')).toEqual([
        'advanced-graphql', 'graphql-basics', 'hello-world',
      ]);
      expect(await postSlugs('{ tags: { none: { name: { equals: "databases" } } } }')).toEqual([
        'advanced-graphql', 'graphql-basics', 'hello-world',
      ]);
      const tags = ok(await t.gql('{ tags(where: { posts: { none: {} } }) { name } }'));
      expect(tags.tags).toEqual([{ name: 'unused' }]);
    });

    it('the self-relation (comment threads) and the explicit many-to-many (follows)', async () => {
      const comments = ok(
        await t.gql(`{
          replies: comments(where: { parent: { isNot: null } }) { body parent { body } }
          answered: comments(where: { replies: { some: {} } }) { body }
          topLevel: commentsCount(where: { parent: { is: null } })
        }`),
      );
      expect(comments.replies).toEqual([{ body: 'Thanks Bob', parent: { body: 'Great intro' } }]);
      expect(comments.answered).toEqual([{ body: 'Great intro' }]);
      expect(comments.topLevel).toBe(4);
      expect(await userEmails('{ followers: { some: { follower: { is: { email: { equals: "carol@example.com" } } } } } }')).toEqual([
        'alice@example.com',
      ]);
      expect(await userEmails('{ following: { some: {} }, followers: { none: {} } }')).toEqual(['carol@example.com', 'dave@Example.org']);
    });

    it('nests relation filters inside combinators and deeper relations', async () => {
      // Posts with a comment written by an admin (alice's reply and alice's question).
      expect(await postSlugs('{ comments: { some: { author: { is: { roles: { equals: "admin" } } } } } }')).toEqual([
        'graphql-basics', 'sqlite-in-production',
      ]);
      expect(
        await postSlugs('{ OR: [{ author: { is: { name: { equals: null } } } }, { tags: { some: { name: { equals: "intro" } } } }] }'),
      ).toEqual(['graphql-basics', 'hello-world', 'postgres-notes']);
      expect(await postSlugs('{ NOT: [{ comments: { some: {} } }], author: { is: { email: { startsWith: "alice" } } } }')).toEqual([
        'hello-world',
      ]);
    });
  });

  describe('nested reads', () => {
    it('relation fields take where, orderBy, skip, take and expose <field>Count', async () => {
      const data = ok(
        await t.gql(`{
          user(where: { email: "alice@example.com" }) {
            profile { bio website }
            published: posts(where: { status: { equals: PUBLISHED } }, orderBy: [{ views: desc }]) { slug }
            top: posts(orderBy: [{ views: desc }], take: 1) { slug }
            rest: posts(orderBy: [{ views: desc }], skip: 1) { slug }
            postsCount
            publishedCount: postsCount(where: { status: { equals: PUBLISHED } })
            commentsCount
            followersCount
            followingCount
            followers { follower { email } }
          }
        }`),
      );
      expect(data.user).toEqual({
        profile: { bio: 'Writes about GraphQL', website: 'https://alice.dev' },
        published: [{ slug: 'advanced-graphql' }, { slug: 'graphql-basics' }],
        top: [{ slug: 'advanced-graphql' }],
        rest: [{ slug: 'graphql-basics' }, { slug: 'hello-world' }],
        postsCount: 3,
        publishedCount: 2,
        commentsCount: 2,
        followersCount: 2,
        followingCount: 1,
        followers: expect.arrayContaining([{ follower: { email: 'bob@example.com' } }, { follower: { email: 'carol@example.com' } }]),
      });
    });

    it('a relation answers the same through fragments, inline fragments, @include/@skip and @defer, and beside aliases of itself', async () => {
      // Relations whose selection reads only columns are read straight from the loaded row
      // (src/schema/crud/direct-columns.ts); each form here must give what the plain query gives.
      const plain = ok(await t.gql('{ posts(orderBy: [{ id: asc }]) { slug author { email name } comments(orderBy: [{ id: asc }]) { body author { email } } } }'));
      const forms = [
        `fragment A on User { email name }
         { posts(orderBy: [{ id: asc }]) { slug author { ...A } comments(orderBy: [{ id: asc }]) { body author { ... on User { email } } } } }`,
        '{ posts(orderBy: [{ id: asc }]) { slug author { __typename email name @include(if: true) } comments(orderBy: [{ id: asc }]) { body author { email id @skip(if: true) } } } }',
      ];
      for (const query of forms) {
        const data = ok(await t.gql(query));
        for (const post of data.posts) delete post.author.__typename;
        expect(data).toEqual(plain);
      }
      // Two fields over one relation (an alias with other arguments beside it): each its own rows.
      const aliased = ok(await t.gql('{ user(where: { email: "alice@example.com" }) { posts(orderBy: [{ views: asc }]) { slug } top: posts(orderBy: [{ views: desc }], take: 1) { slug } } }'));
      expect(aliased.user).toEqual({ posts: [{ slug: 'hello-world' }, { slug: 'graphql-basics' }, { slug: 'advanced-graphql' }], top: [{ slug: 'advanced-graphql' }] });
      // A deferred fragment below a relation: the first payload has the columns asked for at once.
      const response = await t.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
        body: JSON.stringify({ query: '{ post(where: { slug: "graphql-basics" }) { author { email ... @defer { name } } } }' }),
      });
      const text = await response.text();
      expect(text).toContain('"author":{"email":"alice@example.com"}');
      expect(text).toContain('"name":"Alice"');
    });

    it('reads three levels deep, through the self-relation and the implicit many-to-many', async () => {
      const data = ok(
        await t.gql(`{
          post(where: { slug: "graphql-basics" }) {
            author { email }
            tags(orderBy: [{ name: asc }]) { name postsCount }
            tagsCount
            comments(where: { parent: { is: null } }, orderBy: [{ id: asc }]) {
              body
              author { name }
              replies { body author { email } parent { body } }
              repliesCount
            }
            commentsCount
            topLevel: commentsCount(where: { parentId: { equals: null } })
          }
        }`),
      );
      expect(data.post).toEqual({
        author: { email: 'alice@example.com' },
        tags: [{ name: 'graphql', postsCount: 2 }, { name: 'intro', postsCount: 2 }],
        tagsCount: 2,
        comments: [
          {
            body: 'Great intro',
            author: { name: 'Bob' },
            replies: [{ body: 'Thanks Bob', author: { email: 'alice@example.com' }, parent: { body: 'Great intro' } }],
            repliesCount: 1,
          },
          { body: 'Helpful', author: { name: null }, replies: [], repliesCount: 0 },
        ],
        commentsCount: 3,
        topLevel: 2,
      });
    });

    it('relation lists page with cursor and distinct too', async () => {
      const data = ok(
        await t.gql(
          `query($cursor: Int!) {
            user(where: { email: "alice@example.com" }) {
              posts(orderBy: [{ id: asc }], cursor: { id: $cursor }, skip: 1) { slug }
              comments(distinct: [postId], orderBy: [{ postId: asc }]) { post { slug } }
            }
          }`,
          { cursor: seed.posts['graphql-basics'] },
        ),
      );
      expect(data.user.posts).toEqual([{ slug: 'advanced-graphql' }, { slug: 'hello-world' }]);
      expect(data.user.comments.map((c: any) => c.post.slug).sort()).toEqual(['graphql-basics', 'sqlite-in-production']);
    });

    it('counts at the top level', async () => {
      const data = ok(
        await t.gql(`{
          all: postsCount
          drafts: postsCount(where: { status: { equals: DRAFT } })
          tagsCount
          followsCount(where: { following: { is: { email: { equals: "bob@example.com" } } } })
        }`),
      );
      expect(data).toEqual({ all: 6, drafts: 2, tagsCount: 4, followsCount: 2 });
    });
  });
});
