import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudApp, failed, ok, rowCounts, seedBlog, type BlogSeed } from '../support/blog-seed.ts';
import { describeEachProvider, type GraphQLResponse, type TestApp } from '../support/test-app.ts';

/**
 * Every kind of bad input gets one coded error (design.md "Errors") that names what was wrong,
 * and a failed write leaves every table exactly as it was, nested writes included.
 */
describeEachProvider('bad input', (provider) => {
  let t: TestApp;
  let seed: BlogSeed;
  beforeAll(async () => {
    t = await createCrudApp(provider);
    seed = await seedBlog(t);
  });
  afterAll(() => t?.close());

  /** Runs a write that must fail with `code`, and checks no table changed. */
  const rejected = async (code: string, query: string, variables?: Record<string, unknown>) => {
    const before = await rowCounts(t);
    const response = await t.gql(query, variables);
    const error = failed(response, code);
    expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
    expect(await rowCounts(t)).toEqual(before);
    return error;
  };

  describe('invalid operations (validation)', () => {
    it('unknown fields in the selection, arguments and input objects', async () => {
      expect(failed(await t.gql('{ posts { slug nope } }'), 'BAD_USER_INPUT').message).toMatch(/nope/);
      expect(failed(await t.gql('{ posts(nope: 1) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/nope/);
      expect(failed(await t.gql('{ posts(where: { nope: { equals: 1 } }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/nope/);
      expect(failed(await t.gql('{ posts(where: { title: { like: "x" } }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/like/);
      const error = await rejected('BAD_USER_INPUT', `mutation { createPost(data: { title: "t", slug: "unknown-field", authorId: ${seed.users.alice}, nope: 1 }) { id } }`);
      expect(error.message).toMatch(/nope/);
      // Relation fields cannot be written as scalars, nor nested writes given unknown operations.
      expect((await rejected('BAD_USER_INPUT', `mutation { createPost(data: { title: "t", slug: "x", author: ${seed.users.alice} }) { id } }`)).message).toMatch(
        /UserCreateNestedOneWithoutPostsInput/,
      );
      expect((await rejected('BAD_USER_INPUT', `mutation { createPost(data: { title: "t", slug: "x", author: { link: { id: 1 } } }) { id } }`)).message).toMatch(/link/);
    });

    it('unknown fields in variables', async () => {
      const error = await rejected('BAD_USER_INPUT', 'mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', {
        data: { title: 't', slug: 'unknown-var-field', authorId: seed.users.alice, colour: 'red' },
      });
      expect(error.message).toMatch(/colour/);
    });

    it('wrong types, as literals and as variables', async () => {
      expect(failed(await t.gql('{ posts(where: { views: { gt: "ten" } }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/Int/);
      expect(failed(await t.gql('{ posts(take: 1.5) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/Int/);
      expect(failed(await t.gql('{ post(where: { id: "1" }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/Int/);
      await rejected('BAD_USER_INPUT', `mutation { createPost(data: { title: 5, slug: "wrong-type", authorId: ${seed.users.alice} }) { id } }`);
      const viaVariable = await rejected('BAD_USER_INPUT', 'mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', {
        data: { title: 't', slug: 'wrong-type-var', authorId: seed.users.alice, views: 'many' },
      });
      expect(viaVariable.message).toMatch(/views/);
      expect(failed(await t.gql('query($n: Int) { posts(take: $n) { slug } }', { n: 'ten' }), 'BAD_USER_INPUT').message).toMatch(/\$n/);
      expect(failed(await t.gql('query($n: Int) { posts(take: $n) { slug } }', { n: 2 ** 40 }), 'BAD_USER_INPUT').message).toMatch(/\$n/);
    });

    it('invalid DateTime values name the expectation and what arrived', async () => {
      const literal = failed(await t.gql('{ posts(where: { publishedAt: { gt: "yesterday" } }) { slug } }'), 'BAD_USER_INPUT');
      expect(literal.message).toMatch(/DateTime/);
      expect(literal.message).toMatch(/yesterday/);
      const variable = await rejected('BAD_USER_INPUT', 'mutation($at: DateTime) { createPost(data: { title: "t", slug: "bad-date", authorId: ' + seed.users.alice + ', publishedAt: $at }) { id } }', {
        at: 'not a date',
      });
      expect(variable.message).toMatch(/not a date/);
    });

    it('missing required arguments and input fields', async () => {
      expect(failed(await t.gql('{ post { slug } }'), 'BAD_USER_INPUT').message).toMatch(/where/);
      const error = await rejected('BAD_USER_INPUT', `mutation { createPost(data: { title: "no slug", authorId: ${seed.users.alice} }) { id } }`);
      expect(error.message).toMatch(/slug/);
      const viaVariable = await rejected('BAD_USER_INPUT', 'mutation($data: PostCreateInput!) { createPost(data: $data) { id } }', {
        data: { slug: 'no-title', authorId: seed.users.alice },
      });
      expect(viaVariable.message).toMatch(/title/);
    });

    it('a required relation given neither as foreign key nor as nested write', async () => {
      const error = await rejected('BAD_USER_INPUT', 'mutation { createPost(data: { title: "orphan", slug: "orphan" }) { id } }');
      expect(error.message).toMatch(/author/);
    });

    it('null for a required field', async () => {
      const id = seed.posts['hello-world'];
      const error = await rejected('BAD_USER_INPUT', `mutation { updatePost(where: { id: ${id} }, data: { title: null }) { id } }`);
      expect(error.message).toMatch(/title/);
      expect(await t.app.db.post.findUnique({ where: { id } })).toMatchObject({ title: 'Hello World' });
    });

    it('invalid enum values, as literals and as variables', async () => {
      expect(failed(await t.gql('{ posts(where: { status: { equals: LIVE } }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/LIVE/);
      expect(failed(await t.gql('{ posts(where: { status: { equals: "DRAFT" } }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/PostStatus/);
      expect(failed(await t.gql('{ posts(orderBy: [{ views: sideways }]) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/sideways/);
      // Only nullable fields take the _nulls_ forms.
      expect(failed(await t.gql('{ posts(orderBy: [{ views: asc_nulls_first }]) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/SortOrder/);
      expect(failed(await t.gql('{ posts(distinct: [author]) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/author/);
      const error = await rejected('BAD_USER_INPUT', `mutation($status: PostStatus!) { createPost(data: { title: "t", slug: "bad-enum", authorId: ${seed.users.alice}, status: $status }) { id } }`, {
        status: 'LIVE',
      });
      expect(error.message).toMatch(/LIVE/);
    });

    it('syntax errors', async () => {
      expect(failed(await t.gql('{ posts { slug }'), 'BAD_USER_INPUT').message).toMatch(/Syntax Error/);
      expect(failed(await t.gql('mutation { createTag(data: { name: "x" }) { id }'), 'BAD_USER_INPUT').message).toMatch(/Syntax Error/);
    });

    it('travels over HTTP with the status of its code', async () => {
      const post = async (query: string, accept = 'application/graphql-response+json') => {
        const response = await t.app.yoga.fetch('http://cairn.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as GraphQLResponse;
        return { status: response.status, code: body.errors![0]!.extensions.code, extensions: body.errors![0]!.extensions };
      };
      expect(await post('{ posts { nope } }')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(await post('{ posts(take: -1000) { slug } }')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(await post('mutation { createTag(data: { name: "graphql" }) { id } }', 'application/json')).toMatchObject({ status: 409, code: 'CONFLICT' });
      const missing = await post('mutation { deleteTag(where: { name: "no-such-tag" }) { id } }', 'application/json');
      expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      // The status is for the transport only; it is not repeated in the error's extensions.
      expect(missing.extensions).not.toHaveProperty('http');
    });
  });

  describe('unique selectors and cursors', () => {
    it('an empty where-unique is rejected', async () => {
      expect(failed(await t.gql('{ post(where: {}) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/id|slug/);
      await rejected('BAD_USER_INPUT', 'mutation { updatePost(where: {}, data: { title: "x" }) { id } }');
      await rejected('BAD_USER_INPUT', 'mutation { deletePost(where: {}) { id } }');
    });

    it('malformed connection cursors', async () => {
      const query = 'query($after: String, $before: String) { postsConnection(first: 2, after: $after, before: $before) { edges { node { slug } } } }';
      expect(failed(await t.gql(query, { after: 'garbage' }), 'BAD_USER_INPUT').message).toMatch(/cursor/i);
      expect(failed(await t.gql(query, { after: Buffer.from('GPC:J:{"nope":1}').toString('base64') }), 'BAD_USER_INPUT').message).toMatch(/cursor|id/i);
      expect(failed(await t.gql(query, { after: Buffer.from('GPC:N:abc').toString('base64') }), 'BAD_USER_INPUT').message).toMatch(/cursor|id/i);
      expect(failed(await t.gql(query, { after: '' }), 'BAD_USER_INPUT').message).toMatch(/cursor/i);
      const valid = ok(await t.gql('{ postsConnection(first: 1) { pageInfo { endCursor } } }')).postsConnection.pageInfo.endCursor;
      expect(failed(await t.gql(query, { after: valid, before: valid }), 'BAD_USER_INPUT').message).toMatch(/before/);
    });

    it('a list cursor must identify a row by a unique field', async () => {
      expect(failed(await t.gql('{ posts(cursor: {}) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/id|slug/);
      expect(failed(await t.gql('{ posts(cursor: { title: "x" }) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/title/);
    });
  });

  describe('page sizes', () => {
    it('take and skip out of range name the argument', async () => {
      const tooMany = failed(await t.gql('{ posts(take: 101) { slug } }'), 'BAD_USER_INPUT');
      expect(tooMany.message).toMatch(/take/);
      expect(tooMany.extensions.argument).toBe('take');
      expect(failed(await t.gql('{ posts(take: -101) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/take/);
      const skip = failed(await t.gql('{ posts(skip: -1) { slug } }'), 'BAD_USER_INPUT');
      expect(skip.message).toMatch(/skip/);
      expect(skip.extensions.argument).toBe('skip');
      expect(ok(await t.gql('{ posts(take: 100) { slug } }')).posts).toHaveLength(6);
    });

    it('the same limits apply to relation lists and groupBy', async () => {
      expect(failed(await t.gql('{ users { posts(take: 1000) { slug } } }'), 'BAD_USER_INPUT').message).toMatch(/take/);
      expect(failed(await t.gql('{ users { posts(skip: -5) { slug } } }'), 'BAD_USER_INPUT').message).toMatch(/skip/);
      expect(failed(await t.gql('{ postsGroupBy(by: [authorId], take: 1000) { authorId } }'), 'BAD_USER_INPUT').message).toMatch(/take/);
    });

    it('connections reject negative sizes and cap large ones', async () => {
      expect(failed(await t.gql('{ postsConnection(first: -1) { totalCount } }'), 'BAD_USER_INPUT').message).toMatch(/first/);
      expect(failed(await t.gql('{ postsConnection(last: -1) { totalCount } }'), 'BAD_USER_INPUT').message).toMatch(/last/);
    });
  });

  describe('unique violations (CONFLICT naming the fields)', () => {
    it('create with a taken unique value', async () => {
      const error = await rejected('CONFLICT', 'mutation { createTag(data: { name: "graphql" }) { id } }');
      expect(error.extensions.fields).toEqual(['name']);
      expect(error.extensions.model).toBe('Tag');
      expect(error.message).toMatch(/name/);
    });

    it('update to a taken unique value', async () => {
      const error = await rejected('CONFLICT', `mutation { updatePost(where: { slug: "hello-world" }, data: { slug: "prisma-tips" }) { id } }`);
      expect(error.extensions.fields).toEqual(['slug']);
      expect(await t.app.db.post.findUnique({ where: { id: seed.posts['hello-world'] } })).toMatchObject({ slug: 'hello-world' });
    });

    it('a composite id already taken names all its fields', async () => {
      const error = await rejected('CONFLICT', 'mutation($a: Int!, $b: Int!) { createFollow(data: { followerId: $a, followingId: $b }) { createdAt } }', {
        a: seed.users.alice,
        b: seed.users.bob,
      });
      expect(error.extensions.fields).toEqual(['followerId', 'followingId']);
      expect(error.message).toMatch(/followerId, followingId/);
    });

    it('a nested create that conflicts rolls back the parent and its earlier siblings', async () => {
      const error = await rejected(
        'CONFLICT',
        `mutation($a: Int!) { createTag(data: { name: "rollback-tag",
          posts: { create: [{ title: "ok", slug: "rollback-ok", authorId: $a }, { title: "dup", slug: "graphql-basics", authorId: $a }] } }) { id } }`,
        { a: seed.users.alice },
      );
      expect(error.extensions.fields).toEqual(['slug']);
      expect(await t.app.db.tag.findUnique({ where: { name: 'rollback-tag' } })).toBeNull();
      expect(await t.app.db.post.findUnique({ where: { slug: 'rollback-ok' } })).toBeNull();
    });

    it('an update whose nested tag create conflicts leaves the post untouched', async () => {
      const id = seed.posts['prisma-tips'];
      await rejected('CONFLICT', `mutation { updatePost(where: { id: ${id} }, data: { title: "changed", tags: { create: [{ name: "graphql" }] } }) { id } }`);
      expect(await t.app.db.post.findUnique({ where: { id } })).toMatchObject({ title: 'Prisma Tips' });
    });

    it('upsert that would create a duplicate', async () => {
      await rejected('CONFLICT', 'mutation { upsertTag(where: { name: "new-tag" }, create: { name: "graphql" }, update: {}) { id } }');
    });
  });

  describe('missing records (NOT_FOUND)', () => {
    it('update and delete of a row that does not exist', async () => {
      const update = await rejected('NOT_FOUND', 'mutation { updatePost(where: { id: 987654 }, data: { title: "x" }) { id } }');
      expect(update.extensions.model).toBe('Post');
      await rejected('NOT_FOUND', 'mutation { updateUser(where: { email: "nobody@test.dev" }, data: { name: "x" }) { id } }');
      const del = await rejected('NOT_FOUND', 'mutation { deletePost(where: { slug: "no-such-post" }) { id } }');
      expect(del.extensions.model).toBe('Post');
      await rejected('NOT_FOUND', 'mutation { deleteFollow(where: { followerId_followingId: { followerId: 987654, followingId: 1 } }) { createdAt } }');
    });

    it('a nested connect to a missing row rolls back the whole write', async () => {
      await rejected('NOT_FOUND', 'mutation { createPost(data: { title: "t", slug: "connect-missing", author: { connect: { email: "nobody@test.dev" } } }) { id } }');
      await rejected(
        'NOT_FOUND',
        'mutation { createTag(data: { name: "connects", posts: { connect: [{ id: 987654 }] } }) { id } }',
      );
      expect(await t.app.db.tag.findUnique({ where: { name: 'connects' } })).toBeNull();
      const id = seed.posts['hello-world'];
      await rejected('NOT_FOUND', `mutation { updatePost(where: { id: ${id} }, data: { title: "changed", tags: { connect: [{ name: "no-such-tag" }] } }) { id } }`);
      expect(await t.app.db.post.findUnique({ where: { id } })).toMatchObject({ title: 'Hello World' });
    });

    it('nested update, delete and disconnect of a row that is not related', async () => {
      const id = seed.posts['hello-world'];
      const foreign = seed.comments.deepDive; // belongs to another post
      await rejected('NOT_FOUND', `mutation { updatePost(where: { id: ${id} }, data: { views: 999, comments: { update: [{ where: { id: ${foreign} }, data: { body: "hijack" } }] } }) { id } }`);
      await rejected('NOT_FOUND', `mutation { updatePost(where: { id: ${id} }, data: { views: 999, comments: { delete: [{ id: ${foreign} }] } }) { id } }`);
      await rejected('NOT_FOUND', `mutation { updateUser(where: { id: ${seed.users.carol} }, data: { name: "x", profile: { update: { bio: "none" } } }) { id } }`);
      expect(await t.app.db.post.findUnique({ where: { id } })).toMatchObject({ views: 5 });
      expect(await t.app.db.comment.findUnique({ where: { id: foreign } })).toMatchObject({ body: 'Deep dive' });
      expect(await t.app.db.user.findUnique({ where: { id: seed.users.carol } })).toMatchObject({ name: null });
    });
  });

  describe('foreign-key violations', () => {
    it('a foreign key that points nowhere, on create, update and createMany', async () => {
      const create = await rejected('BAD_USER_INPUT', 'mutation { createPost(data: { title: "t", slug: "fk-missing", authorId: 987654 }) { id } }');
      expect(create.message).toMatch(/[Ff]oreign key/);
      expect(create.message).toMatch(/authorId/);
      expect(create.extensions).toMatchObject({ model: 'Post', fields: ['authorId'] });
      await rejected('BAD_USER_INPUT', `mutation { updatePost(where: { id: ${seed.posts['hello-world']} }, data: { authorId: 987654 }) { id } }`);
      await rejected(
        'BAD_USER_INPUT',
        `mutation { createManyComments(data: [{ body: "ok", postId: ${seed.posts['hello-world']}, authorId: ${seed.users.bob} }, { body: "bad", postId: 987654, authorId: ${seed.users.bob} }]) { count } }`,
      );
      await rejected('BAD_USER_INPUT', `mutation { updateManyComments(where: {}, data: { parentId: 987654 }) { count } }`);
    });

    it('leaving a required relation empty (P2014) is rejected and nothing changes', async () => {
      const error = await rejected('BAD_USER_INPUT', `mutation { updateUser(where: { id: ${seed.users.alice} }, data: { name: "changed", profile: { disconnect: true } }) { id } }`);
      expect(error.message).toMatch(/required relation ProfileToUser/);
      expect(await t.app.db.user.findUnique({ where: { id: seed.users.alice } })).toMatchObject({ name: 'Alice' });
      const set = await rejected('BAD_USER_INPUT', `mutation { updatePost(where: { id: ${seed.posts['graphql-basics']} }, data: { comments: { set: [] } }) { id } }`);
      expect(set.message).toMatch(/required relation CommentToPost/);
    });
  });

  describe('the page-size cap is configurable (CAIRN_MAX_PAGE_SIZE)', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await createCrudApp(provider, { CAIRN_MAX_PAGE_SIZE: '3' });
      await seedBlog(small);
    });
    afterAll(() => small?.close());

    it('lists return at most the cap by default and reject a larger take', async () => {
      expect(ok(await small.gql('{ posts { slug } }')).posts).toHaveLength(3);
      expect(ok(await small.gql('{ posts(take: -3) { slug } }')).posts).toHaveLength(3);
      const error = failed(await small.gql('{ posts(take: 4) { slug } }'), 'BAD_USER_INPUT');
      expect(error.message).toMatch(/3/);
      expect(failed(await small.gql('{ posts(take: -4) { slug } }'), 'BAD_USER_INPUT').message).toMatch(/take/);
    });

    it('relation lists are capped too', async () => {
      const alice = ok(await small.gql('{ user(where: { email: "alice@example.com" }) { posts { slug } postsCount } }')).user;
      expect(alice.posts).toHaveLength(3);
      expect(alice.postsCount).toBe(3);
      const tag = ok(await small.gql('{ tag(where: { name: "databases" }) { posts { slug } } }')).tag;
      expect(tag.posts).toHaveLength(3);
      expect(failed(await small.gql('{ users { posts(take: 4) { slug } } }'), 'BAD_USER_INPUT').message).toMatch(/take/);
    });

    it('connections page at most the cap by default and reject a larger first/last', async () => {
      const page = (args: string) => small.gql(`{ postsConnection${args} { totalCount pageInfo { hasNextPage } edges { node { slug } } } }`);
      const data = ok(await page('')).postsConnection;
      expect(data.edges).toHaveLength(3);
      expect(data.totalCount).toBe(6);
      expect(data.pageInfo.hasNextPage).toBe(true);
      expect(ok(await page('(first: 3)')).postsConnection.edges).toHaveLength(3);
      for (const args of ['(first: 50)', '(last: 50)', '(first: -1)']) {
        expect(failed(await page(args), 'BAD_USER_INPUT').message).toMatch(/first|last/);
      }
      expect(failed(await small.gql('{ postsConnection(first: 4) { totalCount } }'), 'BAD_USER_INPUT').message).toMatch(/first/);
    });

    it('the cap appears in the schema descriptions', async () => {
      const data = ok(await small.gql('{ __type(name: "Query") { fields { name args { name description } } } }'));
      const posts = data.__type.fields.find((f: any) => f.name === 'posts');
      expect(posts.args.find((a: any) => a.name === 'take').description).toMatch(/at most 3/);
    });
  });
});
