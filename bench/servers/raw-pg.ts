import pg from 'pg';
import { benchEnv, createJsonServer, runServerProcess, type Handler } from './harness.ts';
import { countPgStatements } from './statement-counter.ts';

/**
 * (a) The practical limit: node:http and hand-written SQL through `pg`, one named (prepared)
 * statement per shape that builds nested results as JSON inside PostgreSQL.
 */
countPgStatements(pg);
// timestamp(3) without time zone holds UTC (as Prisma writes it).
pg.types.setTypeParser(1114, (value: string) => new Date(`${value.replace(' ', 'T')}Z`));

const nestedSql = `
SELECT p.id, p.title, json_build_object('id', u.id, 'name', u.name) AS author,
  COALESCE((
    SELECT json_agg(json_build_object('id', c.id, 'body', c.body, 'createdAt', c."createdAt",
                                      'author', json_build_object('id', cu.id, 'name', cu.name)) ORDER BY c."createdAt" DESC)
    FROM (SELECT id, body, "createdAt", "authorId" FROM "Comment" WHERE "postId" = p.id ORDER BY "createdAt" DESC LIMIT 5) c
    JOIN "User" cu ON cu.id = c."authorId"), '[]'::json) AS comments
FROM (SELECT id, title, "authorId" FROM "Post" ORDER BY id DESC LIMIT 20 OFFSET $1) p
JOIN "User" u ON u.id = p."authorId"
ORDER BY p.id DESC`;

const connectionSql = `
SELECT (SELECT count(*)::int FROM "Post" WHERE status = $1::"PostStatus") AS "totalCount",
  COALESCE((SELECT json_agg(json_build_object('id', id, 'title', title) ORDER BY id)
            FROM (SELECT id, title FROM "Post" WHERE status = $1::"PostStatus" ORDER BY id LIMIT 21) p), '[]'::json) AS nodes`;

const createSql = `
WITH p AS (
  INSERT INTO "Post" (title, slug, "authorId", "updatedAt") VALUES ($1, $2, $3, now()) RETURNING id, title
), c AS (
  INSERT INTO "Comment" (body, "postId", "authorId")
  SELECT t.body, p.id, t.author FROM p, unnest($4::text[], $5::int[]) AS t(body, author) RETURNING id, body
)
SELECT p.id, p.title, COALESCE((SELECT json_agg(json_build_object('id', c.id, 'body', c.body) ORDER BY c.id) FROM c), '[]'::json) AS comments FROM p`;

await runServerProcess(async () => {
  const { pgUrl, pgSchema, poolSize } = benchEnv();
  const pool = new pg.Pool({ connectionString: pgUrl, max: poolSize, options: `-c search_path="${pgSchema}"` });
  const query = async (name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows;

  const handlers: Record<string, Handler> = {
    byId: async ({ id }) => ({
      post: (await query('byId', 'SELECT id, title, slug, status, views, "createdAt" FROM "Post" WHERE id = $1', [id]))[0] ?? null,
    }),
    page: async ({ skip }) => ({
      posts: await query('page', 'SELECT id, title, slug, status, views, "publishedAt", "authorId" FROM "Post" ORDER BY id DESC LIMIT 20 OFFSET $1', [skip]),
    }),
    nested: async ({ skip }) => ({ posts: await query('nested', nestedSql, [skip]) }),
    connection: async ({ status }) => {
      const [row] = await query('connection', connectionSql, [status]);
      const nodes = row.nodes as { id: number; title: string }[];
      const edges = nodes.slice(0, 20).map((node) => ({ cursor: Buffer.from(`C:${node.id}`).toString('base64'), node }));
      return { postsConnection: { totalCount: row.totalCount, edges, pageInfo: { hasNextPage: nodes.length > 20, endCursor: edges.at(-1)?.cursor ?? null } } };
    },
    search: async ({ q, who }) => ({
      posts: await query(
        'search',
        `SELECT p.id, p.title, p.views FROM "Post" p JOIN "User" u ON u.id = p."authorId"
         WHERE p.title LIKE '%' || $1 || '%' AND u.name LIKE $2 || '%' ORDER BY p.views DESC, p.id ASC LIMIT 20`,
        [q, who],
      ),
    }),
    aggregate: async ({ a }) => {
      const [row] = await query('aggregate', 'SELECT count(*)::int AS count, avg(views)::float8 AS avg FROM "Post" WHERE "authorId" = $1', [a]);
      return { postsAggregate: { _count: { _all: row.count }, _avg: { views: row.avg } } };
    },
    create: async ({ data }) => {
      const comments = data.comments.create as { body: string; authorId: number }[];
      const [post] = await query('create', createSql, [data.title, data.slug, data.authorId, comments.map((c) => c.body), comments.map((c) => c.authorId)]);
      return { createPost: post };
    },
    update: async ({ id, body }) => ({
      updatePost: (await query('update', 'UPDATE "Post" SET body = $2, "updatedAt" = now() WHERE id = $1 RETURNING id, "updatedAt"', [id, body]))[0],
    }),
    ownPosts: async ({ me }) => ({
      posts: await query('ownPosts', 'SELECT id, title, status, views FROM "Post" WHERE "authorId" = $1 ORDER BY id DESC LIMIT 20', [me]),
    }),
  };
  const server = createJsonServer(handlers);
  return { server, path: '/', stop: () => pool.end() };
});
