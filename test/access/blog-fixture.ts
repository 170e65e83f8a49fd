import type { TestApp } from '../support/test-app.ts';
import { signedIn } from './blog-world.ts';

/**
 * A fixed scene for the example app's rule suites, written through the raw client:
 *
 * alice   published "alice-pub" (views 10, tag news), draft "alice-draft" (views 5); a profile
 * bob     draft "bob-draft" (views 3, tag news), published "bob-pub" (views 20)
 * carol   owns the private club "inner" (alice is a member); bob owns the public club "open"
 * admin   has the admin role
 * comments  on alice-pub by bob and alice; on alice-draft by alice and (an old one) by bob;
 *           on bob-draft by alice
 */
export async function blogScene(t: TestApp) {
  const db = t.app.db;
  const [alice, bob, carol, admin] = [
    await signedIn(t, 'alice@scene.test'),
    await signedIn(t, 'bob@scene.test'),
    await signedIn(t, 'carol@scene.test'),
    await signedIn(t, 'admin@scene.test', 'user,admin'),
  ];
  await db.profile.create({ data: { userId: alice.id, bio: 'Alice writes' } });
  const news = await db.tag.create({ data: { name: 'news' } });
  const other = await db.tag.create({ data: { name: 'other' } });
  const post = (slug: string, authorId: number, status: string, views: number, tags: number[] = []) =>
    db.post.create({ data: { slug, title: slug, status, views, authorId, tags: { connect: tags.map((id) => ({ id })) } } });
  const posts = {
    alicePub: await post('alice-pub', alice.id, 'PUBLISHED', 10, [news.id]),
    aliceDraft: await post('alice-draft', alice.id, 'DRAFT', 5),
    bobDraft: await post('bob-draft', bob.id, 'DRAFT', 3, [news.id]),
    bobPub: await post('bob-pub', bob.id, 'PUBLISHED', 20),
  };
  const comment = (body: string, postId: number, authorId: number) => db.comment.create({ data: { body, postId, authorId } });
  const comments = {
    bobOnAlicePub: await comment('bob on alice-pub', posts.alicePub.id, bob.id),
    aliceOnAlicePub: await comment('alice on alice-pub', posts.alicePub.id, alice.id),
    aliceOnAliceDraft: await comment('alice on alice-draft', posts.aliceDraft.id, alice.id),
    bobOnAliceDraft: await comment('bob on alice-draft', posts.aliceDraft.id, bob.id),
    aliceOnBobDraft: await comment('alice on bob-draft', posts.bobDraft.id, alice.id),
  };
  const inner = await db.club.create({ data: { name: 'inner', private: true, ownerId: carol.id, members: { create: [{ userId: alice.id }] } } });
  const open = await db.club.create({ data: { name: 'open', private: false, ownerId: bob.id } });
  return { users: { alice, bob, carol, admin }, tags: { news, other }, posts, comments, clubs: { inner, open } };
}

export type BlogScene = Awaited<ReturnType<typeof blogScene>>;
