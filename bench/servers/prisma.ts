import pg from 'pg';
import { createDb, loadGenerated, providerOf } from '../../src/db/index.ts';
import { rootDir } from '../lib/paths.ts';
import { benchEnv, createJsonServer, runServerProcess, type Handler } from './harness.ts';
import { countDriverStatements } from './statement-counter.ts';

/**
 * (b) Plain Prisma without GraphQL: the same generated client and driver adapter Cairn uses,
 * one hand-picked Prisma call per shape (what a developer writing REST handlers would write).
 */
await countDriverStatements(pg, benchEnv().sqliteFile);

const postFields = { id: true, title: true, slug: true, status: true, views: true };
const nestedSelect = {
  id: true,
  title: true,
  author: { select: { id: true, name: true } },
  comments: { take: 5, orderBy: [{ createdAt: 'desc' }], select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true } } } },
};

await runServerProcess(async () => {
  const { url, poolSize } = benchEnv();
  const generated = await loadGenerated(`${rootDir}/examples/blog/src/generated`, providerOf(url));
  const db = createDb({ databaseUrl: url, generated, poolSize });
  await db.$connect();

  const handlers: Record<string, Handler> = {
    byId: async ({ id }) => ({ post: await db.post.findUnique({ where: { id }, select: { ...postFields, createdAt: true } }) }),
    page: async ({ skip }) => ({
      posts: await db.post.findMany({ take: 20, skip, orderBy: [{ id: 'desc' }], select: { ...postFields, publishedAt: true, authorId: true } }),
    }),
    nested: async ({ skip }) => ({ posts: await db.post.findMany({ take: 20, skip, orderBy: [{ id: 'desc' }], select: nestedSelect }) }),
    connection: async ({ status }) => {
      const where = { status };
      const [totalCount, nodes] = await Promise.all([
        db.post.count({ where }),
        db.post.findMany({ where, orderBy: [{ id: 'asc' }], take: 21, select: { id: true, title: true } }),
      ]);
      const edges = (nodes as { id: number }[]).slice(0, 20).map((node) => ({ cursor: Buffer.from(`C:${node.id}`).toString('base64'), node }));
      return { postsConnection: { totalCount, edges, pageInfo: { hasNextPage: nodes.length > 20, endCursor: edges.at(-1)?.cursor ?? null } } };
    },
    search: async ({ q, who }) => ({
      posts: await db.post.findMany({
        where: { title: { contains: q }, author: { is: { name: { startsWith: who } } } },
        orderBy: [{ views: 'desc' }, { id: 'asc' }],
        take: 20,
        select: { id: true, title: true, views: true },
      }),
    }),
    aggregate: async ({ a }) => {
      const result = await db.post.aggregate({ where: { authorId: a }, _count: { _all: true }, _avg: { views: true } });
      return { postsAggregate: { _count: result._count, _avg: result._avg } };
    },
    create: async ({ data }) => ({
      createPost: await db.post.create({ data, select: { id: true, title: true, comments: { select: { id: true, body: true } } } }),
    }),
    update: async ({ id, body }) => ({ updatePost: await db.post.update({ where: { id }, data: { body }, select: { id: true, updatedAt: true } }) }),
    ownPosts: async ({ me }) => ({
      posts: await db.post.findMany({ where: { authorId: me }, orderBy: [{ id: 'desc' }], take: 20, select: { id: true, title: true, status: true, views: true } }),
    }),
  };
  return { server: createJsonServer(handlers), path: '/', stop: () => db.$disconnect() };
});
