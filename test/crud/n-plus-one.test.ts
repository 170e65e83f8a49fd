import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbClient } from '../../src/db/index.ts';
import { createCrudApp, ok } from '../support/blog-seed.ts';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';

/**
 * A selection tree costs a fixed number of SQL statements, whatever the number of rows: the
 * relations of a page of 5 posts and of 20 posts load in the same statements (at most one per
 * relation level), never one per row.
 */
describeEachProvider('no N+1', (provider) => {
  let t: TestApp;
  /** The same data served with the example app's access rules enforced (here: an anonymous viewer). */
  let enforced: TestApp;
  const seed = async (db: DbClient) => {
    await db.user.createMany({ data: Array.from({ length: 6 }, (_, i) => ({ email: `u${i}@n1.dev`, name: `User ${i}` })) });
    const users = (await db.user.findMany({ orderBy: { id: 'asc' } })) as { id: number }[];
    await db.tag.createMany({ data: Array.from({ length: 4 }, (_, i) => ({ name: `tag-${i}` })) });
    // Two authors: u0 writes 5 posts, u1 writes 20 (their nested reads are compared in mutations).
    for (let i = 0; i < 25; i++) {
      const author = i < 5 ? users[0]! : users[1]!;
      await db.post.create({
        data: {
          title: `Post ${i}`,
          slug: `post-${i}`,
          status: 'PUBLISHED',
          authorId: author.id,
          tags: { connect: [{ name: `tag-${i % 4}` }, { name: `tag-${(i + 1) % 4}` }] },
          comments: {
            create: [0, 1, 2].map((c) => ({ body: `comment ${i}.${c}`, authorId: users[2 + ((i + c) % 4)]!.id })),
          },
        },
      });
    }
    const firstComment = (await db.comment.findFirst({ orderBy: { id: 'asc' } })) as { id: number; postId: number };
    await db.comment.create({ data: { body: 'reply', postId: firstComment.postId, authorId: users[0]!.id, parentId: firstComment.id } });
  };
  beforeAll(async () => {
    [t, enforced] = await Promise.all([createCrudApp(provider), createTestApp('blog', provider)]);
    await Promise.all([seed(t.app.db), seed(enforced.app.db)]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), enforced?.close()]);
  });

  /** Runs `query` and returns its data and the data statements it caused. */
  const measure = async (query: string, variables?: Record<string, unknown>, app = t) => {
    app.resetQueries();
    const data = ok(await app.gql(query, variables));
    return { data, statements: dataStatements(app.queries) };
  };

  const postsTree = `query($take: Int) {
    posts(take: $take, orderBy: [{ id: asc }]) {
      title
      author { email }
      comments(orderBy: [{ id: asc }]) { body author { email } }
      tags(orderBy: [{ name: asc }]) { name }
    }
  }`;

  it('a list of posts with author, comments (with author) and tags', async () => {
    const five = await measure(postsTree, { take: 5 });
    const twenty = await measure(postsTree, { take: 20 });
    expect(five.data.posts).toHaveLength(5);
    expect(twenty.data.posts).toHaveLength(20);
    expect(twenty.data.posts.every((p: any) => p.author.email && p.comments.length >= 3 && p.tags.length === 2)).toBe(true);
    expect(twenty.data.posts[7].comments.every((c: any) => c.author.email.endsWith('@n1.dev'))).toBe(true);
    expect(twenty.statements.length).toBe(five.statements.length);
    // posts, author, comments, comments.author, tags: one statement per level at most.
    expect(twenty.statements.length).toBeLessThanOrEqual(5);
  });

  it('the same tree under the access rules (anonymous viewer) stays constant too', async () => {
    const query = postsTree.replace(/email/g, 'name');
    const five = await measure(query, { take: 5 }, enforced);
    const twenty = await measure(query, { take: 20 }, enforced);
    expect(twenty.data.posts).toHaveLength(20);
    expect(twenty.data.posts[3].comments[0].author.name).toMatch(/^User /);
    expect(twenty.statements.length).toBe(five.statements.length);
    expect(twenty.statements.length).toBeLessThanOrEqual(5);
  });

  it('reads load the columns the query asks for (and the key), not whole rows', async () => {
    const { statements } = await measure('{ users(take: 2) { name posts(take: 1) { title } } }');
    const sql = statements.join('\n');
    // A column as SQL names it ("x" on PostgreSQL, `x` on SQLite).
    const column = (name: string) => new RegExp(`["\`]${name}["\`]`);
    expect(sql).toMatch(column('name'));
    expect(sql).toMatch(column('title'));
    for (const unasked of ['email', 'passwordHash', 'roles', 'body', 'views']) expect(sql).not.toMatch(column(unasked));
    // Under the rules, what the read rules decide on is loaded too (Post: status and authorId), so
    // rows are checked without another query.
    const ruled = await measure('{ posts(take: 2) { title } }', {}, enforced);
    expect(ruled.statements).toHaveLength(1);
    expect(ruled.statements[0]).toMatch(column('status'));
    expect(ruled.statements[0]).not.toMatch(column('body'));
  });

  it('relation counts and relation arguments add no per-row statements', async () => {
    const query = `query($take: Int) {
      posts(take: $take, orderBy: [{ id: asc }]) {
        commentsCount
        repliesOnly: commentsCount(where: { parentId: { not: { equals: null } } })
        tagsCount
        latest: comments(orderBy: [{ id: desc }], take: 1, where: { body: { contains: "comment" } }) { body repliesCount }
        author { postsCount posts(take: 2, orderBy: [{ id: desc }]) { slug } }
      }
    }`;
    const five = await measure(query, { take: 5 });
    const twenty = await measure(query, { take: 20 });
    expect(twenty.data.posts[0]).toMatchObject({ commentsCount: 4, repliesOnly: 1, tagsCount: 2, latest: [{ body: 'comment 0.2', repliesCount: 0 }] });
    expect(twenty.data.posts[19].latest).toEqual([{ body: 'comment 19.2', repliesCount: 0 }]);
    // `take` on a nested list applies per parent, not to the batch all parents share.
    expect(twenty.data.posts[0].author.posts).toEqual([{ slug: 'post-4' }, { slug: 'post-3' }]);
    expect(twenty.data.posts[19].author.posts).toEqual([{ slug: 'post-24' }, { slug: 'post-23' }]);
    expect(twenty.statements.length).toBe(five.statements.length);
    // posts (with both counts), latest comments, author, author.posts — plus one batched statement
    // for the second, differently filtered count of the same relation (one `_count` per relation).
    expect(twenty.statements.length).toBeLessThanOrEqual(5);
  });

  it('three levels through the self-relation and back up to the root', async () => {
    const query = `query($take: Int) {
      users(take: $take, orderBy: [{ id: asc }]) {
        comments { post { title tags { name } } replies { author { email } } parent { body } }
      }
    }`;
    const two = await measure(query, { take: 2 });
    const six = await measure(query, { take: 6 });
    expect(six.data.users.flatMap((u: any) => u.comments)).toHaveLength(76);
    expect(six.statements.length).toBe(two.statements.length);
    expect(six.statements.length).toBeLessThanOrEqual(7);
  });

  it('a connection page of posts with nested relations', async () => {
    const query = `query($first: Int) {
      postsConnection(first: $first, orderBy: [{ views: desc }]) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { title author { email } comments { body author { email } } tags { name } commentsCount } }
      }
    }`;
    const five = await measure(query, { first: 5 });
    const twenty = await measure(query, { first: 20 });
    expect(five.data.postsConnection.edges).toHaveLength(5);
    expect(twenty.data.postsConnection.edges).toHaveLength(20);
    expect(twenty.data.postsConnection.totalCount).toBe(25);
    expect(twenty.statements.length).toBe(five.statements.length);
    // The page's tree (5 levels at most) plus one count for totalCount.
    expect(twenty.statements.length).toBeLessThanOrEqual(6);
  });

  it('a mutation returning nested data reads it back in constant statements', async () => {
    const query = `mutation($email: String!, $name: String!) {
      updateUser(where: { email: $email }, data: { name: $name }) {
        name
        posts(orderBy: [{ id: asc }]) { title comments { author { email } } tags { name } }
      }
    }`;
    const five = await measure(query, { email: 'u0@n1.dev', name: 'Five' });
    const twenty = await measure(query, { email: 'u1@n1.dev', name: 'Twenty' });
    expect(five.data.updateUser.posts).toHaveLength(5);
    expect(twenty.data.updateUser.posts).toHaveLength(20);
    expect(twenty.data.updateUser).toMatchObject({ name: 'Twenty' });
    expect(twenty.statements.length).toBe(five.statements.length);
    const writes = twenty.statements.filter((q) => /^\s*(INSERT|UPDATE|DELETE)/i.test(q));
    expect(writes).toHaveLength(1);
  });

  it('a nested create returning its tree costs the same for 2 and 8 children read back', async () => {
    const query = `mutation($slug: String!, $comments: [CommentCreateWithoutPostInput!]) {
      createPost(data: { title: "fresh", slug: $slug, author: { connect: { email: "u2@n1.dev" } }, comments: { create: $comments } }) {
        author { email }
        comments { body author { email } }
      }
    }`;
    const authorId = ((await t.app.db.user.findUnique({ where: { email: 'u3@n1.dev' } })) as { id: number }).id;
    const children = (n: number) => Array.from({ length: n }, (_, i) => ({ body: `child ${i}`, authorId }));
    const two = await measure(query, { slug: 'fresh-2', comments: children(2) });
    const eight = await measure(query, { slug: 'fresh-8', comments: children(8) });
    expect(eight.data.createPost.comments).toHaveLength(8);
    const reads = (s: string[]) => s.filter((q) => /^\s*(SELECT|WITH)/i.test(q)).length;
    expect(reads(eight.statements)).toBe(reads(two.statements));
  });
});
