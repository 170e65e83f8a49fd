import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedBlog } from '../support/blog-seed.ts';
import { createTestApp, dataStatements, describeEachProvider, type GraphQLResponse, type TestApp } from '../support/test-app.ts';

/** `users { posts { author { posts { … { id } } } } }`, `levels` fields deep. */
const nested = (levels: number) => {
  let inner = 'id';
  for (let level = levels - 1; level >= 1; level--) inner = `${level % 2 ? 'posts' : 'author'} { ${inner} }`;
  return `{ users { ${inner} } }`;
};

/** Asserts the refusal names the limit and the value, and that no SQL statement ran. */
function expectRefused(t: TestApp, response: GraphQLResponse, limit: string, value?: unknown) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit });
  if (value !== undefined) expect(error!.extensions.value).toEqual(value);
  expect(error!.message).toMatch(/over the limit/);
  expect(dataStatements(t.queries)).toEqual([]);
}

describeEachProvider('operation limits (production defaults)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    // CAIRN_MAX_COST '' keeps the default (test-app raises it for the other suites).
    t = await createTestApp('blog', provider, { NODE_ENV: 'production', CAIRN_MAX_COST: '' });
    await seedBlog(t);
  });
  afterAll(() => t?.close());
  const gql = async (query: string, variables?: Record<string, unknown>) => {
    t.resetQueries();
    return t.gql(query, variables);
  };

  it('refuses the 25-level nested query before running anything', async () => {
    const query = nested(24);
    expect(query.match(/\{/g)).toHaveLength(25);
    expectRefused(t, await gql(query), 'maxDepth', 25);
  });

  it('refuses the 1000-alias query of the issue while parsing (token limit), and 31 small aliases by the alias limit', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: posts(take: 100) { author { posts(take: 100) { id } } }`).join(' ');
    expectRefused(t, await gql(`{ ${aliases} }`), 'maxTokens');
    const small = Array.from({ length: 31 }, (_, i) => `a${i}: postsCount`).join(' ');
    expectRefused(t, await gql(`{ ${small} }`), 'maxAliases', 31);
  });

  it('answers a repeated document from the validation cache with the same refusal (limits, @defer/@stream rules, unknown fields)', async () => {
    const deep = nested(24);
    const streamOnScalar = '{ postsCount @stream(initialCount: 1) }';
    const unknownField = '{ posts(take: 1) { nope } }';
    for (let round = 0; round < 2; round++) {
      expectRefused(t, await gql(deep), 'maxDepth', 25);
      const deferred = await gql(streamOnScalar);
      expect(deferred.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['BAD_USER_INPUT', expect.stringMatching(/Stream directive cannot be used on non-list field/)]]);
      const unknown = await gql(unknownField);
      expect(unknown.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['BAD_USER_INPUT', expect.stringMatching(/Cannot query field "nope"/)]]);
      expect(dataStatements(t.queries)).toEqual([]);
      expect((await gql('{ postsCount }')).data).toEqual({ postsCount: expect.any(Number) });
    }
  });

  it('refuses more than 50 directives', async () => {
    const fields = Array.from({ length: 51 }, () => 'postsCount @include(if: true)').join(' ');
    expectRefused(t, await gql(`{ ${fields} }`), 'maxDirectives', 51);
  });

  it('multiplies list sizes down the tree: take, the page cap when absent, to-one fields count 1', async () => {
    const shape = 'posts(take: 100) { author { posts(take: 100) { id } } }';
    // 10 × (100 posts + 100 authors + 100 × 100 posts) = 102,000 > 100,000.
    const ten = Array.from({ length: 10 }, (_, i) => `a${i}: ${shape}`).join(' ');
    expectRefused(t, await gql(`{ ${ten} }`), 'maxCost', 102_000);
    const nine = await gql(`{ ${ten.slice(0, ten.indexOf(' a9:'))} }`);
    expect(nine.errors).toBeUndefined();
    // Without take, each list counts as CAIRN_MAX_PAGE_SIZE (100): 100 + 100 × 100 + 100 × 100 × 100.
    expectRefused(t, await gql('{ users { posts { comments { id } } } }'), 'maxCost', 1_010_100);
    // Connections: first/last, and edges inside a page are that page, not another list.
    expectRefused(t, await gql('{ usersConnection(last: 60) { edges { node { posts { comments(take: 17) { id } } } } } }'), 'maxCost', 60 * 3 + 6000 + 102_000);
  });

  it('reads take and first from variables, so a small page passes', async () => {
    const query = `query($n: Int) { ${Array.from({ length: 10 }, (_, i) => `a${i}: posts(take: $n) { author { posts(take: $n) { id } } }`).join(' ')} }`;
    // take: 1000 counts as the page cap (100): 10 × (100 + 100 + 100 × 100).
    expectRefused(t, await gql(query, { n: 1000 }), 'maxCost', 102_000);
    const small = await gql(query, { n: 2 });
    expect(small.errors).toBeUndefined();
    expect(small.data.a0).toHaveLength(2);
    expect(dataStatements(t.queries).length).toBeGreaterThan(0);
  });

  it('answers a 200k-id `in`, NOT nested 500 deep, AND nested 2000 deep and a 20 MB contains with BAD_USER_INPUT, running nothing', async () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => i);
    expectRefused(t, await gql('query($ids: [Int!]) { posts(where: { id: { in: $ids } }) { id } }', { ids }), 'maxInputList', 200_000);
    let not: any = { id: { equals: 1 } };
    for (let i = 0; i < 500; i++) not = { NOT: not };
    expectRefused(t, await gql('query($w: PostWhereInput) { posts(where: $w) { id } }', { w: not }), 'maxInputDepth');
    let and: any = { id: { equals: 1 } };
    for (let i = 0; i < 2000; i++) and = { AND: [and] };
    expectRefused(t, await gql('query($w: PostWhereInput) { posts(where: $w) { id } }', { w: and }), 'maxInputDepth');
    const s = 'x'.repeat(20_000_000);
    expectRefused(t, await gql('query($s: String) { posts(where: { title: { contains: $s } }) { id } }', { s }), 'maxStringLength', 20_000_000);
  });

  it('applies the same input bounds to values written in the document', async () => {
    let not = '{ id: { equals: 1 } }';
    for (let i = 0; i < 500; i++) not = `{ NOT: ${not} }`;
    expectRefused(t, await gql(`{ posts(where: ${not}) { id } }`), 'maxInputDepth');
    expectRefused(t, await gql(`{ posts(where: { title: { contains: "${'x'.repeat(1_000_001)}" } }) { id } }`), 'maxStringLength', 1_000_001);
  });

  it('turns introspection and "Did you mean" suggestions off in production', async () => {
    const introspection = await gql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    const typo = await gql('{ postz { id } }');
    expect(typo.errors?.[0]?.message).toBe('Cannot query field "postz" on type "Query".');
    const enumTypo = await gql('query($s: PostStatus) { posts(where: { status: { equals: $s } }) { id } }', { s: 'DRAFTX' });
    expect(enumTypo.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(enumTypo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('shows no Prisma text for forged cursors or database limits', async () => {
    const cursor = (raw: string) => Buffer.from(raw).toString('base64');
    for (const forged of ['GPC:N:99999999999999999999', 'GPC:S:abc', 'GPC:J:{"id":{"x":1}}', 'garbage']) {
      const response = await gql(`{ postsConnection(first: 2, after: "${cursor(forged)}") { edges { node { id } } } }`);
      expect(response.errors?.[0]?.extensions.code, forged).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message, forged).not.toMatch(/prisma|invocation/i);
    }
    // Under the input list limit but over what the database accepts in one statement (SQLite: 999 parameters).
    const ids = Array.from({ length: 2000 }, (_, i) => i);
    const many = await gql('query($ids: [Int!]) { posts(where: { id: { in: $ids } }) { id } }', { ids });
    if (provider === 'postgresql') expect(many.errors).toBeUndefined();
    else {
      expect(many.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(many.errors?.[0]?.message).toMatch(/query parameters/);
      const long = await gql('query($s: String) { posts(where: { title: { contains: $s } }) { id } }', { s: 'x'.repeat(60_000) });
      expect(long.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(long.errors?.[0]?.message).toMatch(/too long for the database/);
    }
  });
});

describeEachProvider('operation limits (configured)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('blog', provider, { NODE_ENV: 'production', CAIRN_INTROSPECTION: 'true', CAIRN_MAX_DEPTH: '3', CAIRN_MAX_COST: '10' });
  });
  afterAll(() => t?.close());

  it('reads every limit from the environment', async () => {
    t.resetQueries();
    expectRefused(t, await t.gql('{ posts { author { posts { id } } } }'), 'maxDepth', 4);
    expectRefused(t, await t.gql('{ posts(take: 11) { id } }'), 'maxCost', 11);
    expect((await t.gql('{ posts(take: 10) { id } }')).errors).toBeUndefined();
    expect((await t.gql('{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
