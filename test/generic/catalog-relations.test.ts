import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dataStatements, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { expectData, expectError } from './expect-data.ts';

const stockKey = (warehouseCode: string, productSku: string) => ({ warehouseCode_productSku: { warehouseCode, productSku } });
const stockLevel = `query($where: StockLevelWhereUniqueInput!) { stockLevel(where: $where) { warehouseCode productSku quantity warehouse { city } product { name } } }`;

describeEachProvider('catalog relations', (provider) => {
  let t: TestApp;
  const run = async (query: string, variables?: Record<string, unknown>) => expectData(await t.gql(query, variables));
  /** SQLite reports a unique violation's fields; PostgreSQL's driver only the constraint's name. */
  const expectConflictOn = (error: { message: string; extensions: Record<string, unknown> }, fields: string[], constraint: string) => {
    if (provider === 'sqlite') expect(error.extensions.fields).toEqual(fields);
    else expect(error.extensions.constraint).toBe(constraint);
    expect(error.message).toContain(provider === 'sqlite' ? fields.join(', ') : constraint);
  };

  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    await run(`mutation {
      a: createWarehouse(data: { code: "OSL", city: "Oslo" }) { code }
      b: createWarehouse(data: { code: "BGO", city: "Bergen" }) { code }
      c: createProduct(data: { sku: "CHAIR", name: "Chair", price: "49.90" }) { sku }
      d: createProduct(data: { sku: "DESK", name: "Desk", price: "199" }) { sku }
    }`);
  });
  afterAll(() => t.close());

  describe('composite id (StockLevel @@id([warehouseCode, productSku]))', () => {
    it('creates a join row through nested writes that connect by each side key, and finds it by the compound key', async () => {
      const created = await run(`mutation {
        createStockLevel(data: { quantity: 3, warehouse: { connect: { code: "OSL" } }, product: { connect: { sku: "CHAIR" } } }) {
          warehouseCode productSku quantity updatedAt
        }
      }`);
      expect(created.createStockLevel).toMatchObject({ warehouseCode: 'OSL', productSku: 'CHAIR', quantity: 3 });
      expect(Date.parse(created.createStockLevel.updatedAt)).not.toBeNaN();

      const found = await run(stockLevel, { where: stockKey('OSL', 'CHAIR') });
      expect(found.stockLevel).toEqual({ warehouseCode: 'OSL', productSku: 'CHAIR', quantity: 3, warehouse: { city: 'Oslo' }, product: { name: 'Chair' } });
      expect((await run(stockLevel, { where: stockKey('OSL', 'DESK') })).stockLevel).toBeNull();
    });

    it('creates join rows nested under a warehouse, connecting or creating the product', async () => {
      const created = await run(`mutation {
        createWarehouse(data: { code: "TRD", city: "Trondheim", stock: { create: [
          { quantity: 1, product: { connect: { sku: "DESK" } } },
          { quantity: 2, product: { connectOrCreate: { where: { sku: "STOOL" }, create: { sku: "STOOL", name: "Stool", price: "15" } } } }
        ] } }) { code stock(orderBy: [{ productSku: asc }]) { productSku quantity product { name } } stockCount }
      }`);
      expect(created.createWarehouse).toEqual({
        code: 'TRD',
        stock: [
          { productSku: 'DESK', quantity: 1, product: { name: 'Desk' } },
          { productSku: 'STOOL', quantity: 2, product: { name: 'Stool' } },
        ],
        stockCount: 2,
      });
    });

    it('updates, upserts and deletes join rows by compound key, nested under the product', async () => {
      await run(`mutation { createStockLevel(data: { quantity: 5, warehouse: { connect: { code: "BGO" } }, product: { connect: { sku: "DESK" } } }) { quantity } }`);
      const updated = await run(
        `mutation($update: StockLevelWhereUniqueInput!, $upsert: StockLevelWhereUniqueInput!, $delete: StockLevelWhereUniqueInput!) {
          updateProduct(where: { sku: "DESK" }, data: { stock: {
            update: [{ where: $update, data: { quantity: 50 } }],
            upsert: [{ where: $upsert, create: { quantity: 7, warehouse: { connect: { code: "OSL" } } }, update: { quantity: 70 } }],
            delete: [$delete]
          } }) { stock(orderBy: [{ warehouseCode: asc }]) { warehouseCode quantity } }
        }`,
        { update: stockKey('BGO', 'DESK'), upsert: stockKey('OSL', 'DESK'), delete: stockKey('TRD', 'DESK') },
      );
      expect(updated.updateProduct.stock).toEqual([
        { warehouseCode: 'BGO', quantity: 50 },
        { warehouseCode: 'OSL', quantity: 7 },
      ]);
      // Upsert again: the row now exists, so the update branch runs.
      const again = await run(
        `mutation($key: StockLevelWhereUniqueInput!) { updateProduct(where: { sku: "DESK" }, data: { stock: { upsert: [{ where: $key, create: { quantity: 1, warehouse: { connect: { code: "OSL" } } }, update: { quantity: 70 } }] } }) { stock(where: { warehouseCode: { equals: "OSL" } }) { quantity } } }`,
        { key: stockKey('OSL', 'DESK') },
      );
      expect(again.updateProduct.stock).toEqual([{ quantity: 70 }]);
    });

    it('moves a join row to another warehouse by connecting it through its compound key', async () => {
      await run(`mutation { createProduct(data: { sku: "LAMP", name: "Lamp", price: "20", stock: { create: [{ quantity: 9, warehouse: { connect: { code: "OSL" } } }] } }) { sku } }`);
      const moved = await run(
        `mutation($key: StockLevelWhereUniqueInput!) { updateWarehouse(where: { code: "BGO" }, data: { stock: { connect: [$key] } }) { stock(where: { productSku: { equals: "LAMP" } }) { warehouseCode productSku quantity } } }`,
        { key: stockKey('OSL', 'LAMP') },
      );
      expect(moved.updateWarehouse.stock).toEqual([{ warehouseCode: 'BGO', productSku: 'LAMP', quantity: 9 }]);
      expect((await run(stockLevel, { where: stockKey('OSL', 'LAMP') })).stockLevel).toBeNull();
      expect((await run(stockLevel, { where: stockKey('BGO', 'LAMP') })).stockLevel.quantity).toBe(9);
    });

    it('updates, upserts and deletes at the top level by compound key', async () => {
      const key = stockKey('BGO', 'CHAIR');
      const upserted = await run(
        `mutation($key: StockLevelWhereUniqueInput!) { upsertStockLevel(where: $key, create: { quantity: 1, warehouse: { connect: { code: "BGO" } }, product: { connect: { sku: "CHAIR" } } }, update: { quantity: 2 }) { quantity } }`,
        { key },
      );
      expect(upserted.upsertStockLevel.quantity).toBe(1);
      const updated = await run(`mutation($key: StockLevelWhereUniqueInput!) { updateStockLevel(where: $key, data: { quantity: 4 }) { quantity } }`, { key });
      expect(updated.updateStockLevel.quantity).toBe(4);
      const deleted = await run(`mutation($key: StockLevelWhereUniqueInput!) { deleteStockLevel(where: $key) { warehouseCode productSku } }`, { key });
      expect(deleted.deleteStockLevel).toEqual({ warehouseCode: 'BGO', productSku: 'CHAIR' });
      expect((await run(stockLevel, { where: key })).stockLevel).toBeNull();
    });

    it('answers a missing compound key with NOT_FOUND and a duplicate with CONFLICT naming the key', async () => {
      const missing = await t.gql(`mutation($key: StockLevelWhereUniqueInput!) { updateStockLevel(where: $key, data: { quantity: 1 }) { quantity } }`, {
        key: stockKey('OSL', 'NOPE'),
      });
      expectError(missing, 'NOT_FOUND');
      const duplicate = await t.gql(`mutation { createStockLevel(data: { quantity: 1, warehouseCode: "OSL", productSku: "CHAIR" }) { quantity } }`);
      expectConflictOn(expectError(duplicate, 'CONFLICT'), ['warehouseCode', 'productSku'], 'StockLevel_pkey');
    });

    it('pages a Relay connection over the composite id', async () => {
      const page = async (after?: string) =>
        (await run(`query($after: String) { stockLevelsConnection(first: 2, after: $after) { edges { cursor node { warehouseCode productSku } } pageInfo { hasNextPage } totalCount } }`, { after }))
          .stockLevelsConnection;
      const first = await page();
      const rows = first.edges.map((e: any) => e.node);
      let cursor = first.edges.at(-1).cursor;
      for (let next = first; next.pageInfo.hasNextPage; cursor = next.edges.at(-1).cursor) {
        next = await page(cursor);
        rows.push(...next.edges.map((e: any) => e.node));
      }
      expect(rows).toHaveLength(first.totalCount);
      const keys = rows.map((r: any) => `${r.warehouseCode}/${r.productSku}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  describe('named compound unique (Category siblingName: name + parentId)', () => {
    it('finds, updates and upserts a category by siblingName, distinguishing same-named siblings under different parents', async () => {
      const tree = await run(`mutation {
        a: createCategory(data: { name: "Furniture", children: { create: [{ name: "Outdoor" }, { name: "Office" }] } }) { id children(orderBy: [{ name: asc }]) { id name } }
        b: createCategory(data: { name: "Lighting", children: { create: [{ name: "Outdoor" }] } }) { id children { id name } }
      }`);
      const [office, furnitureOutdoor] = tree.a.children;
      const lightingOutdoor = tree.b.children[0];
      const find = `query($key: CategoryNameParentIdCompoundUniqueInput!) { category(where: { siblingName: $key }) { id name parent { name } } }`;

      expect((await run(find, { key: { name: 'Outdoor', parentId: tree.a.id } })).category).toEqual({ id: furnitureOutdoor.id, name: 'Outdoor', parent: { name: 'Furniture' } });
      expect((await run(find, { key: { name: 'Outdoor', parentId: tree.b.id } })).category).toEqual({ id: lightingOutdoor.id, name: 'Outdoor', parent: { name: 'Lighting' } });
      expect((await run(find, { key: { name: 'Office', parentId: tree.b.id } })).category).toBeNull();

      const renamed = await run(`mutation($parentId: Int!) { updateCategory(where: { siblingName: { name: "Office", parentId: $parentId } }, data: { name: "Workspace" }) { id name } }`, { parentId: tree.a.id });
      expect(renamed.updateCategory).toEqual({ id: office.id, name: 'Workspace' });

      const upsert = `mutation($parentId: Int!) { upsertCategory(where: { siblingName: { name: "Indoor", parentId: $parentId } }, create: { name: "Indoor", parent: { connect: { id: $parentId } } }, update: { name: "Indoor" }) { id parent { id } } }`;
      const first = await run(upsert, { parentId: tree.b.id });
      const second = await run(upsert, { parentId: tree.b.id });
      expect(first.upsertCategory).toEqual({ id: second.upsertCategory.id, parent: { id: tree.b.id } });
      expect((await run(`query($id: Int!) { category(where: { id: $id }) { childrenCount } }`, { id: tree.b.id })).category.childrenCount).toBe(2);
    });

    it('rejects a duplicate sibling name with CONFLICT, writing nothing', async () => {
      const parent = await run(`mutation { createCategory(data: { name: "Garden", children: { create: [{ name: "Tools" }] } }) { id } }`);
      const before = (await run(`{ categoriesCount }`)).categoriesCount;
      const duplicate = await t.gql(`mutation($id: Int!) { updateCategory(where: { id: $id }, data: { children: { create: [{ name: "Pots" }, { name: "Tools" }] } }) { id } }`, {
        id: parent.createCategory.id,
      });
      expectConflictOn(expectError(duplicate, 'CONFLICT'), ['name', 'parentId'], 'Category_name_parentId_key');
      // The whole nested write rolled back, including the "Pots" created before the clash.
      expect((await run(`{ categoriesCount }`)).categoriesCount).toBe(before);
    });
  });

  describe('self-relations', () => {
    it('creates and reads a product variant tree three levels deep, in both directions', async () => {
      const product = (sku: string, more = '') => `{ sku: "${sku}", name: "${sku}", price: "1"${more} }`;
      const created = await run(`mutation {
        createProduct(data: ${product('SHIRT', `, variants: { create: [
          ${product('SHIRT-RED', `, variants: { create: [${product('SHIRT-RED-M', `, variants: { create: [${product('SHIRT-RED-M-SLIM')}] }`)}, ${product('SHIRT-RED-L')}] }`)},
          ${product('SHIRT-BLUE')}
        ] }`)}) {
          sku variantsCount
          variants(orderBy: [{ sku: desc }]) { sku variants(orderBy: [{ sku: asc }]) { sku variants { sku parent { sku parent { sku parent { sku } } } } } }
        }
      }`);
      expect(created.createProduct).toEqual({
        sku: 'SHIRT',
        variantsCount: 2,
        variants: [
          {
            sku: 'SHIRT-RED',
            variants: [
              { sku: 'SHIRT-RED-L', variants: [] },
              { sku: 'SHIRT-RED-M', variants: [{ sku: 'SHIRT-RED-M-SLIM', parent: { sku: 'SHIRT-RED-M', parent: { sku: 'SHIRT-RED', parent: { sku: 'SHIRT' } } } }] },
            ],
          },
          { sku: 'SHIRT-BLUE', variants: [] },
        ],
      });
    });

    it('filters through the self-relation at depth and reparents with nested connect/disconnect', async () => {
      const deep = await run(`{ products(where: { parent: { is: { parent: { is: { sku: { equals: "SHIRT" } } } } } }, orderBy: [{ sku: asc }]) { sku } }`);
      expect(deep.products).toEqual([{ sku: 'SHIRT-RED-L' }, { sku: 'SHIRT-RED-M' }]);
      const withDeepVariants = await run(`{ products(where: { variants: { some: { variants: { some: { variants: { some: {} } } } } } }) { sku } }`);
      expect(withDeepVariants.products).toEqual([{ sku: 'SHIRT' }]);

      const moved = await run(`mutation { updateProduct(where: { sku: "SHIRT-BLUE" }, data: { variants: { connect: [{ sku: "SHIRT-RED-L" }] } }) { variants { sku parent { sku } } } }`);
      expect(moved.updateProduct.variants).toEqual([{ sku: 'SHIRT-RED-L', parent: { sku: 'SHIRT-BLUE' } }]);
      const detached = await run(`mutation { updateProduct(where: { sku: "SHIRT-RED-L" }, data: { parent: { disconnect: true } }) { parentSku parent { sku } } }`);
      expect(detached.updateProduct).toEqual({ parentSku: null, parent: null });
    });

    it('builds a category tree three levels deep and reads it back with one query per level', async () => {
      await run(`mutation { createCategory(data: { name: "Root", children: { create: [
        { name: "L1-a", children: { create: [{ name: "L2-a", children: { create: [{ name: "L3-a" }, { name: "L3-b" }] } }] } },
        { name: "L1-b", children: { create: [{ name: "L2-b" }] } }
      ] } }) { id } }`);
      t.resetQueries();
      const tree = await run(`{ categories(where: { name: { equals: "Root" } }) { name children(orderBy: [{ name: asc }]) { name children { name children(orderBy: [{ name: desc }]) { name parent { parent { parent { name } } } } } } } }`);
      expect(tree.categories).toEqual([
        {
          name: 'Root',
          children: [
            { name: 'L1-a', children: [{ name: 'L2-a', children: [
              { name: 'L3-b', parent: { parent: { parent: { name: 'Root' } } } },
              { name: 'L3-a', parent: { parent: { parent: { name: 'Root' } } } },
            ] }] },
            { name: 'L1-b', children: [{ name: 'L2-b', children: [] }] },
          ],
        },
      ]);
      // Root, three child levels, three parent hops: a fixed number, however many rows each level has.
      expect(dataStatements(t.queries).length).toBeLessThanOrEqual(7);
    });
  });

  describe('implicit many-to-many (Product <-> Category)', () => {
    let ids: Record<string, number>;
    const categoriesOf = async (sku: string) =>
      (await run(`query($sku: String!) { product(where: { sku: $sku }) { categories(orderBy: [{ name: asc }]) { name } categoriesCount } }`, { sku })).product;

    beforeAll(async () => {
      const created = await run(`mutation {
        a: createCategory(data: { name: "Sale" }) { id }
        b: createCategory(data: { name: "New" }) { id }
        c: createCategory(data: { name: "Eco" }) { id }
      }`);
      ids = { Sale: created.a.id, New: created.b.id, Eco: created.c.id };
    });

    it('connects by id and by the named compound unique, and reads both sides', async () => {
      const kids = await run(`mutation($sale: Int!) { createCategory(data: { name: "Kids", parent: { connect: { id: $sale } } }) { id } }`, { sale: ids.Sale });
      await run(
        `mutation($new: Int!, $sale: Int!) { createProduct(data: { sku: "MUG", name: "Mug", price: "5", categories: { connect: [{ id: $new }, { siblingName: { name: "Kids", parentId: $sale } }] } }) { sku } }`,
        { new: ids.New, sale: ids.Sale },
      );
      expect(await categoriesOf('MUG')).toEqual({ categories: [{ name: 'Kids' }, { name: 'New' }], categoriesCount: 2 });
      const linked = await run(`query($id: Int!) { category(where: { id: $id }) { products { sku } productsCount } }`, { id: kids.createCategory.id });
      expect(linked.category).toEqual({ products: [{ sku: 'MUG' }], productsCount: 1 });
    });

    it('replaces the set with set, removes with disconnect, and creates through connectOrCreate', async () => {
      const set = await run(`mutation($eco: Int!) { updateProduct(where: { sku: "MUG" }, data: { categories: { set: [{ id: $eco }] } }) { categories { name } } }`, { eco: ids.Eco });
      expect(set.updateProduct.categories).toEqual([{ name: 'Eco' }]);

      const more = await run(`mutation($sale: Int!) { updateProduct(where: { sku: "MUG" }, data: { categories: {
        connect: [{ id: $sale }],
        connectOrCreate: [{ where: { id: -1 }, create: { name: "Gifts" } }]
      } }) { categoriesCount } }`, { sale: ids.Sale });
      expect(more.updateProduct.categoriesCount).toBe(3);

      const fewer = await run(`mutation($eco: Int!, $sale: Int!) { updateProduct(where: { sku: "MUG" }, data: { categories: { disconnect: [{ id: $eco }, { id: $sale }] } }) { categories { name } } }`, {
        eco: ids.Eco,
        sale: ids.Sale,
      });
      expect(fewer.updateProduct.categories).toEqual([{ name: 'Gifts' }]);
      // Disconnecting removes only the link: the categories themselves remain.
      expect((await run(`query($id: Int!) { category(where: { id: $id }) { name productsCount } }`, { id: ids.Eco })).category).toEqual({ name: 'Eco', productsCount: 0 });

      const cleared = await run(`mutation { updateProduct(where: { sku: "MUG" }, data: { categories: { set: [] } }) { categoriesCount } }`);
      expect(cleared.updateProduct.categoriesCount).toBe(0);
    });

    it('filters across the link in both directions with some/none/every', async () => {
      await run(`mutation($sale: Int!, $eco: Int!) {
        a: createProduct(data: { sku: "CUP", name: "Cup", price: "3", categories: { connect: [{ id: $sale }, { id: $eco }] } }) { sku }
        b: createProduct(data: { sku: "PLATE", name: "Plate", price: "4", categories: { connect: [{ id: $eco }] } }) { sku }
      }`, { sale: ids.Sale, eco: ids.Eco });
      const some = await run(`{ products(where: { categories: { some: { name: { equals: "Sale" } } } }) { sku } }`);
      expect(some.products).toEqual([{ sku: 'CUP' }]);
      const every = await run(`{ products(where: { categories: { every: { name: { equals: "Eco" } } }, sku: { in: ["CUP", "PLATE"] } }) { sku } }`);
      expect(every.products).toEqual([{ sku: 'PLATE' }]);
      const none = await run(`{ categories(where: { products: { none: {} }, name: { in: ["Sale", "Eco", "New"] } }, orderBy: [{ name: asc }]) { name } }`);
      expect(none.categories).toEqual([{ name: 'New' }]);
    });
  });
});
