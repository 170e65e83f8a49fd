/**
 * Sample data for the example app: `cairn seed` (or `npx tsx prisma/seed.ts`). Idempotent: it
 * only seeds an empty database. Runs on whichever provider DATABASE_URL points at.
 */
import { loadConfig } from '../src/config/index.ts';
import { createDb, loadGenerated, pushSchema } from '../src/db/index.ts';

const config = loadConfig();
const generated = await loadGenerated(config.generatedDir, config.provider);
if (config.syncSchema === 'push') await pushSchema({ databaseUrl: config.databaseUrl, schemaPath: generated.schemaPath });
const db = createDb({ databaseUrl: config.databaseUrl, generated });

try {
  if ((await db.user.count()) > 0) {
    console.log('Database already has users; seed skipped.');
  } else {
    const ada = await db.user.create({
      data: { email: 'ada@example.com', name: 'Ada', roles: 'user,admin', profile: { create: { bio: 'Writes the docs.' } } },
    });
    const grace = await db.user.create({ data: { email: 'grace@example.com', name: 'Grace', roles: 'user,editor' } });
    const linus = await db.user.create({ data: { email: 'linus@example.com', name: 'Linus' } });
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
    console.log('Seeded 3 users, 2 posts, 2 comments, 2 tags, 2 follows.');
  }
} finally {
  await db.$disconnect();
}
