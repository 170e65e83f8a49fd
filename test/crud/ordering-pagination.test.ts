import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, ok, seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('ordering and pagination', (provider) => {
  let t: TestApp;
  let seed: BlogSeed;
  beforeAll(async () => {
    t = await createCrudApp(provider);
    seed = await seedBlog(t);
  });
  afterAll(() => t?.close());

  /** Slugs of `posts(<args>)` in the order returned. */
  const postSlugs = async (args: string, variables: Record<string, unknown> = {}) => {
    const declared = Object.keys(variables).map((k) => `$${k}: Int`).join(', ');
    const data = ok(await t.gql(`query${declared ? `(${declared})` : ''} { posts(${args}) { slug } }`, variables));
    return data.posts.map((p: { slug: string }) => p.slug);
  };
  const byId = ['graphql-basics', 'advanced-graphql', 'prisma-tips', 'sqlite-in-production', 'postgres-notes', 'hello-world'];

  describe('orderBy', () => {
    it('orders by one field either way', async () => {
      expect(await postSlugs('orderBy: [{ id: asc }]')).toEqual(byId);
      expect(await postSlugs('orderBy: [{ id: desc }]')).toEqual([...byId].reverse());
      expect(await postSlugs('orderBy: [{ views: desc }]')).toEqual([
        'advanced-graphql', 'graphql-basics', 'postgres-notes', 'sqlite-in-production', 'hello-world', 'prisma-tips',
      ]);
      // Titles that all start upper case, so collation differences between databases do not matter.
      expect(await postSlugs('where: { title: { not: { equals: "postgres notes" } } }, orderBy: [{ title: asc }]')).toEqual([
        'advanced-graphql', 'graphql-basics', 'hello-world', 'prisma-tips', 'sqlite-in-production',
      ]);
    });

    it('orders by several fields, the first entry deciding first', async () => {
      expect(await postSlugs('orderBy: [{ authorId: asc }, { views: desc }]')).toEqual([
        'advanced-graphql', 'graphql-basics', 'hello-world', 'sqlite-in-production', 'prisma-tips', 'postgres-notes',
      ]);
      expect(await postSlugs('orderBy: [{ authorId: desc }, { views: asc }]')).toEqual([
        'postgres-notes', 'prisma-tips', 'sqlite-in-production', 'hello-world', 'graphql-basics', 'advanced-graphql',
      ]);
    });

    it('orders by fields of a to-one relation, nested', async () => {
      expect(await postSlugs('orderBy: [{ author: { email: desc } }, { id: asc }]')).toEqual([
        'postgres-notes', 'prisma-tips', 'sqlite-in-production', 'graphql-basics', 'advanced-graphql', 'hello-world',
      ]);
      const comments = ok(
        await t.gql('{ comments(orderBy: [{ post: { author: { email: desc } } }, { post: { views: asc } }, { id: asc }]) { body } }'),
      );
      expect(comments.comments.map((c: any) => c.body)).toEqual(['Still relevant?', 'Great intro', 'Thanks Bob', 'Helpful', 'Deep dive']);
    });

    it('orders by the number of related rows (_count), including many-to-many and self-relations', async () => {
      const data = ok(
        await t.gql(`{
          users(orderBy: [{ posts: { _count: desc } }, { email: asc }]) { email postsCount }
          tags(orderBy: [{ posts: { _count: desc } }, { name: asc }]) { name }
          comments(orderBy: [{ replies: { _count: desc } }, { id: desc }], take: 2) { body }
          followed: users(orderBy: [{ followers: { _count: asc } }, { email: asc }]) { email }
        }`),
      );
      expect(data.users).toEqual([
        { email: 'alice@example.com', postsCount: 3 },
        { email: 'bob@example.com', postsCount: 2 },
        { email: 'carol@example.com', postsCount: 1 },
        { email: 'dave@Example.org', postsCount: 0 },
      ]);
      expect(data.tags.map((t: any) => t.name)).toEqual(['databases', 'graphql', 'intro', 'unused']);
      expect(data.comments.map((c: any) => c.body)).toEqual(['Great intro', 'Still relevant?']);
      expect(data.followed.map((u: any) => u.email)).toEqual(['carol@example.com', 'dave@Example.org', 'alice@example.com', 'bob@example.com']);
    });

    it('places nulls first or last as asked (NullableSortOrder)', async () => {
      const nullsAt = (order: string) => postSlugs(`orderBy: [{ rating: ${order} }, { id: asc }]`);
      expect(await nullsAt('asc_nulls_first')).toEqual([
        'prisma-tips', 'postgres-notes', 'hello-world', 'sqlite-in-production', 'graphql-basics', 'advanced-graphql',
      ]);
      expect(await nullsAt('asc_nulls_last')).toEqual([
        'hello-world', 'sqlite-in-production', 'graphql-basics', 'advanced-graphql', 'prisma-tips', 'postgres-notes',
      ]);
      expect(await nullsAt('desc_nulls_first')).toEqual([
        'prisma-tips', 'postgres-notes', 'advanced-graphql', 'graphql-basics', 'sqlite-in-production', 'hello-world',
      ]);
      expect(await nullsAt('desc_nulls_last')).toEqual([
        'advanced-graphql', 'graphql-basics', 'sqlite-in-production', 'hello-world', 'prisma-tips', 'postgres-notes',
      ]);
      // Plain asc/desc on a nullable field leave null placement to the database, but order the rest.
      const plain = await nullsAt('desc');
      expect(plain.filter((s: string) => s !== 'prisma-tips' && s !== 'postgres-notes')).toEqual([
        'advanced-graphql', 'graphql-basics', 'sqlite-in-production', 'hello-world',
      ]);
      const users = ok(
        await t.gql(`{
          byBio: users(orderBy: [{ profile: { bio: asc_nulls_first } }, { email: asc }]) { email }
          byName: users(orderBy: [{ name: desc_nulls_last }]) { email }
        }`),
      );
      // Users without a profile sort like a null bio.
      expect(users.byBio.map((u: any) => u.email)).toEqual(['bob@example.com', 'carol@example.com', 'dave@Example.org', 'alice@example.com']);
      expect(users.byName.map((u: any) => u.email).at(-1)).toBe('carol@example.com');
    });

    it('orders relation lists on object fields', async () => {
      const data = ok(
        await t.gql(`{
          user(where: { email: "bob@example.com" }) {
            posts(orderBy: [{ rating: desc_nulls_last }]) { slug }
            following(orderBy: [{ following: { email: desc } }]) { following { email } }
          }
          tag(where: { name: "databases" }) { posts(orderBy: [{ views: desc }]) { slug } }
        }`),
      );
      expect(data.user.posts.map((p: any) => p.slug)).toEqual(['sqlite-in-production', 'prisma-tips']);
      expect(data.user.following).toEqual([{ following: { email: 'alice@example.com' } }]);
      expect(data.tag.posts.map((p: any) => p.slug)).toEqual(['postgres-notes', 'sqlite-in-production', 'prisma-tips']);
    });
  });

  describe('offset pagination', () => {
    it('skip and take page through an ordered list', async () => {
      expect(await postSlugs('orderBy: [{ id: asc }], take: 2')).toEqual(byId.slice(0, 2));
      expect(await postSlugs('orderBy: [{ id: asc }], skip: 2, take: 2')).toEqual(byId.slice(2, 4));
      expect(await postSlugs('orderBy: [{ id: asc }], skip: 4, take: 2')).toEqual(byId.slice(4, 6));
      expect(await postSlugs('orderBy: [{ id: asc }], skip: 6, take: 2')).toEqual([]);
      expect(await postSlugs('orderBy: [{ id: asc }], skip: 5')).toEqual(byId.slice(5));
      expect(await postSlugs('orderBy: [{ id: asc }], take: 0')).toEqual([]);
    });

    it('a negative take counts from the end (results keep the requested order)', async () => {
      expect(await postSlugs('orderBy: [{ id: asc }], take: -2')).toEqual(byId.slice(4));
      expect(await postSlugs('orderBy: [{ id: asc }], skip: 1, take: -2')).toEqual(byId.slice(3, 5));
    });

    it('returns every row when take is left out (below the page-size cap)', async () => {
      expect(await postSlugs('orderBy: [{ id: asc }]')).toHaveLength(6);
    });
  });

  describe('cursor pagination', () => {
    it('starts at the cursor row; skip: 1 starts after it', async () => {
      const cursor = seed.posts['prisma-tips'];
      expect(await postSlugs('orderBy: [{ id: asc }], cursor: { id: $c }, take: 2', { c: cursor })).toEqual(byId.slice(2, 4));
      expect(await postSlugs('orderBy: [{ id: asc }], cursor: { id: $c }, skip: 1, take: 2', { c: cursor })).toEqual(byId.slice(3, 5));
      expect(await postSlugs('orderBy: [{ id: asc }], cursor: { id: $c }, take: -2', { c: cursor })).toEqual(byId.slice(1, 3));
      expect(await postSlugs('orderBy: [{ id: asc }], cursor: { id: $c }, skip: 1, take: -2', { c: cursor })).toEqual(byId.slice(0, 2));
    });

    it('takes any unique field as cursor and follows a non-id ordering', async () => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const args = cursor ? `cursor: { slug: "${cursor}" }, skip: 1, ` : '';
        const page = await postSlugs(`${args}orderBy: [{ views: desc }, { id: asc }], take: 4`);
        if (!page.length) break;
        pages.push(page);
        cursor = page.at(-1);
      }
      expect(pages).toEqual([
        ['advanced-graphql', 'graphql-basics', 'postgres-notes', 'sqlite-in-production'],
        ['hello-world', 'prisma-tips'],
      ]);
    });

    it('pages with a composite-id cursor (Follow)', async () => {
      const data = ok(
        await t.gql(
          `query($a: Int!, $b: Int!) {
            follows(orderBy: [{ followerId: asc }, { followingId: asc }], cursor: { followerId_followingId: { followerId: $a, followingId: $b } }, skip: 1) {
              follower { email }
            }
          }`,
          { a: seed.users.bob, b: seed.users.alice },
        ),
      );
      expect(data.follows.map((f: any) => f.follower.email)).toEqual(['carol@example.com', 'dave@Example.org']);
    });

    it('combines cursor with where', async () => {
      expect(
        await postSlugs('where: { author: { is: { email: { equals: "alice@example.com" } } } }, orderBy: [{ id: asc }], cursor: { id: $c }', {
          c: seed.posts['advanced-graphql'],
        }),
      ).toEqual(['advanced-graphql', 'hello-world']);
    });
  });

  describe('distinct', () => {
    it('keeps the first row of each distinct value, in orderBy order', async () => {
      expect(await postSlugs('distinct: [authorId], orderBy: [{ authorId: asc }, { views: desc }]')).toEqual([
        'advanced-graphql', 'sqlite-in-production', 'postgres-notes',
      ]);
      expect(await postSlugs('distinct: [authorId], orderBy: [{ authorId: asc }, { views: asc }]')).toEqual([
        'hello-world', 'prisma-tips', 'postgres-notes',
      ]);
      const statuses = ok(await t.gql('{ posts(distinct: [status], orderBy: [{ id: asc }]) { status } }'));
      expect(statuses.posts.map((p: any) => p.status).sort()).toEqual(['ARCHIVED', 'DRAFT', 'PUBLISHED']);
    });

    it('distinct over several fields and with paging', async () => {
      const rows = ok(await t.gql('{ posts(distinct: [authorId, status], orderBy: [{ id: asc }]) { authorId status } }')).posts;
      expect(rows).toHaveLength(5); // alice: PUBLISHED, DRAFT; bob: DRAFT, ARCHIVED; carol: PUBLISHED
      expect(await postSlugs('distinct: [authorId], orderBy: [{ authorId: asc }, { views: desc }], skip: 1, take: 1')).toEqual([
        'sqlite-in-production',
      ]);
    });
  });
});
