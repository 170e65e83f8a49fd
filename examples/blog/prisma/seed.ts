/**
 * Sample data for the example app: `npm run seed` (`cairn seed`). Idempotent: it only seeds a
 * database without users. Runs on whichever provider DATABASE_URL points at, and prints the
 * seeded users' passwords so you can sign in as them.
 */
import type { SeedContext } from '../../../src/cli/index.ts';

export default async function seed({ db, createUser, log }: SeedContext): Promise<void> {
  if ((await db.user.count()) > 0) return log('Database already has users; seed skipped.');
  const ada = await createUser({ email: 'ada@example.com', roles: ['user', 'admin'], data: { name: 'Ada', profile: { create: { bio: 'Writes the docs.' } } } });
  const grace = await createUser({ email: 'grace@example.com', roles: ['user', 'editor'], data: { name: 'Grace' } });
  const linus = await createUser({ email: 'linus@example.com', data: { name: 'Linus' } });
  const hello = await db.post.create({
    data: {
      title: 'Hello, Cairn',
      slug: 'hello-cairn',
      body: 'schema.prisma in, GraphQL API out.',
      status: 'PUBLISHED',
      publishedAt: new Date('2026-01-15T09:00:00Z'),
      views: 42,
      rating: 4.5,
      authorId: ada.id,
      tags: { connectOrCreate: ['intro', 'graphql'].map((name) => ({ where: { name }, create: { name } })) },
    },
  });
  await db.post.create({
    data: { title: 'Draft: access rules', slug: 'draft-access-rules', authorId: grace.id, tags: { connect: [{ name: 'graphql' }] } },
  });
  const question = await db.comment.create({ data: { body: 'Does it do subscriptions?', postId: hello.id, authorId: linus.id } });
  await db.comment.create({ data: { body: 'Soon.', postId: hello.id, authorId: ada.id, parentId: question.id } });
  await db.follow.createMany({
    data: [
      { followerId: grace.id, followingId: ada.id },
      { followerId: linus.id, followingId: ada.id },
    ],
  });
  log('Seeded 3 users, 2 posts, 2 comments, 2 tags, 2 follows. Sign in with (shown once, not stored):');
  for (const user of [ada, grace, linus]) log(`  ${user.email.padEnd(18)} ${user.password}   roles: ${user.roles}`);
}
