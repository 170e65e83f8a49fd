import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogScene, type BlogScene } from '../access/blog-fixture.ts';
import { expectData, expectError } from '../generic/expect-data.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

// Prisma's atomic number updates (`views: { increment: 1 }`) on Int/Float/Decimal/BigInt fields of
// update inputs, applied by the database; a plain value still sets the field.
describeEachProvider('atomic number updates, rules enforced (blog)', (provider) => {
  let t: TestApp;
  let scene: BlogScene;
  const views = async (id: number) => (await t.app.db.post.findUnique({ where: { id } })).views;
  const update = (headers: Record<string, string>, id: number, data: string) =>
    t.gql(`mutation { updatePost(where: { id: ${id} }, data: ${data}) { views rating } }`, undefined, headers);

  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    scene = await blogScene(t);
  });
  afterAll(() => t?.close());

  it('an admin increments, decrements, multiplies, divides and sets Post.views', async () => {
    const { admin } = scene.users;
    const id = scene.posts.alicePub.id;
    expect(expectData(await update(admin.headers, id, '{ views: { increment: 3 } }')).updatePost.views).toBe(13);
    expect(expectData(await update(admin.headers, id, '{ views: { decrement: 1 } }')).updatePost.views).toBe(12);
    expect(expectData(await update(admin.headers, id, '{ views: { multiply: 2 } }')).updatePost.views).toBe(24);
    expect(expectData(await update(admin.headers, id, '{ views: { divide: 5 } }')).updatePost.views).toBe(4);
    expect(expectData(await update(admin.headers, id, '{ views: { set: 100 } }')).updatePost.views).toBe(100);
    expect(expectData(await update(admin.headers, id, '{ views: 10 }')).updatePost.views).toBe(10);
    const withVariables = await t.gql(`mutation($d: PostUpdateInput!) { updatePost(where: { id: ${id} }, data: $d) { views } }`, { d: { views: { increment: 5 } } }, admin.headers);
    expect(expectData(withVariables).updatePost.views).toBe(15);
    expect(await views(id)).toBe(15);
  });

  it('concurrent increments all count (the database adds, not the server)', async () => {
    const { admin } = scene.users;
    const id = scene.posts.bobPub.id;
    const before = await views(id);
    const results = await Promise.all(Array.from({ length: 8 }, () => update(admin.headers, id, '{ views: { increment: 1 } }')));
    results.forEach((r) => expectData(r));
    expect(await views(id)).toBe(before + 8);
  });

  it('the field rule still decides: the author may not increment views, and nothing is written', async () => {
    const { alice } = scene.users;
    const id = scene.posts.aliceDraft.id;
    const error = expectError(await update(alice.headers, id, '{ views: { increment: 1000 } }'), 'FORBIDDEN');
    expect(error.message).toContain('Post.views');
    expect(await views(id)).toBe(5);
    // A field without a rule of its own: the author may change it atomically.
    expectData(await update(alice.headers, id, '{ rating: 1.5 }'));
    expect(expectData(await update(alice.headers, id, '{ rating: { increment: 0.25 } }')).updatePost.rating).toBe(1.75);
  });

  it('updateMany applies the operation to every matched row; for a non-admin the field rule matches none', async () => {
    const { admin, bob } = scene.users;
    const drafts = [scene.posts.aliceDraft.id, scene.posts.bobDraft.id];
    const before = await Promise.all(drafts.map(views));
    const query = `mutation { updateManyPosts(where: { status: { equals: DRAFT } }, data: { views: { increment: 2 } }) { count } }`;
    expect(expectData(await t.gql(query, undefined, admin.headers)).updateManyPosts.count).toBe(2);
    expect(await Promise.all(drafts.map(views))).toEqual(before.map((v) => v + 2));
    const refused = await t.gql(`mutation { updateManyPosts(where: { authorId: { equals: ${bob.id} } }, data: { views: { increment: 2 } }) { count } }`, undefined, bob.headers);
    // updateMany writes the rows the viewer may write (the field rule is in its WHERE): none here.
    expect(expectData(refused).updateManyPosts.count).toBe(0);
    expect(await Promise.all(drafts.map(views))).toEqual(before.map((v) => v + 2));
  });

  it('refuses malformed operations with BAD_USER_INPUT naming what is wrong', async () => {
    const { admin } = scene.users;
    const id = scene.posts.alicePub.id;
    const cases: [string, RegExp][] = [
      ['{ views: { increment: 1, set: 2 } }', /exactly one of set, increment, decrement, multiply, divide/],
      ['{ views: { add: 1 } }', /exactly one of/],
      ['{ views: {} }', /exactly one of/],
      ['{ views: { divide: 0 } }', /divide by zero/],
      ['{ views: { increment: "1" } }', /Int expects a 32-bit integer, got "1"/],
      ['{ views: { increment: 1.5 } }', /32-bit integer/],
      ['{ views: { increment: 2147483648 } }', /32-bit integer/],
      ['{ views: { increment: null } }', /increment needs a Int, got null/],
      ['{ views: [1] }', /32-bit integer/],
    ];
    for (const [data, message] of cases) {
      const error = expectError(await update(admin.headers, id, data), 'BAD_USER_INPUT');
      expect(error.message, data).toMatch(message);
    }
    const viaVariables = await t.gql(`mutation($d: PostUpdateInput!) { updatePost(where: { id: ${id} }, data: $d) { views } }`, { d: { views: { multiply: 2, divide: 2 } } }, admin.headers);
    expect(expectError(viaVariables, 'BAD_USER_INPUT').message).toMatch(/exactly one of/);
  });

  it('keeps keys and foreign keys plain values, and create inputs plain', async () => {
    const { admin } = scene.users;
    const error = expectError(await t.gql(`mutation { updateComment(where: { id: 1 }, data: { postId: { increment: 1 } }) { id } }`, undefined, admin.headers), 'BAD_USER_INPUT');
    expect(error.message).toMatch(/Int cannot represent non-integer value/);
    const create = await t.gql(`mutation { createPost(data: { title: "x", slug: "x", authorId: ${admin.id}, views: { increment: 1 } }) { id } }`, undefined, admin.headers);
    expect(expectError(create, 'BAD_USER_INPUT').message).toMatch(/Int cannot represent non-integer value/);
  });
});

describeEachProvider('atomic number updates on Decimal, BigInt and nested writes (catalog)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    expectData(await t.gql(`mutation {
      createWarehouse(data: { code: "W", city: "Oslo", capacity: "9007199254740993" }) { code }
      createProduct(data: { sku: "P", name: "p", price: "10.10", weight: 1.5, stock: { create: [{ warehouse: { connect: { code: "W" } }, quantity: 4 }] } }) { sku }
    }`));
  });
  afterAll(() => t?.close());

  it('keeps Decimal and BigInt exact', async () => {
    const data = expectData(await t.gql(`mutation {
      updateProduct(where: { sku: "P" }, data: { price: { increment: "0.01" }, weight: { multiply: 3 } }) { price weight }
      updateWarehouse(where: { code: "W" }, data: { capacity: { increment: "9007199254740993" } }) { capacity }
    }`));
    expect(Number(data.updateProduct.price)).toBe(10.11);
    expect(data.updateProduct.weight).toBe(4.5);
    expect(data.updateWarehouse.capacity).toBe('18014398509481986');
    const decimalError = expectError(await t.gql(`mutation { updateProduct(where: { sku: "P" }, data: { price: { increment: "ten" } }) { sku } }`), 'BAD_USER_INPUT');
    expect(decimalError.message).toMatch(/Decimal expects a number as a string/);
  });

  it('works inside a nested update of a composite-key row', async () => {
    const data = expectData(await t.gql(`mutation {
      updateProduct(where: { sku: "P" }, data: { stock: { update: [{ where: { warehouseCode_productSku: { warehouseCode: "W", productSku: "P" } }, data: { quantity: { decrement: 3 } } }] } }) {
        stock { quantity }
      }
    }`));
    expect(data.updateProduct.stock).toEqual([{ quantity: 1 }]);
  });
});
