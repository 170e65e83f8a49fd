import { expect } from 'vitest';
import type { Provider } from '../../src/db/index.ts';
import { createTestApp, type GraphQLResponse, type TestApp } from './test-app.ts';

/**
 * The example app with every model `/// @@allow("all", true)` and no other rule: the suites in
 * test/crud test the generated CRUD API itself (the rules have their own suites), through the
 * enforcing client and its nested-write path, as production runs it.
 */
export const createCrudApp = (provider: Provider, env: Record<string, string> = {}) =>
  createTestApp('blog', provider, env, { rules: 'allow-all' });

/**
 * A small, fixed data set for the example app (prisma/schema.prisma), written straight through
 * the Prisma client so read suites start from known rows. Ids come from the database
 * (autoincrement), so suites look rows up by their unique keys through the returned maps.
 *
 * users     alice (admin, profile), bob (editor, profile without bio), carol (no name), dave (Example.org)
 * posts     graphql-basics, advanced-graphql, hello-world (alice); prisma-tips, sqlite-in-production (bob);
 *           postgres-notes (carol)
 * tags      graphql, databases, intro, unused (no posts)
 * comments  threads on graphql-basics (with a reply), advanced-graphql, sqlite-in-production
 * follows   alice→bob, bob→alice, carol→alice, dave→bob
 */
export interface BlogSeed {
  users: Record<'alice' | 'bob' | 'carol' | 'dave', number>;
  posts: Record<string, number>;
  tags: Record<string, number>;
  comments: Record<string, number>;
}

export const seedPosts = [
  { slug: 'graphql-basics', title: 'GraphQL Basics', status: 'PUBLISHED', views: 100, rating: 4.5, publishedAt: '2024-01-10T00:00:00.000Z', author: 'alice', tags: ['graphql', 'intro'] },
  { slug: 'advanced-graphql', title: 'Advanced GraphQL', status: 'PUBLISHED', views: 250, rating: 4.8, publishedAt: '2024-02-15T00:00:00.000Z', author: 'alice', tags: ['graphql'] },
  { slug: 'prisma-tips', title: 'Prisma Tips', status: 'DRAFT', views: 0, rating: null, publishedAt: null, author: 'bob', tags: ['databases'] },
  { slug: 'sqlite-in-production', title: 'SQLite in Production', status: 'ARCHIVED', views: 40, rating: 3.2, publishedAt: '2023-06-01T00:00:00.000Z', author: 'bob', tags: ['databases'] },
  { slug: 'postgres-notes', title: 'postgres notes', status: 'PUBLISHED', views: 75, rating: null, publishedAt: '2024-03-01T00:00:00.000Z', author: 'carol', tags: ['databases'] },
  { slug: 'hello-world', title: 'Hello World', status: 'DRAFT', views: 5, rating: 2.0, publishedAt: null, author: 'alice', tags: ['intro'] },
] as const;

export async function seedBlog(t: TestApp): Promise<BlogSeed> {
  const db = t.app.db;
  const user = async (email: string, name: string | null, roles: string, profile?: { bio: string | null; website?: string }) =>
    (await db.user.create({ data: { email, name, roles, ...(profile ? { profile: { create: profile } } : {}) } })).id as number;
  const users = {
    alice: await user('alice@example.com', 'Alice', 'admin', { bio: 'Writes about GraphQL', website: 'https://alice.dev' }),
    bob: await user('bob@example.com', 'Bob', 'editor', { bio: null }),
    carol: await user('carol@example.com', null, 'user'),
    dave: await user('dave@Example.org', 'dave', 'user'),
  };
  const tags: Record<string, number> = {};
  for (const name of ['graphql', 'databases', 'intro', 'unused']) tags[name] = (await db.tag.create({ data: { name } })).id;
  const posts: Record<string, number> = {};
  for (const p of seedPosts) {
    const { author, tags: tagNames, publishedAt, ...fields } = p;
    const created = await db.post.create({
      data: {
        ...fields,
        publishedAt: publishedAt ? new Date(publishedAt) : null,
        authorId: users[author],
        tags: { connect: tagNames.map((name) => ({ id: tags[name] })) },
      },
    });
    posts[p.slug] = created.id;
  }
  const comment = async (key: string, body: string, post: string, author: keyof BlogSeed['users'], parent?: string) => {
    const created = await db.comment.create({
      data: { body, postId: posts[post], authorId: users[author], parentId: parent ? comments[parent] : null },
    });
    comments[key] = created.id;
  };
  const comments: Record<string, number> = {};
  await comment('greatIntro', 'Great intro', 'graphql-basics', 'bob');
  await comment('thanksBob', 'Thanks Bob', 'graphql-basics', 'alice', 'greatIntro');
  await comment('helpful', 'Helpful', 'graphql-basics', 'carol');
  await comment('deepDive', 'Deep dive', 'advanced-graphql', 'bob');
  await comment('stillRelevant', 'Still relevant?', 'sqlite-in-production', 'alice');
  await db.follow.createMany({
    data: [
      { followerId: users.alice, followingId: users.bob },
      { followerId: users.bob, followingId: users.alice },
      { followerId: users.carol, followingId: users.alice },
      { followerId: users.dave, followingId: users.bob },
    ],
  });
  return { users, posts, tags, comments };
}

/** The response has no errors and data; returns the data. */
export function ok<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data).toBeDefined();
  return response.data as T;
}

/** The response failed with exactly one error of `code`; returns that error. */
export function failed(response: GraphQLResponse, code: string) {
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions.code, error!.message).toBe(code);
  return error!;
}

/** Rows in every table of the example app, including the implicit Post–Tag join table. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const db = t.app.db;
  const [joined] = await db.$queryRawUnsafe<{ n: number | bigint }[]>('SELECT COUNT(*) AS n FROM "_PostToTag"');
  return {
    users: await db.user.count(),
    profiles: await db.profile.count(),
    posts: await db.post.count(),
    comments: await db.comment.count(),
    tags: await db.tag.count(),
    follows: await db.follow.count(),
    postTags: Number(joined!.n),
  };
}

/** Sorted values of `key` in `rows`; for comparing results whose order is not under test. */
export const sorted = <T>(rows: T[], key: keyof T) => rows.map((r) => r[key]).sort();
