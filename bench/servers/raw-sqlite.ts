import Database from 'better-sqlite3';
import { benchEnv, createJsonServer, runServerProcess, type Handler } from './harness.ts';
import { countSqliteStatements } from './statement-counter.ts';

/** (a) on SQLite: node:http and hand-written SQL through better-sqlite3, statements prepared once. */
const nestedSql = `
SELECT p.id, p.title, json_object('id', u.id, 'name', u.name) AS author,
  (SELECT json_group_array(json(x)) FROM (
     SELECT json_object('id', c.id, 'body', c.body, 'createdAt', c.createdAt,
                        'author', json_object('id', cu.id, 'name', cu.name)) AS x
     FROM (SELECT id, body, createdAt, authorId FROM "Comment" WHERE postId = p.id ORDER BY createdAt DESC LIMIT 5) c
     JOIN "User" cu ON cu.id = c.authorId ORDER BY c.createdAt DESC)) AS comments
FROM (SELECT id, title, authorId FROM "Post" ORDER BY id DESC LIMIT 20 OFFSET ?) p
JOIN "User" u ON u.id = p.authorId
ORDER BY p.id DESC`;
const now = `strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')`;

await runServerProcess(async () => {
  const { sqliteFile } = benchEnv();
  const db = new Database(sqliteFile!);
  db.pragma('journal_mode = WAL');
  countSqliteStatements(db.prepare('SELECT 1'));
  const sql = {
    byId: db.prepare('SELECT id, title, slug, status, views, createdAt FROM "Post" WHERE id = ?'),
    page: db.prepare('SELECT id, title, slug, status, views, publishedAt, authorId FROM "Post" ORDER BY id DESC LIMIT 20 OFFSET ?'),
    nested: db.prepare(nestedSql),
    count: db.prepare('SELECT count(*) AS n FROM "Post" WHERE status = ?'),
    connection: db.prepare('SELECT id, title FROM "Post" WHERE status = ? ORDER BY id LIMIT 21'),
    search: db.prepare(`SELECT p.id, p.title, p.views FROM "Post" p JOIN "User" u ON u.id = p.authorId
      WHERE p.title LIKE '%' || ? || '%' AND u.name LIKE ? || '%' ORDER BY p.views DESC, p.id ASC LIMIT 20`),
    aggregate: db.prepare('SELECT count(*) AS count, avg(views) AS avg FROM "Post" WHERE authorId = ?'),
    insertPost: db.prepare(`INSERT INTO "Post" (title, slug, authorId, createdAt, updatedAt) VALUES (?, ?, ?, ${now}, ${now}) RETURNING id, title`),
    insertComment: db.prepare(`INSERT INTO "Comment" (body, postId, authorId, createdAt) VALUES (?, ?, ?, ${now}) RETURNING id, body`),
    update: db.prepare(`UPDATE "Post" SET body = ?, updatedAt = ${now} WHERE id = ? RETURNING id, updatedAt`),
    ownPosts: db.prepare('SELECT id, title, status, views FROM "Post" WHERE authorId = ? ORDER BY id DESC LIMIT 20'),
  };
  const create = db.transaction((data: { title: string; slug: string; authorId: number; comments: { create: { body: string; authorId: number }[] } }) => {
    const post = sql.insertPost.get(data.title, data.slug, data.authorId) as { id: number; title: string };
    const comments = data.comments.create.map((c) => sql.insertComment.get(c.body, post.id, c.authorId));
    return { ...post, comments };
  });

  const handlers: Record<string, Handler> = {
    byId: ({ id }) => ({ post: sql.byId.get(id) ?? null }),
    page: ({ skip }) => ({ posts: sql.page.all(skip) }),
    nested: ({ skip }) => ({
      posts: (sql.nested.all(skip) as { author: string; comments: string }[]).map((p) => ({ ...p, author: JSON.parse(p.author), comments: JSON.parse(p.comments) })),
    }),
    connection: ({ status }) => {
      const nodes = sql.connection.all(status) as { id: number }[];
      const edges = nodes.slice(0, 20).map((node) => ({ cursor: Buffer.from(`C:${node.id}`).toString('base64'), node }));
      const totalCount = (sql.count.get(status) as { n: number }).n;
      return { postsConnection: { totalCount, edges, pageInfo: { hasNextPage: nodes.length > 20, endCursor: edges.at(-1)?.cursor ?? null } } };
    },
    search: ({ q, who }) => ({ posts: sql.search.all(q, who) }),
    aggregate: ({ a }) => {
      const row = sql.aggregate.get(a) as { count: number; avg: number | null };
      return { postsAggregate: { _count: { _all: row.count }, _avg: { views: row.avg } } };
    },
    create: ({ data }) => ({ createPost: create(data) }),
    update: ({ id, body }) => ({ updatePost: sql.update.get(body, id) }),
    ownPosts: ({ me }) => ({ posts: sql.ownPosts.all(me) }),
  };
  return { server: createJsonServer(handlers), path: '/', stop: async () => void db.close() };
});
