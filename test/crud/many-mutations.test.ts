import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, failed, ok, rowCounts } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

/** createMany*, updateMany*, deleteMany*: each returns `{ count }` and writes all rows or none. */
describeEachProvider('*Many mutations', (provider) => {
  let t: TestApp;
  let authors: { alice: number; bob: number };
  beforeAll(async () => {
    t = await createCrudApp(provider);
    // Users come from auth's signUp (their e-mail is not in the generated inputs): written directly.
    await t.app.db.user.createMany({ data: [{ email: 'alice@many.dev', name: 'Alice', roles: 'admin' }, { email: 'bob@many.dev' }] });
    const users = await t.app.db.user.findMany({ orderBy: { email: 'asc' } });
    authors = { alice: users[0].id, bob: users[1].id };
  });
  afterAll(() => t?.close());

  const createPosts = (prefix: string, authorId: number, count: number, extra = '') =>
    t.gql(
      `mutation($data: [PostCreateManyInput!]!) { createManyPosts(data: $data) { count } }`,
      { data: Array.from({ length: count }, (_, i) => ({ title: `${prefix} ${i}`, slug: `${prefix}-${i}`, authorId, views: i, ...(extra ? { body: extra } : {}) })) },
    );

  describe('createMany', () => {
    it('inserts every row, applies defaults and returns the count', async () => {
      expect(ok(await createPosts('cm', authors.alice, 5)).createManyPosts).toEqual({ count: 5 });
      const rows = await t.app.db.post.findMany({ where: { slug: { startsWith: 'cm-' } }, orderBy: { views: 'asc' } });
      expect(rows.map((r: any) => [r.slug, r.status, r.body, r.authorId])).toEqual(
        [0, 1, 2, 3, 4].map((i) => [`cm-${i}`, 'DRAFT', '', authors.alice]),
      );
    });

    it('takes explicit values for every scalar, enums and DateTime included', async () => {
      const data = ok(
        await t.gql(`mutation($a: Int!) {
          createManyPosts(data: [{ title: "x", slug: "cm-explicit", status: PUBLISHED, views: 9, rating: 0.5, publishedAt: "2022-02-02T00:00:00.000Z", authorId: $a }]) { count }
        }`, { a: authors.bob }),
      );
      expect(data.createManyPosts.count).toBe(1);
      expect(await t.app.db.post.findUnique({ where: { slug: 'cm-explicit' } })).toMatchObject({
        status: 'PUBLISHED', views: 9, rating: 0.5, publishedAt: new Date('2022-02-02T00:00:00.000Z'), authorId: authors.bob,
      });
    });

    it('creates rows of a composite-id model and of the self-relation', async () => {
      const follows = ok(
        await t.gql(`mutation($a: Int!, $b: Int!) {
          createManyFollows(data: [{ followerId: $a, followingId: $b }, { followerId: $b, followingId: $a }]) { count }
        }`, { a: authors.alice, b: authors.bob }),
      );
      expect(follows.createManyFollows.count).toBe(2);
      ok(await createPosts('cm-thread', authors.alice, 1));
      const post = await t.app.db.post.findUnique({ where: { slug: 'cm-thread-0' } });
      const root = await t.app.db.comment.create({ data: { body: 'root', postId: post.id, authorId: authors.alice } });
      const replies = ok(
        await t.gql(`mutation($p: Int!, $a: Int!, $root: Int!) {
          createManyComments(data: [{ body: "r1", postId: $p, authorId: $a, parentId: $root }, { body: "r2", postId: $p, authorId: $a, parentId: $root }]) { count }
        }`, { p: post.id, a: authors.bob, root: root.id }),
      );
      expect(replies.createManyComments.count).toBe(2);
      expect(await t.app.db.comment.count({ where: { parentId: root.id } })).toBe(2);
    });

    it('an empty list creates nothing', async () => {
      const before = await rowCounts(t);
      expect(ok(await t.gql('mutation { createManyTags(data: []) { count } }')).createManyTags.count).toBe(0);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('a duplicate anywhere in the batch is a CONFLICT and writes no row of it', async () => {
      const before = await rowCounts(t);
      const error = failed(
        await t.gql('mutation { createManyTags(data: [{ name: "dup-a" }, { name: "dup-b" }, { name: "dup-a" }]) { count } }'),
        'CONFLICT',
      );
      expect(error.extensions.fields).toEqual(['name']);
      expect(await rowCounts(t)).toEqual(before);
    });
  });

  describe('updateMany', () => {
    it('updates the matching rows and returns how many', async () => {
      ok(await createPosts('um', authors.alice, 4));
      const data = ok(
        await t.gql(`mutation {
          updateManyPosts(where: { slug: { startsWith: "um-" }, views: { gte: 2 } }, data: { status: ARCHIVED, body: "archived" }) { count }
        }`),
      );
      expect(data.updateManyPosts.count).toBe(2);
      const rows = await t.app.db.post.findMany({ where: { slug: { startsWith: 'um-' } }, orderBy: { views: 'asc' } });
      expect(rows.map((r: any) => [r.status, r.body])).toEqual([['DRAFT', ''], ['DRAFT', ''], ['ARCHIVED', 'archived'], ['ARCHIVED', 'archived']]);
    });

    it('filters by relations and moves rows with a foreign key', async () => {
      ok(await createPosts('um-move', authors.bob, 3));
      const moved = ok(
        await t.gql(`mutation($a: Int!) {
          updateManyPosts(where: { slug: { startsWith: "um-move-" }, author: { is: { email: { equals: "bob@many.dev" } } } }, data: { authorId: $a }) { count }
        }`, { a: authors.alice }),
      );
      expect(moved.updateManyPosts.count).toBe(3);
      expect(await t.app.db.post.count({ where: { slug: { startsWith: 'um-move-' }, authorId: authors.alice } })).toBe(3);
    });

    it('sets nullable fields to null and reports 0 when nothing matches', async () => {
      ok(await createPosts('um-null', authors.alice, 2));
      await t.app.db.post.updateMany({ where: { slug: { startsWith: 'um-null-' } }, data: { rating: 5 } });
      const data = ok(
        await t.gql(`mutation {
          cleared: updateManyPosts(where: { slug: { startsWith: "um-null-" } }, data: { rating: null }) { count }
          none: updateManyPosts(where: { slug: { equals: "no-such-post" } }, data: { views: 1 }) { count }
        }`),
      );
      expect(data).toEqual({ cleared: { count: 2 }, none: { count: 0 } });
      expect(await t.app.db.post.count({ where: { slug: { startsWith: 'um-null-' }, rating: null } })).toBe(2);
    });

    it('a unique violation is a CONFLICT and changes no row', async () => {
      ok(await createPosts('um-dup', authors.alice, 2));
      const before = await t.app.db.post.findMany({ where: { slug: { startsWith: 'um-dup-' } }, orderBy: { id: 'asc' } });
      const error = failed(await t.gql('mutation { updateManyPosts(where: { slug: { startsWith: "um-dup-" } }, data: { slug: "um-dup-same", title: "changed" }) { count } }'), 'CONFLICT');
      expect(error.extensions.fields).toEqual(['slug']);
      expect(await t.app.db.post.findMany({ where: { slug: { startsWith: 'um-dup-' } }, orderBy: { id: 'asc' } })).toEqual(before);
    });
  });

  describe('deleteMany', () => {
    it('deletes the matching rows, cascading to their children', async () => {
      ok(await createPosts('dm', authors.alice, 3));
      const target = await t.app.db.post.findUnique({ where: { slug: 'dm-1' } });
      await t.app.db.comment.create({ data: { body: 'goes too', postId: target.id, authorId: authors.bob } });
      const data = ok(await t.gql('mutation { deleteManyPosts(where: { slug: { in: ["dm-0", "dm-1", "dm-missing"] } }) { count } }'));
      expect(data.deleteManyPosts.count).toBe(2);
      expect(await t.app.db.post.findMany({ where: { slug: { startsWith: 'dm-' } } })).toMatchObject([{ slug: 'dm-2' }]);
      expect(await t.app.db.comment.count({ where: { body: 'goes too' } })).toBe(0);
    });

    it('filters through relations, including the implicit many-to-many', async () => {
      ok(await createPosts('dm-tagged', authors.alice, 3));
      await t.app.db.post.update({ where: { slug: 'dm-tagged-0' }, data: { tags: { create: { name: 'doomed' } } } });
      const data = ok(await t.gql('mutation { deleteManyPosts(where: { tags: { some: { name: { equals: "doomed" } } } }) { count } }'));
      expect(data.deleteManyPosts.count).toBe(1);
      expect(await t.app.db.post.count({ where: { slug: { startsWith: 'dm-tagged-' } } })).toBe(2);
      // Deleting a post removes its join rows but keeps the tag.
      expect(await t.app.db.tag.findUnique({ where: { name: 'doomed' }, include: { _count: { select: { posts: true } } } })).toMatchObject({
        _count: { posts: 0 },
      });
    });

    it('`where: {}` deletes every row of the model', async () => {
      const follows = await t.app.db.follow.count();
      expect(follows).toBeGreaterThan(0);
      const data = ok(await t.gql('mutation { deleteManyFollows(where: {}) { count } }'));
      expect(data.deleteManyFollows.count).toBe(follows);
      expect(await t.app.db.follow.count()).toBe(0);
      expect(await t.app.db.user.count()).toBe(2);
    });
  });
});
