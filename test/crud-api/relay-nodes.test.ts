import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogScene, type BlogScene } from '../access/blog-fixture.ts';
import { expectData, expectError } from '../generic/expect-data.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

const nodeId = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describeEachProvider('Relay Node: node(id:) and nodes(ids:) (catalog, composite keys)', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    expectData(await t.gql(`mutation {
      w1: createWarehouse(data: { code: "W1", city: "Oslo", capacity: "9007199254740993" }) { code }
      w2: createWarehouse(data: { code: "W2", city: "Bergen" }) { code }
      createProduct(data: { sku: "P1", name: "Lamp", price: "1", stock: { create: [{ warehouse: { connect: { code: "W1" } }, quantity: 3 }, { warehouse: { connect: { code: "W2" } }, quantity: 7 }] } }) { sku }
      createCategory(data: { name: "Lights" }) { id }
    }`));
  });
  afterAll(() => t?.close());

  it('round-trips every kind of key: string, int and composite', async () => {
    const listed = expectData(await t.gql(`{
      stockLevels(orderBy: [{ warehouseCode: asc }]) { nodeId warehouseCode productSku quantity }
      products { nodeId sku }
      categories { nodeId id name }
      warehouses(orderBy: [{ code: asc }]) { nodeId code }
    }`));
    const [stock] = listed.stockLevels;
    const again = expectData(await t.gql(`query($id: ID!) {
      node(id: $id) { __typename nodeId ... on StockLevel { warehouseCode productSku quantity product { name } warehouse { city } } }
    }`, { id: stock.nodeId }));
    expect(again.node).toEqual({ __typename: 'StockLevel', nodeId: stock.nodeId, warehouseCode: 'W1', productSku: 'P1', quantity: 3, product: { name: 'Lamp' }, warehouse: { city: 'Oslo' } });
    const all = [...listed.stockLevels, ...listed.products, ...listed.categories, ...listed.warehouses].map((r) => r.nodeId);
    expect(new Set(all).size).toBe(all.length);
    const fetched = expectData(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename nodeId } }`, { ids: all }));
    expect(fetched.nodes.map((n: any) => n.nodeId)).toEqual(all);
    expect(fetched.nodes.map((n: any) => n.__typename)).toEqual(['StockLevel', 'StockLevel', 'Product', 'Category', 'Warehouse', 'Warehouse']);
    // The id is the model and its key, so clients that need to can build one; it stays opaque to most.
    expect(stock.nodeId).toBe(nodeId('StockLevel', 'W1', 'P1'));
    expect(listed.categories[0].nodeId).toBe(nodeId('Category', listed.categories[0].id));
  });

  it('answers null for a well-formed id of a row that does not exist, in place', async () => {
    const ids = [nodeId('Warehouse', 'nope'), nodeId('Warehouse', 'W2'), nodeId('StockLevel', 'W2', 'nope')];
    const data = expectData(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Warehouse { code } } node(id: "${ids[0]}") { nodeId } }`, { ids }));
    expect(data).toEqual({ nodes: [null, { code: 'W2' }, null], node: null });
  });

  it('refuses ids that are not node ids of this API with BAD_USER_INPUT', async () => {
    const bad: [string, RegExp][] = [
      ['not-base64!', /Not a node id of this API/],
      [nodeId('Nope', 1), /Not a node id of this API/],
      [Buffer.from('{"a":1}').toString('base64url'), /Not a node id/],
      [nodeId('StockLevel', 'W1'), /does not hold a StockLevel key \(warehouseCode, productSku\)/],
      [nodeId('Category', 'one'), /does not hold a Category key \(id\)/],
      [nodeId('Category', 1.5), /does not hold a Category key/],
      [nodeId('Category', 1, 2), /does not hold a Category key/],
    ];
    for (const [id, message] of bad) {
      const error = expectError(await t.gql(`query($id: ID!) { node(id: $id) { nodeId } }`, { id }), 'BAD_USER_INPUT');
      expect(error.message, id).toMatch(message);
    }
    const tooMany = Array.from({ length: 101 }, () => nodeId('Category', 1));
    expect(expectError(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }`, { ids: tooMany }), 'BAD_USER_INPUT').message).toBe('ids takes at most 100 node ids, got 101');
  });
});

describeEachProvider('Relay Node under the access rules (blog)', (provider) => {
  let t: TestApp;
  let scene: BlogScene;
  beforeAll(async () => {
    t = await createTestApp('blog', provider);
    scene = await blogScene(t);
  });
  afterAll(() => t?.close());
  const node = (id: string, headers: Record<string, string> = {}) =>
    t.gql(`query($id: ID!) { node(id: $id) { __typename nodeId ... on Post { slug status } ... on User { email } } }`, { id }, headers);

  it('a draft is its author\'s and the admin\'s: null for everyone else, exactly like post(where:)', async () => {
    const { alice, bob, admin } = scene.users;
    const id = nodeId('Post', scene.posts.aliceDraft.id);
    expect(expectData(await node(id, alice.headers)).node).toEqual({ __typename: 'Post', nodeId: id, slug: 'alice-draft', status: 'DRAFT' });
    expect(expectData(await node(id, admin.headers)).node.slug).toBe('alice-draft');
    expect(expectData(await node(id, bob.headers)).node).toBeNull();
    expect(expectData(await node(id)).node).toBeNull();
    const mixed = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }`, { ids: [id, nodeId('Post', scene.posts.alicePub.id)] }, bob.headers);
    expect(expectData(mixed).nodes).toEqual([null, { nodeId: nodeId('Post', scene.posts.alicePub.id) }]);
  });

  it('field rules still apply to what node returns', async () => {
    const { alice, bob } = scene.users;
    expect(expectData(await node(nodeId('User', alice.id), bob.headers)).node).toEqual({ __typename: 'User', nodeId: nodeId('User', alice.id), email: null });
    expect(expectData(await node(nodeId('User', alice.id), alice.headers)).node.email).toBe('alice@scene.test');
  });

  it('hidden models have no node ids: refused like any id of another API, not answered null', async () => {
    const session = await t.app.db.session.findFirst();
    const error = expectError(await node(nodeId('Session', session?.id ?? 'x'), scene.users.admin.headers), 'BAD_USER_INPUT');
    expect(error.message).toMatch(/Not a node id of this API/);
  });

  it('every model type implements Node', async () => {
    const data = expectData(await t.gql(`{ __type(name: "Node") { possibleTypes { name } } }`));
    expect(data.__type.possibleTypes.map((p: any) => p.name).sort()).toEqual(['Club', 'Comment', 'Conversation', 'ConversationMember', 'Follow', 'Membership', 'Message', 'Post', 'Profile', 'Tag', 'User']);
  });
});
