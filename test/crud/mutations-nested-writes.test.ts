import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, ok } from '../support/blog-seed.ts';
import { describeEachProvider, type TestApp } from '../support/test-app.ts';

/**
 * create / update / upsert / delete, and every nested write (create connect connectOrCreate
 * disconnect set update upsert delete) on to-one and to-many relations, the implicit (Post–Tag)
 * and explicit (Follow) many-to-many, and the Comment self-relation. Each test makes its own rows,
 * named after the test, so tests do not depend on each other.
 */
describeEachProvider('mutations and nested writes', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createCrudApp(provider);
  });
  afterAll(() => t?.close());

  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;
  const user = async (name = unique('user')) => (await t.app.db.user.create({ data: { email: `${name}@test.dev`, name } })) as { id: number; email: string };
  const post = async (authorId: number, extra: Record<string, unknown> = {}) => {
    const slug = unique('post');
    return (await t.app.db.post.create({ data: { title: slug, slug, authorId, ...extra } })) as { id: number; slug: string };
  };
  const comment = async (postId: number, authorId: number, extra: Record<string, unknown> = {}) =>
    (await t.app.db.comment.create({ data: { body: unique('comment'), postId, authorId, ...extra } })) as { id: number; body: string };
  const tag = async (name = unique('tag')) => (await t.app.db.tag.create({ data: { name } })) as { id: number; name: string };
  const tagNames = async (postId: number) =>
    ((await t.app.db.tag.findMany({ where: { posts: { some: { id: postId } } }, orderBy: { name: 'asc' } })) as { name: string }[]).map((x) => x.name);

  describe('top-level create, update, upsert, delete', () => {
    it('create applies defaults and returns the selected fields', async () => {
      const author = await user();
      const data = ok(
        await t.gql(`mutation($authorId: Int!) {
          createPost(data: { title: "Defaults", slug: "defaults", authorId: $authorId }) {
            id title body status views rating publishedAt createdAt updatedAt author { id }
          }
        }`, { authorId: author.id }),
      ).createPost;
      expect(data).toMatchObject({ title: 'Defaults', body: '', status: 'DRAFT', views: 0, rating: null, publishedAt: null, author: { id: author.id } });
      expect(Date.parse(data.createdAt)).not.toBeNaN();
      expect(Date.parse(data.updatedAt)).not.toBeNaN();
      expect(await t.app.db.post.findUnique({ where: { id: data.id } })).toMatchObject({ slug: 'defaults', authorId: author.id });
    });

    it('create sets every scalar kind, enum and DateTime', async () => {
      const author = await user();
      const data = ok(
        await t.gql(`mutation($authorId: Int!) {
          createPost(data: { title: "All", slug: "all-scalars", body: "text", status: ARCHIVED, views: 7, rating: 1.25,
                             publishedAt: "2025-05-05T05:05:05.000Z", authorId: $authorId }) {
            body status views rating publishedAt
          }
        }`, { authorId: author.id }),
      ).createPost;
      expect(data).toEqual({ body: 'text', status: 'ARCHIVED', views: 7, rating: 1.25, publishedAt: '2025-05-05T05:05:05.000Z' });
    });

    it('update changes only the given fields, sets nullable fields to null and bumps @updatedAt', async () => {
      const author = await user();
      const p = await post(author.id, { rating: 3, body: 'keep me' });
      const before = await t.app.db.post.findUnique({ where: { id: p.id } });
      await new Promise((r) => setTimeout(r, 5));
      const data = ok(
        await t.gql(`mutation($id: Int!) {
          updatePost(where: { id: $id }, data: { title: "Renamed", rating: null, status: PUBLISHED }) { title body rating status updatedAt }
        }`, { id: p.id }),
      ).updatePost;
      expect(data).toMatchObject({ title: 'Renamed', body: 'keep me', rating: null, status: 'PUBLISHED' });
      expect(Date.parse(data.updatedAt)).toBeGreaterThan(before.updatedAt.getTime());
    });

    it('update by another unique field (slug, email)', async () => {
      const author = await user();
      const p = await post(author.id);
      const data = ok(
        await t.gql(`mutation($slug: String!, $email: String!) {
          updatePost(where: { slug: $slug }, data: { views: 42 }) { id views }
          updateUser(where: { email: $email }, data: { name: "editor" }) { id name }
        }`, { slug: p.slug, email: author.email }),
      );
      expect(data).toEqual({ updatePost: { id: p.id, views: 42 }, updateUser: { id: author.id, name: 'editor' } });
    });

    it('upsert creates when missing and updates when present', async () => {
      const created = ok(await t.gql(`mutation { upsertTag(where: { name: "upserted" }, create: { name: "upserted" }, update: { name: "never" }) { name } }`));
      expect(created.upsertTag.name).toBe('upserted');
      const again = ok(
        await t.gql(`mutation { upsertTag(where: { name: "upserted" }, create: { name: "never" }, update: { name: "upserted-2" }) { name } }`),
      );
      expect(again.upsertTag.name).toBe('upserted-2');
      expect(await t.app.db.tag.count({ where: { name: { in: ['upserted', 'upserted-2', 'never'] } } })).toBe(1);
    });

    it('upsert by a composite id (Follow)', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      // createdAt is @default(now()), so read-only: the update moves the follow to another user instead.
      const mutation = `mutation($a: Int!, $b: Int!, $c: Int!) {
        upsertFollow(
          where: { followerId_followingId: { followerId: $a, followingId: $b } }
          create: { followerId: $a, followingId: $b }
          update: { followingId: $c }
        ) { follower { id } following { id } }
      }`;
      const created = ok(await t.gql(mutation, { a: a.id, b: b.id, c: c.id })).upsertFollow;
      expect(created).toEqual({ follower: { id: a.id }, following: { id: b.id } });
      const updated = ok(await t.gql(mutation, { a: a.id, b: b.id, c: c.id })).upsertFollow;
      expect(updated).toEqual({ follower: { id: a.id }, following: { id: c.id } });
      expect(await t.app.db.follow.count({ where: { followerId: a.id } })).toBe(1);
    });

    it('delete returns the deleted row with its relations, and cascades', async () => {
      const author = await user();
      const p = await post(author.id);
      await comment(p.id, author.id);
      const data = ok(
        await t.gql(`mutation($id: Int!) { deletePost(where: { id: $id }) { slug author { email } commentsCount } }`, { id: p.id }),
      ).deletePost;
      expect(data).toEqual({ slug: p.slug, author: { email: author.email }, commentsCount: 1 });
      expect(await t.app.db.post.findUnique({ where: { id: p.id } })).toBeNull();
      expect(await t.app.db.comment.count({ where: { postId: p.id } })).toBe(0);
      const gone = ok(await t.gql(`mutation($id: Int!) { deleteUser(where: { id: $id }) { id } }`, { id: author.id }));
      expect(gone.deleteUser.id).toBe(author.id);
    });

    it('delete by a composite id', async () => {
      const [a, b] = [await user(), await user()];
      await t.app.db.follow.create({ data: { followerId: a.id, followingId: b.id } });
      const data = ok(
        await t.gql(`mutation($a: Int!, $b: Int!) {
          deleteFollow(where: { followerId_followingId: { followerId: $a, followingId: $b } }) { follower { id } following { id } }
        }`, { a: a.id, b: b.id }),
      );
      expect(data.deleteFollow).toEqual({ follower: { id: a.id }, following: { id: b.id } });
      expect(await t.app.db.follow.count({ where: { followerId: a.id } })).toBe(0);
    });
  });

  describe('nested writes inside create', () => {
    // Users come from auth's signUp (their e-mail and roles are not in the generated inputs), so
    // trees start at a post, or at an existing user.
    it('creates a whole tree in one mutation: post, tags, comments and their replies', async () => {
      const existing = await tag('existing-tag');
      const author = await user();
      const data = ok(
        await t.gql(`mutation($tagId: Int!, $authorId: Int!) {
          createPost(data: {
            title: "First", slug: "tree-first", author: { connect: { id: $authorId } }
            tags: {
              connect: [{ id: $tagId }]
              create: [{ name: "tree-new" }]
              connectOrCreate: [{ where: { name: "tree-coc" }, create: { name: "tree-coc" } }, { where: { name: "existing-tag" }, create: { name: "existing-tag" } }]
            }
            comments: { create: [{ body: "first", authorId: $authorId }, { body: "second", author: { connect: { id: $authorId } } }] }
          }) {
            slug status author { id }
            tags(orderBy: [{ name: asc }]) { name }
            comments(orderBy: [{ body: asc }]) { body author { id } }
          }
        }`, { tagId: existing.id, authorId: author.id }),
      ).createPost;
      expect(data).toEqual({
        slug: 'tree-first',
        status: 'DRAFT',
        author: { id: author.id },
        tags: [{ name: 'existing-tag' }, { name: 'tree-coc' }, { name: 'tree-new' }],
        comments: [{ body: 'first', author: { id: author.id } }, { body: 'second', author: { id: author.id } }],
      });
      expect(await t.app.db.tag.count({ where: { name: 'existing-tag' } })).toBe(1);
    });

    it('creates a tree under an existing user: profile and posts with tags', async () => {
      const existing = await tag('existing-tag-2');
      const u = await user();
      const data = ok(
        await t.gql(`mutation($tagId: Int!, $id: Int!) {
          updateUser(where: { id: $id }, data: {
            name: "Tree"
            profile: { create: { bio: "rooted", website: "https://tree.dev" } }
            posts: { create: [
              { title: "First", slug: "tree2-first", tags: {
                  connect: [{ id: $tagId }]
                  create: [{ name: "tree2-new" }]
                  connectOrCreate: [{ where: { name: "tree2-coc" }, create: { name: "tree2-coc" } }, { where: { name: "existing-tag-2" }, create: { name: "existing-tag-2" } }]
                } }
              { title: "Second", slug: "tree2-second", status: PUBLISHED }
            ] }
          }) {
            name
            profile { bio website }
            posts(orderBy: [{ slug: asc }]) { slug status tags(orderBy: [{ name: asc }]) { name } }
          }
        }`, { tagId: existing.id, id: u.id }),
      ).updateUser;
      expect(data).toEqual({
        name: 'Tree',
        profile: { bio: 'rooted', website: 'https://tree.dev' },
        posts: [
          { slug: 'tree2-first', status: 'DRAFT', tags: [{ name: 'existing-tag-2' }, { name: 'tree2-coc' }, { name: 'tree2-new' }] },
          { slug: 'tree2-second', status: 'PUBLISHED', tags: [] },
        ],
      });
      expect(await t.app.db.tag.count({ where: { name: 'existing-tag-2' } })).toBe(1);
    });

    it('to-one on the foreign-key side: create, connect, connectOrCreate', async () => {
      const author = await user();
      const existing = await post(author.id);
      const data = ok(
        await t.gql(`mutation($slug: String!, $a: Int!) {
          viaCreate: createComment(data: { body: "c", authorId: $a, post: { create: { title: "new", slug: "fk-new", authorId: $a } } }) { post { slug } }
          viaConnect: createComment(data: { body: "c", authorId: $a, post: { connect: { slug: $slug } } }) { post { slug } }
          viaCocExisting: createComment(data: { body: "c", authorId: $a, post: { connectOrCreate: { where: { slug: $slug }, create: { title: "x", slug: $slug, authorId: $a } } } }) { post { slug } }
          viaCocNew: createComment(data: { body: "c", authorId: $a, post: { connectOrCreate: { where: { slug: "fk-coc" }, create: { title: "COC", slug: "fk-coc", authorId: $a } } } }) { post { slug title } }
        }`, { slug: existing.slug, a: author.id }),
      );
      expect(data).toEqual({
        viaCreate: { post: { slug: 'fk-new' } },
        viaConnect: { post: { slug: existing.slug } },
        viaCocExisting: { post: { slug: existing.slug } },
        viaCocNew: { post: { slug: 'fk-coc', title: 'COC' } },
      });
      expect(await t.app.db.comment.count({ where: { postId: existing.id } })).toBe(2);
    });

    it('to-one on the other side (User.profile): create, connect, connectOrCreate', async () => {
      const owner = await user();
      const [a, b, c] = [await user(), await user(), await user()];
      const orphanable = (await t.app.db.profile.create({ data: { bio: 'moving', userId: owner.id } })) as { id: number };
      const data = ok(
        await t.gql(`mutation($profileId: Int!, $a: Int!, $b: Int!, $c: Int!) {
          a: updateUser(where: { id: $a }, data: { profile: { create: { bio: "new" } } }) { profile { bio } }
          b: updateUser(where: { id: $b }, data: { profile: { connect: { id: $profileId } } }) { profile { bio } }
          c: updateUser(where: { id: $c }, data: { profile: { connectOrCreate: { where: { id: -1 }, create: { bio: "coc" } } } }) { profile { bio } }
        }`, { profileId: orphanable.id, a: a.id, b: b.id, c: c.id }),
      );
      expect(data).toEqual({ a: { profile: { bio: 'new' } }, b: { profile: { bio: 'moving' } }, c: { profile: { bio: 'coc' } } });
      // The profile moved: its old owner no longer has one.
      expect(await t.app.db.profile.findUnique({ where: { userId: owner.id } })).toBeNull();
    });

    it('the self-relation: a comment created with its parent and its replies', async () => {
      const author = await user();
      const p = await post(author.id);
      const parent = await comment(p.id, author.id);
      const data = ok(
        await t.gql(`mutation($postId: Int!, $authorId: Int!, $parentId: Int!) {
          createComment(data: {
            body: "middle"
            post: { connect: { id: $postId } }
            author: { connect: { id: $authorId } }
            parent: { connect: { id: $parentId } }
            replies: { create: [
              { body: "leaf 1", post: { connect: { id: $postId } }, author: { connect: { id: $authorId } } }
              { body: "leaf 2", postId: $postId, authorId: $authorId }
            ] }
          }) {
            body parent { body } replies(orderBy: [{ body: asc }]) { body parent { body } post { id } }
          }
        }`, { postId: p.id, authorId: author.id, parentId: parent.id }),
      ).createComment;
      expect(data).toEqual({
        body: 'middle',
        parent: { body: parent.body },
        replies: [
          { body: 'leaf 1', parent: { body: 'middle' }, post: { id: p.id } },
          { body: 'leaf 2', parent: { body: 'middle' }, post: { id: p.id } },
        ],
      });
      const created = ok(
        await t.gql(`mutation($postId: Int!, $authorId: Int!) {
          createComment(data: { body: "with new parent", postId: $postId, authorId: $authorId,
            parent: { create: { body: "new parent", postId: $postId, authorId: $authorId } } }) { parent { body parentId } }
        }`, { postId: p.id, authorId: author.id }),
      );
      expect(created.createComment).toEqual({ parent: { body: 'new parent', parentId: null } });
    });

    it('the explicit many-to-many: follows created from either side', async () => {
      const [a, b, fan, me] = [await user(), await user(), await user(), await user()];
      const data = ok(
        await t.gql(`mutation($a: Int!, $b: Int!, $fan: Int!, $me: Int!) {
          updateUser(where: { id: $me }, data: {
            following: { create: [{ following: { connect: { id: $a } } }, { followingId: $b }] }
            followers: { create: [{ follower: { connect: { id: $fan } } }] }
          }) {
            following(orderBy: [{ followingId: asc }]) { following { id } }
            followers { follower { id } }
            followingCount followersCount
          }
        }`, { a: a.id, b: b.id, fan: fan.id, me: me.id }),
      ).updateUser;
      expect(data).toEqual({
        following: [{ following: { id: a.id } }, { following: { id: b.id } }],
        followers: [{ follower: { id: fan.id } }],
        followingCount: 2,
        followersCount: 1,
      });
    });

    it('foreign keys and relation objects mix freely in one write', async () => {
      // Prisma takes either form but not both at once; the API accepts any combination.
      const [a, b] = [await user(), await user()];
      const p = await post(a.id);
      const parent = await comment(p.id, a.id);
      const created = ok(
        await t.gql(`mutation($p: Int!, $a: Int!, $parent: Int!) {
          createComment(data: { body: "mixed", postId: $p, author: { connect: { id: $a } }, parentId: $parent }) { post { id } author { id } parent { id } }
        }`, { p: p.id, a: a.id, parent: parent.id }),
      ).createComment;
      expect(created).toEqual({ post: { id: p.id }, author: { id: a.id }, parent: { id: parent.id } });
      const c = await comment(p.id, a.id, { parentId: parent.id });
      const updated = ok(
        await t.gql(`mutation($id: Int!, $b: Int!) {
          updateComment(where: { id: $id }, data: { parentId: null, author: { connect: { id: $b } } }) { parent { id } author { id } }
        }`, { id: c.id, b: b.id }),
      ).updateComment;
      expect(updated).toEqual({ parent: null, author: { id: b.id } });
      const upserted = ok(
        await t.gql(`mutation($id: Int!, $p: Int!, $a: Int!, $parent: Int!) {
          upsertComment(where: { id: $id }, create: { body: "never" , postId: $p, authorId: $a }, update: { parentId: $parent, post: { connect: { id: $p } } }) { parent { id } }
        }`, { id: c.id, p: p.id, a: a.id, parent: parent.id }),
      ).upsertComment;
      expect(upserted).toEqual({ parent: { id: parent.id } });
      // A foreign key that points nowhere, given beside a relation object, is a missing row.
      const before = await t.app.db.comment.count();
      const missing = await t.gql(`mutation($p: Int!, $a: Int!) {
        createComment(data: { body: "dangling", postId: $p, author: { connect: { id: $a } }, parentId: 987654 }) { id }
      }`, { p: p.id, a: a.id });
      expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(await t.app.db.comment.count()).toBe(before);
    });

    it('to-many connect and connectOrCreate move existing children', async () => {
      const [a, b] = [await user(), await user()];
      const p = await post(a.id);
      const c = await comment(p.id, a.id);
      const data = ok(
        await t.gql(`mutation($commentId: Int!, $b: Int!) {
          createPost(data: { title: "t", slug: "steals-comment", authorId: $b, comments: {
            connect: [{ id: $commentId }]
            connectOrCreate: [{ where: { id: -1 }, create: { body: "coc comment", authorId: $b } }]
          } }) { comments(orderBy: [{ id: asc }]) { id body } }
        }`, { commentId: c.id, b: b.id }),
      ).createPost;
      expect(data.comments.map((x: any) => x.body)).toEqual([c.body, 'coc comment']);
      expect(await t.app.db.comment.count({ where: { postId: p.id } })).toBe(0);
    });
  });

  describe('nested writes inside update: to-one', () => {
    it('required to-one (Post.author): connect, create, connectOrCreate, update, upsert', async () => {
      const [a, b] = [await user(), await user()];
      const p = await post(a.id);
      const run = async (author: string, vars: Record<string, unknown> = {}) =>
        ok(
          await t.gql(
            `mutation($id: Int!${vars.email ? ', $email: String!' : ''}) { updatePost(where: { id: $id }, data: { author: ${author} }) { author { email name } } }`,
            { id: p.id, ...vars },
          ),
        ).updatePost.author;
      // (A new author cannot be created here: users come from auth's signUp.)
      expect(await run('{ connect: { email: $email } }', { email: b.email })).toEqual({ email: b.email, name: b.email.split('@')[0] });
      expect(await run('{ connectOrCreate: { where: { email: $email }, create: { name: "unused" } } }', { email: a.email })).toMatchObject({ email: a.email });
      expect(await run('{ update: { name: "Renamed via post" } }')).toEqual({ email: a.email, name: 'Renamed via post' });
      expect(await run('{ upsert: { create: { name: "never" }, update: { name: "Upserted" } } }')).toEqual({ email: a.email, name: 'Upserted' });
      expect(await t.app.db.user.count({ where: { name: { in: ['unused', 'never'] } } })).toBe(0);
    });

    it('optional to-one without the foreign key (User.profile): create, update, upsert, delete, connect, connectOrCreate', async () => {
      const u = await user();
      const run = async (profile: string, vars: Record<string, unknown> = {}) =>
        ok(await t.gql(`mutation($id: Int!${vars.pid ? ', $pid: Int!' : ''}) { updateUser(where: { id: $id }, data: { profile: ${profile} }) { profile { bio } } }`, { id: u.id, ...vars }))
          .updateUser.profile;
      expect(await run('{ upsert: { create: { bio: "created by upsert" }, update: { bio: "x" } } }')).toEqual({ bio: 'created by upsert' });
      expect(await run('{ upsert: { create: { bio: "x" }, update: { bio: "updated by upsert" } } }')).toEqual({ bio: 'updated by upsert' });
      expect(await run('{ update: { bio: "updated" } }')).toEqual({ bio: 'updated' });
      expect(await run('{ delete: true }')).toBeNull();
      expect(await run('{ create: { bio: "recreated" } }')).toEqual({ bio: 'recreated' });
      const other = await user();
      const spare = (await t.app.db.profile.create({ data: { bio: 'spare', userId: other.id } })) as { id: number };
      // Connecting another profile would leave the user's current one without a user: refused, nothing moves.
      const replaced = await t.gql(`mutation($id: Int!, $pid: Int!) { updateUser(where: { id: $id }, data: { profile: { connect: { id: $pid } } }) { profile { bio } } }`, {
        id: u.id,
        pid: spare.id,
      });
      expect(replaced.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', relation: 'ProfileToUser' });
      expect(replaced.errors?.[0]?.message).toMatch(/required relation ProfileToUser/);
      expect(await t.app.db.profile.findUnique({ where: { id: spare.id } })).toMatchObject({ userId: other.id });
      expect(await t.app.db.profile.findUnique({ where: { userId: u.id } })).toMatchObject({ bio: 'recreated' });
      await t.app.db.profile.deleteMany({ where: { userId: u.id } });
      expect(await run('{ connectOrCreate: { where: { id: $pid }, create: { bio: "unused" } } }', { pid: spare.id })).toEqual({ bio: 'spare' });
    });

    it('optional to-one on the foreign-key side (Comment.parent): connect, disconnect, create, update, upsert, connectOrCreate', async () => {
      const author = await user();
      const p = await post(author.id);
      const [root, child] = [await comment(p.id, author.id), await comment(p.id, author.id)];
      const run = async (parent: string, vars: Record<string, unknown> = {}) =>
        ok(await t.gql(`mutation($id: Int!${vars.pid ? ', $pid: Int!' : ''}) { updateComment(where: { id: $id }, data: { parent: ${parent} }) { parentId parent { body } } }`, { id: child.id, ...vars }))
          .updateComment;
      expect(await run('{ connect: { id: $pid } }', { pid: root.id })).toEqual({ parentId: root.id, parent: { body: root.body } });
      expect(await run('{ update: { body: "root renamed" } }')).toEqual({ parentId: root.id, parent: { body: 'root renamed' } });
      expect(await run('{ upsert: { create: { body: "x", postId: ' + p.id + ', authorId: ' + author.id + ' }, update: { body: "root upserted" } } }')).toMatchObject({
        parent: { body: 'root upserted' },
      });
      expect(await run('{ disconnect: true }')).toEqual({ parentId: null, parent: null });
      const created = await run(`{ create: { body: "fresh parent", postId: ${p.id}, authorId: ${author.id} } }`);
      expect(created.parent).toEqual({ body: 'fresh parent' });
      expect(await run('{ connectOrCreate: { where: { id: $pid }, create: { body: "unused", postId: ' + p.id + ', authorId: ' + author.id + ' } } }', { pid: root.id })).toEqual({
        parentId: root.id,
        parent: { body: 'root upserted' },
      });
      expect(await t.app.db.comment.count({ where: { body: { in: ['x', 'unused'] } } })).toBe(0);
    });
  });

  describe('nested writes inside update: to-many', () => {
    it('one-to-many (Post.comments): create, connect, connectOrCreate, update, upsert, delete', async () => {
      const author = await user();
      const [p, other] = [await post(author.id), await post(author.id)];
      const [c1, c2, stray] = [await comment(p.id, author.id), await comment(p.id, author.id), await comment(other.id, author.id)];
      const data = ok(
        await t.gql(`mutation($id: Int!, $a: Int!, $c1: Int!, $c2: Int!, $stray: Int!) {
          updatePost(where: { id: $id }, data: { comments: {
            create: [{ body: "created", authorId: $a }]
            connect: [{ id: $stray }]
            connectOrCreate: [{ where: { id: -1 }, create: { body: "coc", authorId: $a } }]
            update: [{ where: { id: $c1 }, data: { body: "c1 updated" } }]
            upsert: [
              { where: { id: $c2 }, create: { body: "never", authorId: $a }, update: { body: "c2 upserted" } }
              { where: { id: -2 }, create: { body: "upsert created", authorId: $a }, update: { body: "never" } }
            ]
          } }) { comments { body } commentsCount }
        }`, { id: p.id, a: author.id, c1: c1.id, c2: c2.id, stray: stray.id }),
      ).updatePost;
      expect(data.comments.map((c: any) => c.body).sort()).toEqual(['c1 updated', 'c2 upserted', 'coc', 'created', stray.body, 'upsert created'].sort());
      expect(data.commentsCount).toBe(6);
      const deleted = ok(
        await t.gql(`mutation($id: Int!, $c1: Int!, $c2: Int!) {
          updatePost(where: { id: $id }, data: { comments: { delete: [{ id: $c1 }, { id: $c2 }] } }) { commentsCount }
        }`, { id: p.id, c1: c1.id, c2: c2.id }),
      );
      expect(deleted.updatePost.commentsCount).toBe(4);
      expect(await t.app.db.comment.count({ where: { id: { in: [c1.id, c2.id] } } })).toBe(0);
      expect(await t.app.db.comment.count({ where: { body: 'never' } })).toBe(0);
    });

    it('self-relation (Comment.replies): connect, disconnect, set, create, update, upsert, delete', async () => {
      const author = await user();
      const p = await post(author.id);
      const root = await comment(p.id, author.id);
      const [r1, r2, r3] = [await comment(p.id, author.id), await comment(p.id, author.id), await comment(p.id, author.id)];
      const replies = async (data: string) =>
        ok(
          await t.gql(`mutation($id: Int!) {
            updateComment(where: { id: $id }, data: { replies: ${data.replace(/\$(r\d)/g, (_, k: 'r1' | 'r2' | 'r3') => String({ r1, r2, r3 }[k].id))} }) {
              replies(orderBy: [{ id: asc }]) { id body }
            }
          }`, { id: root.id }),
        ).updateComment.replies.map((r: { id: number; body: string }) => r.id);
      expect(await replies('{ connect: [{ id: $r1 }, { id: $r2 }] }')).toEqual([r1.id, r2.id]);
      expect(await replies('{ disconnect: [{ id: $r1 }] }')).toEqual([r2.id]);
      expect(await t.app.db.comment.findUnique({ where: { id: r1.id } })).toMatchObject({ parentId: null });
      expect(await replies('{ set: [{ id: $r1 }, { id: $r3 }] }')).toEqual([r1.id, r3.id]);
      expect(await t.app.db.comment.findUnique({ where: { id: r2.id } })).toMatchObject({ parentId: null });
      const withCreated = await replies(`{ create: [{ body: "reply created", postId: ${p.id}, authorId: ${author.id} }], update: [{ where: { id: $r1 }, data: { body: "r1 updated" } }] }`);
      expect(withCreated).toHaveLength(3);
      expect(await t.app.db.comment.findUnique({ where: { id: r1.id } })).toMatchObject({ body: 'r1 updated', parentId: root.id });
      await replies(`{ upsert: [{ where: { id: $r3 }, create: { body: "never", postId: ${p.id}, authorId: ${author.id} }, update: { body: "r3 upserted" } }] }`);
      expect(await t.app.db.comment.findUnique({ where: { id: r3.id } })).toMatchObject({ body: 'r3 upserted' });
      expect(await replies('{ delete: [{ id: $r3 }] }')).toHaveLength(2);
      expect(await t.app.db.comment.findUnique({ where: { id: r3.id } })).toBeNull();
      expect(await replies('{ set: [] }')).toEqual([]);
      expect(await t.app.db.comment.findUnique({ where: { id: r1.id } })).toMatchObject({ parentId: null });
    });

    it('implicit many-to-many (Post.tags): connect, disconnect, set, create, connectOrCreate, update, upsert, delete', async () => {
      const author = await user();
      const p = await post(author.id);
      const [x, y, z] = [await tag('m2m-x'), await tag('m2m-y'), await tag('m2m-z')];
      const update = async (tags: string) => {
        ok(await t.gql(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { tags: ${tags} }) { id } }`, { id: p.id }));
        return tagNames(p.id);
      };
      expect(await update(`{ connect: [{ id: ${x.id} }, { name: "m2m-y" }] }`)).toEqual(['m2m-x', 'm2m-y']);
      expect(await update(`{ disconnect: [{ id: ${x.id} }] }`)).toEqual(['m2m-y']);
      expect(await t.app.db.tag.count({ where: { id: x.id } })).toBe(1); // disconnect keeps the tag
      expect(await update(`{ set: [{ id: ${x.id} }, { id: ${z.id} }] }`)).toEqual(['m2m-x', 'm2m-z']);
      expect(await update('{ create: [{ name: "m2m-new" }], connectOrCreate: [{ where: { name: "m2m-coc" }, create: { name: "m2m-coc" } }] }')).toEqual([
        'm2m-coc', 'm2m-new', 'm2m-x', 'm2m-z',
      ]);
      expect(await update(`{ update: [{ where: { id: ${z.id} }, data: { name: "m2m-z2" } }] }`)).toEqual(['m2m-coc', 'm2m-new', 'm2m-x', 'm2m-z2']);
      expect(
        await update(`{ upsert: [
          { where: { id: ${x.id} }, create: { name: "never" }, update: { name: "m2m-x2" } }
          { where: { name: "m2m-upserted" }, create: { name: "m2m-upserted" }, update: { name: "never" } }
        ] }`),
      ).toEqual(['m2m-coc', 'm2m-new', 'm2m-upserted', 'm2m-x2', 'm2m-z2']);
      expect(await update('{ delete: [{ name: "m2m-new" }] }')).toEqual(['m2m-coc', 'm2m-upserted', 'm2m-x2', 'm2m-z2']);
      expect(await t.app.db.tag.count({ where: { name: 'm2m-new' } })).toBe(0); // delete removes the tag itself
      expect(await update('{ set: [] }')).toEqual([]);
      expect(await t.app.db.tag.count({ where: { name: { startsWith: 'm2m-' } } })).toBe(5);
      // The other side: a tag lists the posts it was attached to.
      const fromTag = ok(
        await t.gql(`mutation($id: Int!, $p: Int!) { updateTag(where: { id: $id }, data: { posts: { connect: [{ id: $p }] } }) { posts { id } postsCount } }`, {
          id: y.id,
          p: p.id,
        }),
      );
      expect(fromTag.updateTag).toEqual({ posts: [{ id: p.id }], postsCount: 1 });
    });

    it('explicit many-to-many (User.following → Follow): create, connectOrCreate, update, upsert, delete, connect', async () => {
      const [me, a, b, c, d] = [await user(), await user(), await user(), await user(), await user()];
      const following = async (data: string) =>
        ok(
          await t.gql(`mutation($id: Int!) {
            updateUser(where: { id: $id }, data: { following: ${data} }) { following(orderBy: [{ followingId: asc }]) { followingId createdAt } }
          }`, { id: me.id }),
        ).updateUser.following as { followingId: number; createdAt: string }[];
      const key = (id: number) => `{ followerId_followingId: { followerId: ${me.id}, followingId: ${id} } }`;
      expect((await following(`{ create: [{ followingId: ${a.id} }, { followingId: ${b.id} }] }`)).map((f) => f.followingId)).toEqual([a.id, b.id]);
      expect(
        (await following(`{ connectOrCreate: [{ where: ${key(c.id)}, create: { followingId: ${c.id} } }, { where: ${key(a.id)}, create: { followingId: ${a.id} } }] }`)).map(
          (f) => f.followingId,
        ),
      ).toEqual([a.id, b.id, c.id]);
      // createdAt is @default(now()), so read-only: updates move follows to other users instead.
      const updated = await following(`{ update: [{ where: ${key(a.id)}, data: { followingId: ${d.id} } }] }`);
      expect(updated.map((f) => f.followingId)).toEqual([b.id, c.id, d.id]);
      const upserted = await following(`{ upsert: [{ where: ${key(b.id)}, create: { followingId: ${b.id} }, update: { followingId: ${a.id} } }] }`);
      expect(upserted.map((f) => f.followingId)).toEqual([a.id, c.id, d.id]);
      expect((await following(`{ delete: [${key(a.id)}] }`)).map((f) => f.followingId)).toEqual([c.id, d.id]);
      // A follow row owned by someone else can be connected (moved) to this user.
      const other = await user();
      await t.app.db.follow.create({ data: { followerId: other.id, followingId: a.id } });
      const moved = await following(`{ connect: [{ followerId_followingId: { followerId: ${other.id}, followingId: ${a.id} } }] }`);
      expect(moved.map((f) => f.followingId)).toEqual([a.id, c.id, d.id]);
      expect(await t.app.db.follow.count({ where: { followerId: other.id } })).toBe(0);
    });

    it('scalar foreign keys can be updated directly', async () => {
      const [a, b] = [await user(), await user()];
      const p = await post(a.id);
      const data = ok(await t.gql(`mutation($id: Int!, $b: Int!) { updatePost(where: { id: $id }, data: { authorId: $b }) { author { id } } }`, { id: p.id, b: b.id }));
      expect(data.updatePost.author.id).toBe(b.id);
    });

    it('nested writes several levels deep in one update', async () => {
      const author = await user();
      const p = await post(author.id);
      const c = await comment(p.id, author.id);
      const data = ok(
        await t.gql(`mutation($id: Int!, $c: Int!, $a: Int!) {
          updateUser(where: { id: $a }, data: {
            name: "Deep"
            posts: { update: [{ where: { id: $id }, data: {
              title: "deep title"
              comments: { update: [{ where: { id: $c }, data: { replies: { create: [{ body: "deep reply", postId: $id, authorId: $a }] } } }] }
              tags: { create: [{ name: "deep-tag" }] }
            } }] }
          }) {
            name
            posts { title tags { name } comments { repliesCount replies { body } } }
          }
        }`, { id: p.id, c: c.id, a: author.id }),
      ).updateUser;
      expect(data).toEqual({
        name: 'Deep',
        posts: [{ title: 'deep title', tags: [{ name: 'deep-tag' }], comments: expect.arrayContaining([{ repliesCount: 1, replies: [{ body: 'deep reply' }] }]) }],
      });
    });
  });
});
