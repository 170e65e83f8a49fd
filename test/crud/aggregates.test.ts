import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, ok, seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

describeEachProvider('count, aggregate and groupBy', (provider) => {
  let t: TestApp;
  let seed: BlogSeed;
  beforeAll(async () => {
    t = await createCrudApp(provider);
    seed = await seedBlog(t);
  });
  afterAll(() => t?.close());

  describe('count', () => {
    it('counts rows matching where, relation filters included', async () => {
      const data = ok(
        await t.gql(`{
          all: postsCount
          published: postsCount(where: { status: { equals: PUBLISHED } })
          byAdmins: postsCount(where: { author: { is: { roles: { equals: "admin" } } } })
          tagged: postsCount(where: { tags: { some: {} } })
          none: postsCount(where: { views: { gt: 100000 } })
          users: usersCount(where: { followers: { some: {} } })
          comments: commentsCount
        }`),
      );
      expect(data).toEqual({ all: 6, published: 3, byAdmins: 3, tagged: 6, none: 0, users: 2, comments: 5 });
    });
  });

  describe('aggregate', () => {
    it('computes _count, _sum, _avg, _min and _max over every row', async () => {
      const data = ok(
        await t.gql(`{
          postsAggregate {
            _count { _all rating publishedAt views }
            _sum { views rating }
            _avg { views rating }
            _min { views rating publishedAt slug status }
            _max { views rating publishedAt slug }
          }
        }`),
      );
      const agg = data.postsAggregate;
      expect(agg._count).toEqual({ _all: 6, rating: 4, publishedAt: 4, views: 6 });
      expect(agg._sum.views).toBe(470);
      expect(agg._sum.rating).toBeCloseTo(14.5);
      expect(agg._avg.views).toBeCloseTo(470 / 6);
      expect(agg._avg.rating).toBeCloseTo(14.5 / 4);
      // PostgreSQL orders enum values as declared (DRAFT first); SQLite stores them as text.
      const minStatus = provider === 'postgresql' ? 'DRAFT' : 'ARCHIVED';
      expect(agg._min).toEqual({ views: 0, rating: 2, publishedAt: '2023-06-01T00:00:00.000Z', slug: 'advanced-graphql', status: minStatus });
      expect(agg._max).toEqual({ views: 250, rating: 4.8, publishedAt: '2024-03-01T00:00:00.000Z', slug: 'sqlite-in-production' });
    });

    it('applies where, and answers nulls for an empty set', async () => {
      const data = ok(
        await t.gql(`{
          bob: postsAggregate(where: { author: { is: { email: { equals: "bob@example.com" } } } }) {
            _count { _all } _sum { views } _max { rating }
          }
          empty: postsAggregate(where: { views: { gt: 100000 } }) {
            _count { _all } _sum { views } _avg { views } _min { views publishedAt } _max { slug }
          }
          replies: commentsAggregate { _count { _all parentId } }
        }`),
      );
      expect(data.bob).toEqual({ _count: { _all: 2 }, _sum: { views: 40 }, _max: { rating: 3.2 } });
      expect(data.empty).toEqual({ _count: { _all: 0 }, _sum: { views: null }, _avg: { views: null }, _min: { views: null, publishedAt: null }, _max: { slug: null } });
      expect(data.replies).toEqual({ _count: { _all: 5, parentId: 1 } });
    });

    it('asks only for what was selected, through aliases and fragments', async () => {
      t.resetQueries();
      const data = ok(
        await t.gql(`
          fragment Sums on PostAggregate { total: _sum { views } }
          { postsAggregate { ...Sums ... on PostAggregate { _max { views } } } }
        `),
      );
      expect(data.postsAggregate).toEqual({ total: { views: 470 }, _max: { views: 250 } });
      const [sql] = t.queries.filter((q) => /SELECT/i.test(q));
      expect(sql).toMatch(/SUM/i);
      expect(sql).toMatch(/MAX/i);
      expect(sql).not.toMatch(/AVG|MIN\(|COUNT/i);
    });
  });

  describe('groupBy', () => {
    type Group = Record<string, any>;
    const groups = async (args: string, selection: string): Promise<Group[]> =>
      ok(await t.gql(`{ postsGroupBy(${args}) { ${selection} } }`)).postsGroupBy;
    const authorOf = (id: number) => Object.entries(seed.users).find(([, v]) => v === id)![0];

    it('groups by one field with aggregates per group', async () => {
      const rows = await groups('by: [authorId], orderBy: [{ authorId: asc }]', 'authorId title _count { _all } _sum { views } _avg { rating } _max { views }');
      expect(rows.map((g) => ({ ...g, authorId: authorOf(g.authorId), _avg: { rating: g._avg.rating && Math.round(g._avg.rating * 100) / 100 } }))).toEqual([
        { authorId: 'alice', title: null, _count: { _all: 3 }, _sum: { views: 355 }, _avg: { rating: 3.77 }, _max: { views: 250 } },
        { authorId: 'bob', title: null, _count: { _all: 2 }, _sum: { views: 40 }, _avg: { rating: 3.2 }, _max: { views: 40 } },
        { authorId: 'carol', title: null, _count: { _all: 1 }, _sum: { views: 75 }, _avg: { rating: null }, _max: { views: 75 } },
      ]);
    });

    it('groups by several fields and by an enum', async () => {
      const pairs = await groups('by: [authorId, status]', 'authorId status _count { _all }');
      expect(pairs.map((g) => `${authorOf(g.authorId)}:${g.status}:${g._count._all}`).sort()).toEqual([
        'alice:DRAFT:1', 'alice:PUBLISHED:2', 'bob:ARCHIVED:1', 'bob:DRAFT:1', 'carol:PUBLISHED:1',
      ]);
      const statuses = await groups('by: [status]', 'status _count { _all }');
      expect(Object.fromEntries(statuses.map((g) => [g.status, g._count._all]))).toEqual({ DRAFT: 2, PUBLISHED: 3, ARCHIVED: 1 });
    });

    it('filters groups with having on aggregates, on grouped fields and with combinators', async () => {
      const bySum = await groups('by: [authorId], having: { views: { _sum: { gt: 50 } } }', 'authorId');
      expect(bySum.map((g) => authorOf(g.authorId)).sort()).toEqual(['alice', 'carol']);
      const byCount = await groups('by: [authorId], having: { id: { _count: { gte: 2 } } }', 'authorId');
      expect(byCount.map((g) => authorOf(g.authorId)).sort()).toEqual(['alice', 'bob']);
      const byAvg = await groups('by: [authorId], having: { rating: { _avg: { lt: 3.5 } } }', 'authorId');
      expect(byAvg.map((g) => authorOf(g.authorId))).toEqual(['bob']);
      const byMinMax = await groups('by: [authorId], having: { views: { _min: { equals: 0 } } }', 'authorId');
      expect(byMinMax.map((g) => authorOf(g.authorId))).toEqual(['bob']);
      const grouped = await groups('by: [status], having: { status: { in: [DRAFT, ARCHIVED] } }', 'status');
      expect(grouped.map((g) => g.status).sort()).toEqual(['ARCHIVED', 'DRAFT']);
      const combined = await groups(
        'by: [authorId], having: { OR: [{ views: { _max: { gte: 250 } } }, { views: { _sum: { lt: 50 } } }], NOT: [{ id: { _count: { equals: 2 } } }] }',
        'authorId',
      );
      expect(combined.map((g) => authorOf(g.authorId))).toEqual(['alice']);
    });

    it('applies where before grouping', async () => {
      const rows = await groups('by: [authorId], where: { status: { equals: PUBLISHED } }', 'authorId _count { _all }');
      expect(rows.map((g) => `${authorOf(g.authorId)}:${g._count._all}`).sort()).toEqual(['alice:2', 'carol:1']);
    });

    it('orders groups by aggregates and pages them', async () => {
      const ordered = await groups('by: [authorId], orderBy: [{ _sum: { views: desc } }]', 'authorId _sum { views }');
      expect(ordered.map((g) => [authorOf(g.authorId), g._sum.views])).toEqual([['alice', 355], ['carol', 75], ['bob', 40]]);
      const byCount = await groups('by: [authorId], orderBy: [{ _count: { id: asc } }, { authorId: desc }]', 'authorId');
      expect(byCount.map((g) => authorOf(g.authorId))).toEqual(['carol', 'bob', 'alice']);
      const paged = await groups('by: [authorId], orderBy: [{ _sum: { views: desc } }], skip: 1, take: 1', 'authorId');
      expect(paged.map((g) => authorOf(g.authorId))).toEqual(['carol']);
      const nulls = await groups('by: [rating], where: { authorId: { equals: ' + seed.users.alice + ' } }, orderBy: [{ rating: desc_nulls_last }]', 'rating');
      expect(nulls.map((g) => g.rating)).toEqual([4.8, 4.5, 2]);
    });

    it('groups other models: follows per followed user, comments per post', async () => {
      const follows = ok(
        await t.gql('{ followsGroupBy(by: [followingId], orderBy: [{ _count: { followerId: desc } }]) { followingId _count { _all } } }'),
      ).followsGroupBy;
      expect(follows.map((f: any) => f.followingId).sort()).toEqual([seed.users.alice, seed.users.bob].sort());
      expect(follows.map((f: any) => f._count._all)).toEqual([2, 2]);
      const comments = ok(
        await t.gql('{ commentsGroupBy(by: [postId], having: { postId: { _count: { gt: 1 } } }) { postId _count { _all parentId } } }'),
      ).commentsGroupBy;
      expect(comments).toEqual([{ postId: seed.posts['graphql-basics'], _count: { _all: 3, parentId: 1 } }]);
    });
  });
});
