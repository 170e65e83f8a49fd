import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, ok, seedBlog } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { slug: string } }[];
}

describeEachProvider('Relay connections', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createCrudApp(provider);
    await seedBlog(t);
  });
  afterAll(() => t?.close());

  const byId = ['graphql-basics', 'advanced-graphql', 'prisma-tips', 'sqlite-in-production', 'postgres-notes', 'hello-world'];
  const byViews = ['advanced-graphql', 'graphql-basics', 'postgres-notes', 'sqlite-in-production', 'hello-world', 'prisma-tips'];

  const page = async (args: Record<string, unknown>, extra = ''): Promise<Page> => {
    const data = ok(
      await t.gql(
        `query($first: Int, $after: String, $last: Int, $before: String, $where: PostWhereInput, $orderBy: [PostOrderByInput!]) {
          postsConnection(first: $first, after: $after, last: $last, before: $before, where: $where, orderBy: $orderBy${extra}) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { slug } }
          }
        }`,
        args,
      ),
    );
    return data.postsConnection;
  };
  const slugs = (p: Page) => p.edges.map((e) => e.node.slug);

  describe('forward (first/after)', () => {
    it('returns the first page with cursors and pageInfo', async () => {
      const first = await page({ first: 2 });
      expect(slugs(first)).toEqual(byId.slice(0, 2));
      expect(first.totalCount).toBe(6);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
      expect(first.pageInfo.endCursor).toBe(first.edges[1]!.cursor);
      expect(new Set(first.edges.map((e) => e.cursor)).size).toBe(2);
    });

    it('walks every row exactly once, page by page', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const p: Page = await page({ first: 4, after });
        seen.push(...slugs(p));
        pages += 1;
        expect(p.totalCount).toBe(6);
        if (pages > 1) expect(p.pageInfo.hasPreviousPage).toBe(true);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(pages).toBe(2);
      expect(seen).toEqual(byId);
    });

    it('follows orderBy (ties broken by id) and where', async () => {
      const orderBy = [{ views: 'desc' }];
      const one = await page({ first: 3, orderBy });
      const two = await page({ first: 3, after: one.pageInfo.endCursor, orderBy });
      expect([...slugs(one), ...slugs(two)]).toEqual(byViews);
      expect(two.pageInfo.hasNextPage).toBe(false);

      const where = { author: { is: { email: { equals: 'alice@example.com' } } } };
      const alice = await page({ first: 2, where, orderBy: [{ views: 'asc' }] });
      expect(alice.totalCount).toBe(3);
      expect(slugs(alice)).toEqual(['hello-world', 'graphql-basics']);
      const rest = await page({ first: 2, after: alice.pageInfo.endCursor, where, orderBy: [{ views: 'asc' }] });
      expect(slugs(rest)).toEqual(['advanced-graphql']);
      expect(rest.pageInfo.hasNextPage).toBe(false);
    });

    it('returns an empty page past the end and for an empty result', async () => {
      const all = await page({ first: 6 });
      expect(all.pageInfo.hasNextPage).toBe(false);
      const past = await page({ first: 2, after: all.pageInfo.endCursor });
      expect(past.edges).toEqual([]);
      expect(past.pageInfo.hasNextPage).toBe(false);
      const none = await page({ first: 2, where: { views: { gt: 10_000 } } });
      expect(none).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
    });
  });

  describe('backward (last/before)', () => {
    it('returns the last page', async () => {
      const last = await page({ last: 2 });
      expect(slugs(last)).toEqual(byId.slice(4));
      expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      expect(last.totalCount).toBe(6);
    });

    it('walks backwards from the end to the start', async () => {
      const seen: string[][] = [];
      let before: string | null = null;
      for (;;) {
        const p: Page = await page({ last: 4, before });
        seen.unshift(slugs(p));
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(seen).toEqual([byId.slice(0, 2), byId.slice(2)]);
    });

    it('goes back from a cursor reached going forward, under a custom order', async () => {
      const orderBy = [{ views: 'desc' }];
      const forward = await page({ first: 4, orderBy });
      const back = await page({ last: 2, before: forward.pageInfo.endCursor, orderBy });
      expect(slugs(back)).toEqual(byViews.slice(1, 3));
      expect(back.pageInfo.hasPreviousPage).toBe(true);
      expect(back.pageInfo.hasNextPage).toBe(true);
    });
  });

  it('uses the default page size when neither first nor last is given', async () => {
    const p = await page({});
    expect(slugs(p)).toEqual(byId);
    expect(p.pageInfo.hasNextPage).toBe(false);
  });

  it('pages a composite-id model (Follow) with relations in the nodes', async () => {
    const query = `query($after: String) {
      followsConnection(first: 3, after: $after, orderBy: [{ createdAt: asc }]) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { follower { email } following { email } } }
      }
    }`;
    const one = ok(await t.gql(query, { after: null })).followsConnection;
    expect(one.totalCount).toBe(4);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = ok(await t.gql(query, { after: one.pageInfo.endCursor })).followsConnection;
    expect(two.pageInfo.hasNextPage).toBe(false);
    const pairs = [...one.edges, ...two.edges].map((e: any) => `${e.node.follower.email}>${e.node.following.email}`);
    expect(pairs.sort()).toEqual([
      'alice@example.com>bob@example.com',
      'bob@example.com>alice@example.com',
      'carol@example.com>alice@example.com',
      'dave@Example.org>bob@example.com',
    ]);
  });

  it('nodes expose nested relations with their arguments', async () => {
    const data = ok(
      await t.gql(`{
        usersConnection(first: 2, where: { posts: { some: {} } }, orderBy: [{ email: asc }]) {
          totalCount
          edges { node { email posts(orderBy: [{ views: desc }], take: 1) { slug } postsCount } }
        }
      }`),
    );
    expect(data.usersConnection).toEqual({
      totalCount: 3,
      edges: [
        { node: { email: 'alice@example.com', posts: [{ slug: 'advanced-graphql' }], postsCount: 3 } },
        { node: { email: 'bob@example.com', posts: [{ slug: 'sqlite-in-production' }], postsCount: 2 } },
      ],
    });
  });
});
