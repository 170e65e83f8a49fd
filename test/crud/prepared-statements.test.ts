import { afterEach, describe, expect, it } from 'vitest';
import { statementNames } from '../../src/db/statement-names.ts';
import { createCrudApp, ok, seedBlog } from '../support/blog-seed.ts';
import { dataStatements, postgresUrl, type TestApp } from '../support/test-app.ts';

describe('statementNames', () => {
  it('names each distinct text once, in order, and none past the limit', () => {
    const name = statementNames(2);
    expect([name({ sql: 'A' }), name({ sql: 'B' }), name({ sql: 'A' }), name({ sql: 'C' }), name({ sql: 'B' })]).toEqual([
      'cairn_0',
      'cairn_1',
      'cairn_0',
      undefined,
      'cairn_1',
    ]);
  });
});

// One pooled connection, so the statements the API sent are the ones this connection prepared.
describe.runIf(postgresUrl)('prepared statements on PostgreSQL', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  const prepared = async (app: TestApp) =>
    (await app.app.db.$queryRawUnsafe<{ name: string; statement: string }[]>(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'cairn\\_%'`)).map(
      (row) => row.statement,
    );
  const readPosts = async (app: TestApp, slugs: string[]) => {
    for (const slug of slugs) expect(ok(await app.gql('query($slug: String!) { post(where: { slug: $slug }) { slug } }', { slug })).post).toEqual({ slug });
  };

  it('prepares the statements the API sends, once per text, on each connection', async () => {
    t = await createCrudApp('postgresql', { CAIRN_DB_POOL_SIZE: '1' });
    await seedBlog(t);
    t.resetQueries();
    await readPosts(t, ['graphql-basics', 'prisma-tips']);
    const sent = dataStatements(t.queries);
    expect(new Set(sent).size).toBe(1);
    expect(await prepared(t)).toContain(sent[0]);

    // Page sizes and offsets are parameters: every page of a list is one prepared text.
    t.resetQueries();
    for (const [take, skip] of [[1, 1], [2, 3], [3, 2]]) ok(await t.gql('query($take: Int, $skip: Int) { posts(take: $take, skip: $skip) { slug } }', { take, skip }));
    expect(new Set(dataStatements(t.queries)).size).toBe(1);
  });

  it('runs texts past CAIRN_DB_PREPARED_STATEMENTS unnamed, with the same answers', async () => {
    t = await createCrudApp('postgresql', { CAIRN_DB_POOL_SIZE: '1', CAIRN_DB_PREPARED_STATEMENTS: '3' });
    await seedBlog(t);
    const texts = ['{ posts(orderBy: [{ id: asc }]) { slug } }', '{ users(orderBy: [{ id: asc }]) { email } }', '{ tags(orderBy: [{ id: asc }]) { name } }'];
    for (const query of texts) expect(ok(await t.gql(query))).toBeTruthy();
    await readPosts(t, ['graphql-basics', 'hello-world']);
    expect((await prepared(t)).length).toBe(3);
    expect(ok(await t.gql('{ posts(where: { slug: { equals: "hello-world" } }) { slug } }')).posts).toEqual([{ slug: 'hello-world' }]);
  });

  it('prepares nothing with CAIRN_DB_PREPARED_STATEMENTS=0', async () => {
    t = await createCrudApp('postgresql', { CAIRN_DB_POOL_SIZE: '1', CAIRN_DB_PREPARED_STATEMENTS: '0' });
    await seedBlog(t);
    await readPosts(t, ['graphql-basics']);
    expect(await prepared(t)).toEqual([]);
  });
});
