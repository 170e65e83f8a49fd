import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';
import { forbidden, notFound, ok } from './run-matrix.ts';

/**
 * Writes through the example app's rules: every nested operation is checked with the rules of the
 * model it touches, user A can never point at or change user B's rows, and a denied write leaves
 * nothing behind. Each test starts from a fresh scene.
 */
describeEachProvider('access rules: writes', (provider) => {
  let t: TestApp | undefined;
  let s: BlogScene;
  beforeEach(async () => {
    await t?.close();
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
  });
  afterAll(() => t?.close());

  const app = () => t!;
  const as = (who: keyof BlogScene['users']) => (query: string, variables?: Record<string, unknown>) => app().gql(query, variables, s.users[who].headers);
  const bob = as('bob');
  const alice = as('alice');
  const counts = async () => ({
    posts: await app().app.db.post.count(),
    comments: await app().app.db.comment.count(),
    tags: await app().app.db.tag.count(),
    memberships: await app().app.db.membership.count(),
  });
  /** Runs a write that must be FORBIDDEN by `rule` and change nothing. */
  const denied = async (run: Promise<any>, rule: string) => {
    const before = await counts();
    const error = forbidden(await run, rule);
    expect(error.message).toBe(`Access denied by rule ${rule}`);
    expect(await counts()).toEqual(before);
    return error;
  };
  /** A write naming a row the viewer may not read: NOT_FOUND, and nothing changed. */
  const hidden = async (run: Promise<any>) => {
    const before = await counts();
    notFound(await run);
    expect(await counts()).toEqual(before);
  };

  describe('pointing at rows (connect and foreign keys): the IDOR cases', () => {
    it('cannot comment on a post the viewer may not read, by connect or by foreign key', async () => {
      const draft = s.posts.aliceDraft.id;
      // A post bob may not read answers as a missing one would (NOT_FOUND), so writes cannot probe for drafts.
      await hidden(bob(`mutation { createComment(data: { body: "x", post: { connect: { id: ${draft} } }, author: { connect: { id: ${s.users.bob.id} } } }) { id } }`));
      await hidden(bob(`mutation { createComment(data: { body: "x", postId: ${draft}, authorId: ${s.users.bob.id} }) { id } }`));
      await hidden(bob(`mutation { updateComment(where: { id: ${s.comments.bobOnAlicePub.id} }, data: { post: { connect: { id: ${draft} } } }) { id } }`));
      await hidden(bob(`mutation { updateComment(where: { id: ${s.comments.bobOnAlicePub.id} }, data: { postId: ${draft} }) { id } }`));
      ok(await bob(`mutation { createComment(data: { body: "fine", postId: ${s.posts.alicePub.id}, authorId: ${s.users.bob.id} }) { id } }`));
    });

    it("cannot pull another user's rows into its own (their foreign key would change)", async () => {
      await denied(bob(`mutation { updateUser(where: { id: ${s.users.bob.id} }, data: { posts: { connect: [{ id: ${s.posts.alicePub.id} }] } }) { id } }`), 'Post.update');
      await denied(
        bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { comments: { connect: [{ id: ${s.comments.aliceOnAlicePub.id} }] } }) { id } }`),
        'Comment.update',
      );
      await denied(bob(`mutation { createPost(data: { title: "t", slug: "t", authorId: ${s.users.alice.id} }) { id } }`), 'Post.create');
      await denied(bob(`mutation { createUser(data: { name: "New", posts: { connect: [{ id: ${s.posts.bobPub.id} }] } }) { id } }`), 'User.create');
    });

    it('links many-to-many rows the viewer may read, without needing to update them', async () => {
      const data = ok(
        await bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { tags: { connect: [{ id: ${s.tags.other.id} }] } }) { tags(orderBy: [{ name: asc }]) { name } } }`),
      );
      expect(data.updatePost.tags).toEqual([{ name: 'news' }, { name: 'other' }]);
      ok(await bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { tags: { set: [] } }) { id } }`));
      await denied(bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { tags: { create: [{ name: "mine" }] } }) { id } }`), 'Tag.create');
      await denied(
        bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { tags: { connectOrCreate: [{ where: { name: "fresh" }, create: { name: "fresh" } }] } }) { id } }`),
        'Tag.create',
      );
      ok(await bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { tags: { connectOrCreate: [{ where: { name: "other" }, create: { name: "other" } }] } }) { id } }`));
    });
  });

  describe('nested writes use the rules of the model they touch', () => {
    it('nested creates: allowed ones commit with their parent, a denied one rolls everything back', async () => {
      const created = ok(
        await bob(`mutation { createPost(data: { title: "t", slug: "with-comment", authorId: ${s.users.bob.id}, comments: { create: [{ body: "first", authorId: ${s.users.bob.id} }] } }) { slug comments { body } } }`),
      );
      expect(created.createPost).toEqual({ slug: 'with-comment', comments: [{ body: 'first' }] });
      await denied(
        bob(`mutation { createPost(data: { title: "t", slug: "forged", authorId: ${s.users.bob.id}, comments: { create: [{ body: "as alice", authorId: ${s.users.alice.id} }] } }) { id } }`),
        'Comment.create',
      );
      expect(await app().app.db.post.findUnique({ where: { slug: 'forged' } })).toBeNull();
    });

    it("nested updates and deletes of related rows: moderation allowed, editing others' words not", async () => {
      const onMyPost = s.comments.aliceOnBobDraft.id;
      await denied(bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { comments: { update: [{ where: { id: ${onMyPost} }, data: { body: "edited" } }] } }) { id } }`), 'Comment.update');
      ok(await bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { comments: { delete: [{ id: ${onMyPost} }] } }) { id } }`));
      expect(await app().app.db.comment.findUnique({ where: { id: onMyPost } })).toBeNull();
      await denied(
        bob(`mutation { updateComment(where: { id: ${s.comments.bobOnAlicePub.id} }, data: { post: { update: { title: "hijacked" } } }) { id } }`),
        'Post.update',
      );
      await denied(bob(`mutation { updatePost(where: { id: ${s.posts.alicePub.id} }, data: { comments: { delete: [{ id: ${s.comments.bobOnAlicePub.id} }] } }) { id } }`), 'Post.update');
    });

    it('nested rows are addressed among the parent’s related rows only', async () => {
      const response = await bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { comments: { delete: [{ id: ${s.comments.bobOnAlicePub.id} }] } }) { id } }`);
      expect(response.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(await app().app.db.comment.findUnique({ where: { id: s.comments.bobOnAlicePub.id } })).not.toBeNull();
    });

    it('nested upserts of a to-one relation create or update under their own rules', async () => {
      const upsert = (who: 'bob' | 'alice', userId: number, bio: string) =>
        as(who)(`mutation { updateUser(where: { id: ${userId} }, data: { profile: { upsert: { create: { bio: "${bio}" }, update: { bio: "${bio}" } } } }) { profile { bio } } }`);
      expect(ok(await upsert('bob', s.users.bob.id, 'new')).updateUser.profile).toEqual({ bio: 'new' });
      expect(ok(await upsert('alice', s.users.alice.id, 'edited')).updateUser.profile).toEqual({ bio: 'edited' });
      await denied(upsert('bob', s.users.alice.id, 'defaced'), 'User.update');
    });

    it('relation-based create rules are checked after the insert and roll it back', async () => {
      const join = (who: 'bob' | 'alice', clubId: number, userId: number) =>
        as(who)(`mutation { createMembership(data: { club: { connect: { id: ${clubId} } }, userId: ${userId} }) { id club { name } } }`);
      // inner is private: only its owner (carol) adds members; it is not even readable to bob.
      await hidden(join('bob', s.clubs.inner.id, s.users.bob.id));
      // alice can read it (she is a member) but may not add bob to it.
      await denied(join('alice', s.clubs.inner.id, s.users.bob.id), 'Membership.create');
      expect(ok(await join('alice', s.clubs.open.id, s.users.alice.id)).createMembership.club).toEqual({ name: 'open' });
      await denied(join('alice', s.clubs.open.id, s.users.bob.id), 'Membership.create');
    });
  });

  describe('update rules, field rules and deny', () => {
    it('post-update rules see the row after the write: an author cannot give a post away, an admin can', async () => {
      const move = (who: 'alice' | 'admin') => as(who)(`mutation { updatePost(where: { id: ${s.posts.aliceDraft.id} }, data: { authorId: ${s.users.bob.id} }) { id } }`);
      await denied(move('alice'), 'Post.post-update');
      expect((await app().app.db.post.findUnique({ where: { id: s.posts.aliceDraft.id } })).authorId).toBe(s.users.alice.id);
      ok(await move('admin'));
    });

    it('field update rules reject single writes and skip rows in *Many', async () => {
      await denied(alice(`mutation { updatePost(where: { id: ${s.posts.aliceDraft.id} }, data: { views: 1000 }) { id } }`), 'Post.views.update');
      const mine = `{ authorId: { equals: ${s.users.alice.id} } }`;
      expect(ok(await alice(`mutation { updateManyPosts(where: ${mine}, data: { views: 1000 }) { count } }`)).updateManyPosts.count).toBe(0);
      expect(ok(await alice(`mutation { updateManyPosts(where: ${mine}, data: { body: "edited" }) { count } }`)).updateManyPosts.count).toBeGreaterThan(0);
      expect((await app().app.db.post.findUnique({ where: { id: s.posts.aliceDraft.id } })).views).toBe(5);
      ok(await as('admin')(`mutation { updatePost(where: { id: ${s.posts.aliceDraft.id} }, data: { views: 1000 }) { id } }`));
    });

    it('deny wins over allow, and the development error says which rule matched', async () => {
      const error = await denied(alice(`mutation { deletePost(where: { id: ${s.posts.alicePub.id} }) { id } }`), 'Post.delete');
      expect(error.extensions.rule).toMatchObject({
        name: 'Post.delete',
        reason: '@@deny("delete", status == PUBLISHED && !("admin" in auth().roles)) matched',
        viewer: { id: s.users.alice.id, roles: ['user'] },
      });
      ok(await alice(`mutation { deletePost(where: { id: ${s.posts.aliceDraft.id} }) { id } }`));
    });

    it('*Many act only on allowed rows', async () => {
      expect(ok(await bob('mutation { updateManyPosts(where: {}, data: { title: "mine" }) { count } }')).updateManyPosts.count).toBe(2);
      expect((await app().app.db.post.findMany({ where: { title: 'mine' } })).map((p: { authorId: number }) => p.authorId)).toEqual([s.users.bob.id, s.users.bob.id]);
      // bob deletes his own comments and those on his posts, nothing else.
      expect(ok(await bob('mutation { deleteManyComments(where: {}) { count } }')).deleteManyComments.count).toBe(3);
      expect(await app().app.db.comment.count()).toBe(2);
      await denied(bob(`mutation { createManyPosts(data: [{ title: "a", slug: "a", authorId: ${s.users.bob.id} }, { title: "b", slug: "b", authorId: ${s.users.alice.id} }]) { count } }`), 'Post.create');
      // Post.create (auth().id == authorId) is decided by the data: one INSERT (returning every
      // column for change capture), and no query to check the rows after it.
      app().resetQueries();
      expect(ok(await bob(`mutation { createManyPosts(data: [{ title: "a", slug: "many-a", authorId: ${s.users.bob.id} }, { title: "b", slug: "many-b", authorId: ${s.users.bob.id} }]) { count } }`)).createManyPosts.count).toBe(2);
      expect(dataStatements(app().queries).filter((q) => !/\bSession\b/.test(q)).map((q) => q.trim().split(/\s/)[0])).toEqual(['INSERT']);
    });

    it('an update the rules settle in its WHERE costs no rule query; a row they exclude is refused, nothing written', async () => {
      // Statements beyond what signing the request in costs (the session lookup).
      const statements = async (run: (q: string) => Promise<any>, query: string) => {
        await run('{ __typename }'); // the session is looked up here, then cached for a few seconds
        app().resetQueries();
        await run('{ __typename }');
        const signIn = app().queries.length;
        app().resetQueries();
        const response = await run(query);
        return { response, queries: app().queries.length - signIn };
      };
      // Profile: update rule auth().id == userId || admin, no post-update rule, readable by all, and
      // bio is not a column its create rule reads, so nothing can refuse the row after the UPDATE.
      // Realtime observes every model's writes, so change capture needs the before-image: one
      // UPDATE … FROM (SELECT … FOR UPDATE) RETURNING both on PostgreSQL, the SELECT (with the
      // rules) and then the UPDATE on SQLite; committing on its own: no transaction, no read-back.
      const profile = (await app().app.db.profile.findUnique({ where: { userId: s.users.alice.id } })).id;
      const own = await statements(alice, `mutation { updateProfile(where: { id: ${profile} }, data: { bio: "Mine" }) { bio userId } }`);
      expect(ok(own.response).updateProfile).toEqual({ bio: 'Mine', userId: s.users.alice.id });
      const update = provider === 'postgresql' ? 1 : 2;
      expect(own.queries).toBe(update);
      const byAdmin = await statements(as('admin'), `mutation { updateProfile(where: { id: ${profile} }, data: { bio: "Edited" }) { bio } }`);
      expect(ok(byAdmin.response).updateProfile).toEqual({ bio: 'Edited' });
      expect(byAdmin.queries).toBe(update);
      await denied(bob(`mutation { updateProfile(where: { id: ${profile} }, data: { bio: "Mallory" }) { bio } }`), 'Profile.update');
      expect((await app().app.db.profile.findUnique({ where: { id: profile } })).bio).toBe('Edited');
      const missing = await bob('mutation { updateProfile(where: { id: 999999 }, data: { bio: "x" }) { bio } }');
      expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      const user = await statements(bob, `mutation { updateUser(where: { id: ${s.users.bob.id} }, data: { name: "Robert" }) { name email } }`);
      expect(ok(user.response).updateUser).toEqual({ name: 'Robert', email: 'bob@scene.test' });
      // Post's read and post-update rules read status and authorId, which a new title leaves as they
      // are: both ride in the UPDATE's WHERE, no transaction. Writing status changes what they read:
      // then the transaction, which checks the row after the write.
      const author = await statements(alice, `mutation { updatePost(where: { id: ${s.posts.aliceDraft.id} }, data: { title: "t2" }) { title } }`);
      expect(ok(author.response).updatePost.title).toBe('t2');
      expect(author.queries).toBe(update);
      const archived = await statements(alice, `mutation { updatePost(where: { id: ${s.posts.aliceDraft.id} }, data: { status: ARCHIVED }) { status } }`);
      expect(ok(archived.response).updatePost.status).toBe('ARCHIVED');
      expect(app().queries).toContain('COMMIT');
    });

    it('returns the written row through the read rules: related rows the viewer may not read are null', async () => {
      // bob may delete his old comment on alice's draft, but not read the draft itself.
      const data = ok(await bob(`mutation { deleteComment(where: { id: ${s.comments.bobOnAliceDraft.id} }) { body post { slug } } }`));
      expect(data.deleteComment).toEqual({ body: 'bob on alice-draft', post: null });
    });
  });
});
