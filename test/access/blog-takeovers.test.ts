import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, type GraphQLResponse, type TestApp } from '../support/test-app.ts';
import { blogScene, type BlogScene } from './blog-fixture.ts';
import { forbidden, ok } from './run-matrix.ts';

/**
 * The takeovers of issue 10, each as an attacker sends it against the example app: an update may
 * not leave a row the viewer could not have created (re-pointing a comment, planting a profile,
 * moving a moderator's membership into someone else's private club), field rules hold on create,
 * and writes answer NOT_FOUND for rows the viewer cannot read exactly as for missing ones.
 * Every refusal leaves the database as it was.
 */
describeEachProvider('access rules: takeovers through writes', (provider) => {
  let t: TestApp | undefined;
  let s: BlogScene;
  beforeEach(async () => {
    await t?.close();
    t = await createTestApp('blog', provider);
    s = await blogScene(t);
  });
  afterAll(() => t?.close());

  const db = () => t!.app.db;
  const as = (who: keyof BlogScene['users']) => (query: string, variables?: Record<string, unknown>) => t!.gql(query, variables, s.users[who].headers);
  const bob = as('bob');
  const snapshot = async () => ({
    posts: await db().post.findMany({ orderBy: { id: 'asc' } }),
    comments: await db().comment.findMany({ orderBy: { id: 'asc' } }),
    profiles: await db().profile.findMany({ orderBy: { id: 'asc' } }),
    memberships: await db().membership.findMany({ orderBy: { id: 'asc' } }),
  });
  /** A write that must be FORBIDDEN by `rule` and leave every row as it was. */
  const refused = async (run: Promise<GraphQLResponse>, rule: string) => {
    const before = await snapshot();
    const error = forbidden(await run, rule);
    expect(error.message).toBe(`Access denied by rule ${rule}`);
    expect(await snapshot()).toEqual(before);
    return error;
  };
  /** The first error's client-visible shape. */
  const shape = (response: GraphQLResponse) => {
    expect(response.errors, JSON.stringify(response)).toBeDefined();
    const [error] = response.errors!;
    return { message: error!.message, extensions: error!.extensions };
  };

  describe('an update may not leave a row the viewer could not have created', () => {
    it('a comment cannot be re-pointed at another author, by column, connect, *Many, upsert or nested update', async () => {
      const mine = s.comments.bobOnAlicePub.id;
      const alice = s.users.alice.id;
      const error = await refused(bob(`mutation { updateComment(where: { id: ${mine} }, data: { authorId: ${alice} }) { id } }`), 'Comment.create');
      expect((error.extensions.rule as { reason: string }).reason).toContain('the update changed a column Comment.create reads');
      await refused(bob(`mutation { updateComment(where: { id: ${mine} }, data: { author: { connect: { id: ${alice} } } }) { id } }`), 'Comment.create');
      await refused(bob(`mutation { updateManyComments(where: { id: { equals: ${mine} } }, data: { authorId: ${alice} }) { count } }`), 'Comment.create');
      await refused(
        bob(`mutation { upsertComment(where: { id: ${mine} }, create: { body: "x", postId: ${s.posts.alicePub.id}, authorId: ${s.users.bob.id} }, update: { authorId: ${alice} }) { id } }`),
        'Comment.create',
      );
      const onOwnPost = (await db().comment.create({ data: { body: 'bob on bob-draft', postId: s.posts.bobDraft.id, authorId: s.users.bob.id } })).id;
      await refused(
        bob(`mutation { updatePost(where: { id: ${s.posts.bobDraft.id} }, data: { comments: { update: [{ where: { id: ${onOwnPost} }, data: { authorId: ${alice} } }] } }) { id } }`),
        'Comment.create',
      );
      // What the create rule does not read stays editable, and setting the author to oneself is no change of hands.
      expect(ok(await bob(`mutation { updateComment(where: { id: ${mine} }, data: { body: "edited", authorId: ${s.users.bob.id} }) { body } }`)).updateComment).toEqual({ body: 'edited' });
      expect(ok(await bob(`mutation { updateManyComments(where: { id: { equals: ${mine} } }, data: { body: "again" }) { count } }`)).updateManyComments.count).toBe(1);
    });

    it('a profile cannot be planted on another user', async () => {
      const profile = ok(await bob(`mutation { createProfile(data: { bio: "bob", userId: ${s.users.bob.id} }) { id } }`)).createProfile.id;
      await refused(bob(`mutation { updateProfile(where: { id: ${profile} }, data: { userId: ${s.users.carol.id} }) { id } }`), 'Profile.create');
      await refused(bob(`mutation { updateProfile(where: { id: ${profile} }, data: { user: { connect: { id: ${s.users.carol.id} } } }) { id } }`), 'Profile.create');
      await refused(bob(`mutation { updateManyProfiles(where: {}, data: { userId: ${s.users.carol.id} }) { count } }`), 'Profile.create');
      // Pulling alice's profile onto bob needs update on it.
      const alices = (await db().profile.findUnique({ where: { userId: s.users.alice.id } })).id;
      await refused(bob(`mutation { updateUser(where: { id: ${s.users.bob.id} }, data: { profile: { connect: { id: ${alices} } } }) { id } }`), 'Profile.update');
      expect(ok(await bob(`mutation { updateProfile(where: { id: ${profile} }, data: { bio: "still bob" }) { bio } }`)).updateProfile).toEqual({ bio: 'still bob' });
      // An admin may create profiles for anyone, so may move them.
      ok(await as('admin')(`mutation { updateProfile(where: { id: ${profile} }, data: { userId: ${s.users.carol.id} }) { id } }`));
    });

    it("a moderator's membership cannot be moved into someone else's private club", async () => {
      // bob owns the public club "open" and is a plain member of carol's private "inner" (so he can read it).
      await db().membership.create({ data: { clubId: s.clubs.inner.id, userId: s.users.bob.id } });
      const moderator = ok(
        await bob(`mutation { createMembership(data: { clubId: ${s.clubs.open.id}, userId: ${s.users.admin.id}, role: "moderator" }) { id } }`),
      ).createMembership.id;
      const inner = s.clubs.inner.id;
      await refused(bob(`mutation { updateMembership(where: { id: ${moderator} }, data: { clubId: ${inner} }) { id } }`), 'Membership.create');
      await refused(bob(`mutation { updateMembership(where: { id: ${moderator} }, data: { club: { connect: { id: ${inner} } } }) { id } }`), 'Membership.create');
      await refused(bob(`mutation { updateManyMemberships(where: { id: { equals: ${moderator} } }, data: { clubId: ${inner} }) { count } }`), 'Membership.create');
      expect((await db().membership.findUnique({ where: { id: moderator } })).clubId).toBe(s.clubs.open.id);
      // The owner still promotes members of their own club, and hands the club over (its post-update rule).
      ok(await bob(`mutation { updateMembership(where: { id: ${moderator} }, data: { role: "member" }) { id } }`));
      ok(await bob(`mutation { updateClub(where: { id: ${s.clubs.open.id} }, data: { ownerId: ${s.users.alice.id} }) { id } }`));
      expect((await db().club.findUnique({ where: { id: s.clubs.open.id } })).ownerId).toBe(s.users.alice.id);
    });
  });

  describe('field rules apply on create', () => {
    it('a non-admin cannot set views on create: single, createMany, nested, upsert', async () => {
      const me = s.users.bob.id;
      const error = await refused(bob(`mutation { createPost(data: { title: "t", slug: "inflated", authorId: ${me}, views: 1000000 }) { id } }`), 'Post.views.update');
      expect((error.extensions.rule as { reason: string }).reason).toContain('also guards writing it on create');
      await refused(
        bob(`mutation { createManyPosts(data: [{ title: "a", slug: "a", authorId: ${me} }, { title: "b", slug: "b", authorId: ${me}, views: 5 }]) { count } }`),
        'Post.views.update',
      );
      await refused(bob(`mutation { updateUser(where: { id: ${me} }, data: { posts: { create: [{ title: "n", slug: "nested", views: 9 }] } }) { id } }`), 'Post.views.update');
      await refused(
        bob(`mutation { upsertPost(where: { slug: "fresh" }, create: { title: "f", slug: "fresh", authorId: ${me}, views: 9 }, update: { title: "f" }) { id } }`),
        'Post.views.update',
      );
      await refused(
        bob(`mutation { createComment(data: { body: "c", authorId: ${me}, post: { create: { title: "p", slug: "via-comment", authorId: ${me}, views: 3 } } }) { id } }`),
        'Post.views.update',
      );
      // Without views the same writes succeed, and an admin sets views on their own posts.
      ok(await bob(`mutation { createPost(data: { title: "t", slug: "honest", authorId: ${me} }) { views } }`));
      expect(ok(await as('admin')(`mutation { createPost(data: { title: "t", slug: "admin", authorId: ${s.users.admin.id}, views: 7 }) { views } }`)).createPost.views).toBe(7);
    });
  });

  describe('writes do not reveal hidden rows', () => {
    it('update, delete, upsert, connect and foreign keys answer a hidden row exactly as a missing one', async () => {
      const hidden = 'alice-draft';
      const pairs: [string, string][] = [
        [`mutation { updatePost(where: { slug: "${hidden}" }, data: { title: "x" }) { id } }`, `mutation { updatePost(where: { slug: "made-up" }, data: { title: "x" }) { id } }`],
        [`mutation { deletePost(where: { slug: "${hidden}" }) { id } }`, `mutation { deletePost(where: { slug: "made-up" }) { id } }`],
        [
          `mutation { createComment(data: { body: "x", authorId: ${s.users.bob.id}, post: { connect: { slug: "${hidden}" } } }) { id } }`,
          `mutation { createComment(data: { body: "x", authorId: ${s.users.bob.id}, post: { connect: { slug: "made-up" } } }) { id } }`,
        ],
        [
          `mutation { createComment(data: { body: "x", authorId: ${s.users.bob.id}, postId: ${s.posts.aliceDraft.id} }) { id } }`,
          `mutation { createComment(data: { body: "x", authorId: ${s.users.bob.id}, postId: 999999 }) { id } }`,
        ],
        [
          `mutation { updateComment(where: { id: ${s.comments.bobOnAlicePub.id} }, data: { post: { connect: { id: ${s.posts.aliceDraft.id} } } }) { id } }`,
          `mutation { updateComment(where: { id: ${s.comments.bobOnAlicePub.id} }, data: { post: { connect: { id: 999999 } } }) { id } }`,
        ],
        [
          `mutation { updateUser(where: { id: ${s.users.bob.id} }, data: { posts: { connect: [{ id: ${s.posts.aliceDraft.id} }] } }) { id } }`,
          `mutation { updateUser(where: { id: ${s.users.bob.id} }, data: { posts: { connect: [{ id: 999999 }] } }) { id } }`,
        ],
      ];
      const before = await snapshot();
      for (const [probe, control] of pairs) {
        const answer = shape(await bob(probe));
        const missing = shape(await bob(control));
        expect(answer.extensions.code, probe).toBe('NOT_FOUND');
        expect(answer, probe).toEqual(missing);
      }
      // The primary-key probes: a hidden id and a free id give the same answer.
      const byId = (id: number) => bob(`mutation { updatePost(where: { id: ${id} }, data: { title: "x" }) { id } }`);
      expect(shape(await byId(s.posts.aliceDraft.id))).toEqual(shape(await byId(999999)));
      // upsert on a hidden row is NOT_FOUND too, never a create that collides with it.
      const upsert = shape(
        await bob(`mutation { upsertPost(where: { slug: "${hidden}" }, create: { title: "x", slug: "${hidden}", authorId: ${s.users.bob.id} }, update: { title: "x" }) { id } }`),
      );
      expect(upsert).toEqual(shape(await bob(`mutation { updatePost(where: { slug: "made-up" }, data: { title: "x" }) { id } }`)));
      expect(await snapshot()).toEqual(before);
      // A row the viewer reads but may not change is still FORBIDDEN, naming the rule.
      forbidden(await bob(`mutation { updatePost(where: { slug: "alice-pub" }, data: { title: "x" }) { id } }`), 'Post.update');
    });
  });
});
