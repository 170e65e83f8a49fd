import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegateName, directSqlOf, findModel as findIn, type Datamodel, type DirectSql } from '../../src/db/index.ts';
import { fixtures } from '../support/fixtures.ts';
import { createCrudApp, failed, ok, seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { createTestApp, dataStatements, postgresUrl, type TestApp } from '../support/test-app.ts';

const datamodels = (['blog', 'catalog'] as const).map((name) => JSON.parse(readFileSync(`${fixtures[name].generated}/postgresql/datamodel.json`, 'utf8')) as Datamodel);
const findModel = (_: unknown, name: string) => findIn(datamodels.find((d) => d.models.some((m) => m.name === name))!, name);

type Find = [model: string, method: 'findMany' | 'findFirst' | 'findUnique', args: Record<string, any>];

/** Direct SQL must answer exactly what Prisma's client answers for the same arguments. */
async function expectSameAsPrisma(t: TestApp, [name, method, args]: Find) {
  const db = t.app.db as any;
  const reader = directSqlOf(db) as DirectSql;
  const model = findModel(t, name);
  const call = `${name}.${method}(${JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))})`;
  const direct = reader.find(model, method, args);
  expect(direct, `${call} is compiled`).toBeDefined();
  const prisma = await db[delegateName(model)][method](args).catch((error: Error) => error);
  expect(await direct, call).toEqual(prisma);
}

describe.runIf(postgresUrl)('direct SQL on PostgreSQL (blog)', () => {
  let t: TestApp;
  let seed: BlogSeed;
  beforeAll(async () => {
    t = await createCrudApp('postgresql');
    seed = await seedBlog(t);
    // Rows with NULLs and LIKE wildcards, where SQL and Prisma are easiest to tell apart.
    await t.app.db.post.create({ data: { title: '100% _real_ \\ data', slug: 'wild', authorId: seed.users.bob, rating: null, views: 7, attachments: [{ key: 'k', name: 'a "b".txt', size: 3 }, null, 'é'] } });
    const { Prisma } = await import(`${fixtures.blog.generated}/postgresql/client/client.ts`);
    await t.app.db.post.create({ data: { title: 'JSON null', slug: 'json-null', authorId: seed.users.bob, attachments: Prisma.JsonNull } });
    await t.app.db.user.create({ data: { email: 'noname@example.com', name: null } });
  });
  afterAll(() => t?.close());

  const posts = { id: true, title: true, slug: true, status: true, views: true, rating: true, publishedAt: true, createdAt: true, authorId: true };
  const cases = (): Find[] => [
    ['Post', 'findMany', { select: posts }],
    ['Post', 'findMany', { select: { id: true, attachments: true }, orderBy: [{ id: 'asc' }] }],
    ['Post', 'findUnique', { where: { slug: 'wild' } }],
    ['Post', 'findMany', { omit: { body: true }, where: { authorId: seed.users.bob } }],
    ['Post', 'findMany', { select: posts, orderBy: [{ id: 'desc' }], take: 2, skip: 1 }],
    ['Post', 'findMany', { select: posts, orderBy: [{ rating: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }] }],
    ['Post', 'findMany', { select: posts, orderBy: { views: 'desc' } }],
    ['Post', 'findUnique', { where: { slug: 'prisma-tips' }, select: posts }],
    ['Post', 'findUnique', { where: { slug: 'nope' }, select: posts }],
    ['Post', 'findFirst', { where: { status: 'PUBLISHED' }, orderBy: [{ id: 'asc' }], select: { id: true } }],
    ['Post', 'findMany', { where: { status: { in: ['DRAFT', 'ARCHIVED'] } }, select: posts }],
    ['Post', 'findMany', { where: { status: { notIn: [] } }, select: { id: true } }],
    ['Post', 'findMany', { where: { id: { in: [] } }, select: { id: true } }],
    ['Post', 'findMany', { where: { rating: null }, select: { id: true } }],
    ['Post', 'findMany', { where: { rating: { not: null } }, select: { id: true } }],
    ['Post', 'findMany', { where: { rating: { not: 4.5 } }, select: { id: true, rating: true } }],
    ['Post', 'findMany', { where: { NOT: { rating: 4.5 } }, select: { id: true } }],
    ['Post', 'findMany', { where: { NOT: [{ views: 0 }, { status: 'DRAFT' }] }, select: { id: true } }],
    ['Post', 'findMany', { where: { rating: { not: { gt: 3 } } }, select: { id: true } }],
    ['Post', 'findMany', { where: { OR: [{ views: { gte: 5 } }, { title: { startsWith: 'Prisma' } }] }, select: { id: true } }],
    ['Post', 'findMany', { where: { AND: [{ views: { lt: 100 } }, { views: { gt: -1 } }], createdAt: { lte: new Date(Date.now() + 60_000) } }, select: { id: true } }],
    ['Post', 'findMany', { where: { publishedAt: { gte: '2000-01-01T00:00:00.000Z' } }, select: { id: true, publishedAt: true } }],
    ['Post', 'findMany', { where: { title: { contains: '%' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { title: { contains: '_real_' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { title: { contains: '\\' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { title: { endsWith: 'TIPS', mode: 'insensitive' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { title: { contains: 'tips' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { author: { is: { name: { startsWith: 'Al' } } } }, select: { id: true } }],
    ['Post', 'findMany', { where: { author: { email: 'bob@example.com' } }, select: { id: true } }],
    ['Post', 'findMany', { where: { comments: { some: { body: { contains: 'e' } } } }, select: { id: true } }],
    ['Post', 'findMany', { where: { comments: { none: {} } }, select: { id: true } }],
    ['User', 'findMany', { where: { profile: null }, select: { id: true } }],
    ['User', 'findMany', { where: { profile: { isNot: null } }, select: { id: true } }],
    ['User', 'findMany', { where: { profile: { is: { bio: null } } }, select: { id: true } }],
    ['User', 'findMany', { where: { name: { not: 'Alice' } }, select: { id: true, name: true } }],
    ['User', 'findMany', { where: { posts: { some: { status: 'PUBLISHED' } }, name: { not: null } }, omit: { passwordHash: true } }],
    ['Follow', 'findUnique', { where: { followerId_followingId: { followerId: seed.users.carol, followingId: seed.users.alice } } }],
  ];

  it('answers each find exactly as Prisma does', async () => {
    for (const find of cases()) await expectSameAsPrisma(t, find);
  });

  it('leaves to Prisma what it does not compile: relations, cursors, JSON filters, Prisma-invalid values, transactions', async () => {
    const reader = directSqlOf(t.app.db)!;
    const post = findModel(t, 'Post');
    const unsupported: Find[2][] = [
      { select: { id: true, author: true } },
      { select: { id: true, _count: true } },
      { include: { author: true } },
      { cursor: { id: 1 }, select: { id: true } },
      { distinct: ['status'], select: { id: true } },
      { where: { attachments: { not: null } }, select: { id: true } },
      { where: { attachments: null }, select: { id: true } },
      { where: { tags: { some: {} } }, select: { id: true } },
      { where: { comments: { every: { body: 'x' } } }, select: { id: true } },
      { where: { OR: [] }, select: { id: true } },
      { where: { views: 'many' }, select: { id: true } },
      { where: { views: 2 ** 31 }, select: { id: true } },
      { where: { status: 'GONE' }, select: { id: true } },
      { where: { nope: 1 }, select: { id: true } },
      { take: -2, select: { id: true } },
      { orderBy: [{ author: { name: 'asc' } }], select: { id: true } },
      { orderBy: { views: 'desc', id: 'asc' }, select: { id: true } },
      { where: { author: { isNot: { name: 'Alice' } } }, select: { id: true } },
    ];
    for (const args of unsupported) expect(reader.find(post, 'findMany', args), JSON.stringify(args)).toBeUndefined();
    expect(reader.find(post, 'findUnique', { where: { title: 'x' }, select: { id: true } })).toBeUndefined();
    await t.app.db.$transaction(async (tx: object) => expect(directSqlOf(tx)).toBeUndefined());
  });

  it('serves byId and a page through the API in one direct statement each, rules enforced', async () => {
    t.resetQueries();
    const data = ok(await t.gql(`query($id: Int!) { post(where: { id: $id }) { id slug status createdAt } posts(take: 2, orderBy: [{ id: desc }]) { id } }`, { id: seed.posts['prisma-tips'] }));
    expect(data.post).toMatchObject({ id: seed.posts['prisma-tips'], slug: 'prisma-tips', status: 'DRAFT' });
    expect(new Date(data.post.createdAt).getTime()).not.toBeNaN();
    expect(data.posts).toHaveLength(2);
    const statements = dataStatements(t.queries);
    expect(statements).toHaveLength(2);
    for (const sql of statements) expect(sql).toMatch(/^SELECT .* FROM "[^"]+"\."Post" AS t0/);
  });

  it('updates exactly as Prisma does, and leaves refused values to Prisma', async () => {
    const db = t.app.db as any;
    const reader = directSqlOf(db)!;
    const post = findModel(t, 'Post');
    const id = seed.posts['graphql-basics'];
    const select = { ...posts, body: true, attachments: true, updatedAt: true };
    const withoutClock = ({ updatedAt, ...row }: Record<string, unknown>) => (expect(updatedAt).toBeInstanceOf(Date), row);
    const updates: Record<string, any>[] = [
      { where: { id }, data: { body: 'direct' }, select },
      { where: { id }, data: { title: { set: 'Set' }, rating: 4.5, views: 12, status: 'PUBLISHED', publishedAt: new Date('2024-02-29T12:00:00.000Z') }, select },
      { where: { id }, data: { rating: null, publishedAt: { set: null } }, select },
      { where: { id, AND: [{ authorId: seed.users.alice }, { OR: [{ status: 'DRAFT' }, { views: { gte: 0 } }] }] }, data: { slug: 'graphql-basics' }, select },
      { where: { slug: 'graphql-basics' }, data: { updatedAt: new Date('2025-01-01T00:00:00.000Z') }, select: { id: true, updatedAt: true } },
    ];
    for (const args of updates) {
      const direct = reader.update(post, args);
      expect(direct, JSON.stringify(args)).toBeDefined();
      const directRow = (await direct)!;
      const prismaRow = await db.post.update(args);
      if (args.data.updatedAt) expect(directRow).toEqual(prismaRow);
      else expect(withoutClock(directRow)).toEqual(withoutClock(prismaRow));
    }
    // No row matched: null (the caller's transaction tells NOT_FOUND from FORBIDDEN); Prisma throws P2025.
    expect(await reader.update(post, { where: { id, authorId: -1 }, data: { body: 'x' }, select })).toBeNull();
    // A unique violation or a value the column refuses changes nothing, and answers null for Prisma to report.
    const before = await db.post.findUnique({ where: { id } });
    expect(await reader.update(post, { where: { id }, data: { slug: 'prisma-tips' }, select })).toBeNull();
    expect(await db.post.findUnique({ where: { id } })).toEqual(before);
    const unsupported: Record<string, any>[] = [
      { where: { id }, data: { views: { increment: 1 } }, select },
      { where: { id }, data: { author: { connect: { id: seed.users.bob } } }, select },
      { where: { id }, data: { attachments: [] }, select },
      { where: { id }, data: { body: 'x' }, select: { id: true, tags: true } },
      { where: { id }, data: { title: null }, select },
      { where: { id }, data: { views: 'many' }, select },
      { where: { id }, data: {}, select },
      { where: { id }, data: { body: 'x' }, include: { author: true } },
      { where: { id }, data: { body: 'x' }, select: { author: true } },
      { where: { title: 'GraphQL Basics' }, data: { body: 'x' }, select },
    ];
    for (const args of unsupported) expect(reader.update(post, args), JSON.stringify(args)).toBeUndefined();
  });

  it('returns the row as it was from the UPDATE itself, as the latest committed version of it', async () => {
    const db = t.app.db as any;
    const sql = directSqlOf(db)!;
    const post = findModel(t, 'Post');
    const id = seed.posts['advanced-graphql'];
    const select = { ...posts, body: true, updatedAt: true };
    for (const args of [
      { where: { id }, data: { body: 'one', views: 3 }, select },
      { where: { id, AND: [{ status: 'PUBLISHED' }, { author: { is: { email: { contains: '@' } } } }] }, data: { rating: null }, select: { id: true } },
    ]) {
      const was = await db.post.findUnique({ where: { id } });
      const result = await sql.updateReturningBefore(post, args);
      expect(result, JSON.stringify(args)).toEqual({ before: was, after: await db.post.findUnique({ where: { id }, select: args.select }) });
    }
    expect(await sql.updateReturningBefore(post, { where: { id, status: 'DRAFT' }, data: { body: 'x' }, select })).toBeNull();
    const unchanged = await db.post.findUnique({ where: { id } });
    expect(await sql.updateReturningBefore(post, { where: { id }, data: { slug: 'prisma-tips' }, select })).toBeNull();
    expect(await db.post.findUnique({ where: { id } })).toEqual(unchanged);

    // A concurrent writer holds the row: the UPDATE waits for it, and its before-image is that
    // writer's committed row, not the one the statement's snapshot saw (FOR UPDATE in the FROM).
    const schema = new URL(t.app.config.databaseUrl).searchParams.get('schema')!;
    const writer = new pg.Client({ connectionString: postgresUrl });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE "${schema}"."Post" SET body = 'held' WHERE id = $1`, [id]);
      const waiting = sql.updateReturningBefore(post, { where: { id }, data: { body: 'after' }, select })!;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writer.query('COMMIT');
      const { before, after } = (await waiting)!;
      expect([before.body, after.body]).toEqual(['held', 'after']);
    } finally {
      await writer.end();
    }
  });

  it('counts and aggregates exactly as Prisma does', async () => {
    const db = t.app.db as any;
    const sql = directSqlOf(db)!;
    const post = findModel(t, 'Post');
    const all = { views: true, rating: true };
    const extremes = { ...all, title: true, createdAt: true, publishedAt: true };
    const cases: ['count' | 'aggregate', Record<string, any>][] = [
      ['count', {}],
      ['count', { where: { authorId: seed.users.alice } }],
      ['count', { where: { title: { contains: 'a' }, author: { is: { name: { startsWith: 'A' } } } } }],
      ['aggregate', { _count: { _all: true, rating: true }, _avg: all, _sum: all, _min: extremes, _max: extremes }],
      ['aggregate', { where: { authorId: seed.users.bob }, _count: { _all: true }, _avg: { views: true } }],
      ['aggregate', { where: { authorId: -1 }, _count: { _all: true, views: true }, _avg: all, _sum: all, _min: extremes, _max: extremes }],
    ];
    for (const [method, args] of cases) {
      const direct = sql.aggregate(post, method, args);
      expect(direct, `${method} ${JSON.stringify(args)}`).toBeDefined();
      expect(await direct, `${method} ${JSON.stringify(args)}`).toEqual(await db.post[method](args));
    }
    const unsupported: ['count' | 'aggregate', Record<string, any>][] = [
      ['count', { select: { _all: true } }],
      ['count', { take: 2 }],
      ['aggregate', { _count: true }],
      ['aggregate', { _avg: { status: true } }],
      ['aggregate', { _min: { status: true } }],
      ['aggregate', { _max: { attachments: true } }],
      ['aggregate', { _sum: { views: { x: 1 } } }],
      ['aggregate', { orderBy: [{ id: 'asc' }], take: 1, _count: { _all: true } }],
      ['aggregate', { where: { attachments: null }, _count: { _all: true } }],
      ['aggregate', {}],
    ];
    for (const [method, args] of unsupported) expect(sql.aggregate(post, method, args), `${method} ${JSON.stringify(args)}`).toBeUndefined();
  });

  it('reports a refused update through the API as Prisma would (CONFLICT naming the field)', async () => {
    const response = await t.gql(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { slug: "prisma-tips" }) { id } }`, { id: seed.posts['graphql-basics'] });
    const error = failed(response, 'CONFLICT');
    expect(error.extensions.fields).toEqual(['slug']);
  });

  it('runs an update of a captured model as one UPDATE that returns its before-image too', async () => {
    t.resetQueries();
    const id = seed.posts['prisma-tips'];
    const data = ok(await t.gql(`mutation($id: Int!) { updatePost(where: { id: $id }, data: { body: "edited" }) { id body } }`, { id }));
    expect(data.updatePost).toEqual({ id, body: 'edited' });
    expect(t.queries).toEqual([expect.stringMatching(/^UPDATE "[^"]+"\."Post" AS t0 SET .* FROM \(SELECT .* FOR UPDATE\) AS t2 WHERE /)]);
  });
});

describe.runIf(postgresUrl)('direct SQL on PostgreSQL (catalog: composite ids, BigInt, self-relations)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('catalog', 'postgresql');
    const db = t.app.db as any;
    await db.warehouse.create({ data: { code: 'BER', city: 'Berlin', capacity: 2n ** 40n } });
    await db.warehouse.create({ data: { code: 'OSL', city: 'Oslo' } });
    await db.product.create({ data: { sku: 'A', name: 'Anvil', price: '9.5', kind: 'PHYSICAL' } });
    await db.product.create({ data: { sku: 'A2', name: 'Anvil mini', price: '3', parentSku: 'A', kind: 'DIGITAL', releasedAt: new Date('2024-02-29T12:34:56.789Z') } });
    await db.stockLevel.create({ data: { warehouseCode: 'BER', productSku: 'A', quantity: 3 } });
    const root = await db.category.create({ data: { name: 'Tools' } });
    await db.category.create({ data: { name: 'Hammers', parentId: root.id } });
  });
  afterAll(() => t?.close());

  it('answers each find exactly as Prisma does', async () => {
    const cases: Find[] = [
      ['Warehouse', 'findMany', { orderBy: [{ code: 'asc' }] }],
      ['Warehouse', 'findMany', { where: { capacity: { gt: 2n ** 39n } } }],
      ['Warehouse', 'findMany', { where: { stock: { some: { quantity: { gte: 1 } } } } }],
      ['StockLevel', 'findUnique', { where: { warehouseCode_productSku: { warehouseCode: 'BER', productSku: 'A' } } }],
      ['Product', 'findMany', { where: { parent: { is: { name: 'Anvil' } } }, select: { sku: true, kind: true, releasedAt: true, weight: true, active: true } }],
      ['Product', 'findMany', { where: { variants: { some: {} } }, select: { sku: true } }],
      ['Category', 'findMany', { where: { parent: null }, select: { id: true, name: true } }],
      ['Category', 'findMany', { where: { children: { some: { name: 'Hammers' } } }, select: { name: true } }],
    ];
    for (const find of cases) await expectSameAsPrisma(t, find);
  });

  it('leaves Decimal columns to Prisma', () => {
    const product = findModel(t, 'Product');
    expect(directSqlOf(t.app.db)!.find(product, 'findMany', { select: { sku: true, price: true } })).toBeUndefined();
  });
});
