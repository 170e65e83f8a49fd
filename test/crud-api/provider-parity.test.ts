import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectError } from '../generic/expect-data.ts';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';

// One schema on every provider: what the schema offers either works on both databases or is
// refused with BAD_USER_INPUT naming the provider that cannot do it (never a Prisma validation error).
const products = [
  { sku: 'A', name: 'Lamp', price: '10', active: true, attributes: { color: 'Red', tags: ['sale', 'new'], 'a.b': 1 } },
  { sku: 'B', name: 'LAMP shade', price: '5', active: false, attributes: { color: 'green', tags: ['new'] } },
  { sku: 'C', name: 'chair', price: '7', active: true, attributes: ['red', 'green'] },
  { sku: 'D', name: 'Élan', price: '3', attributes: { nested: { deep: [{ x: 1 }, { x: 2 }] } } },
];

describeEachProvider('one schema, every provider', (provider) => {
  let t: TestApp;
  const skus = async (where: string) => {
    const data = expectData(await t.gql(`{ products(where: ${where}, orderBy: [{ sku: asc }]) { sku } }`));
    return data.products.map((p: { sku: string }) => p.sku);
  };
  const refused = async (query: string, pattern: RegExp) => {
    const error = expectError(await t.gql(query), 'BAD_USER_INPUT');
    expect(error.message).toMatch(pattern);
    expect(error.extensions.provider).toBe(provider);
    expect(error.message).not.toMatch(/prisma|invalid `|invocation/i);
  };

  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    expectData(await t.gql(`mutation($data: [ProductCreateManyInput!]!) { createManyProducts(data: $data) { count } }`, { data: products }));
  });
  afterAll(() => t.close());

  describe('mode: insensitive', () => {
    it('matches contains, startsWith and endsWith regardless of (ASCII) case on both', async () => {
      expect(await skus(`{ name: { contains: "lamp", mode: insensitive } }`)).toEqual(['A', 'B']);
      expect(await skus(`{ name: { startsWith: "CH", mode: insensitive } }`)).toEqual(['C']);
      expect(await skus(`{ name: { endsWith: "SHADE", mode: insensitive } }`)).toEqual(['B']);
      expect(await skus(`{ name: { not: { contains: "lamp" }, mode: insensitive } }`)).toEqual(['C', 'D']);
    });

    it('accepts mode: default everywhere', async () => {
      expect(await skus(`{ name: { startsWith: "L", mode: default } }`)).toEqual(['A', 'B']);
      expect(await skus(`{ name: { equals: "chair", mode: default } }`)).toEqual(['C']);
    });

    it('applies a mode given inside not (Prisma takes it only beside the operators)', async () => {
      expect(await skus(`{ name: { not: { contains: "lamp", mode: insensitive } } }`)).toEqual(['C', 'D']);
      expect(await skus(`{ name: { not: { not: { startsWith: "lamp", mode: insensitive } } } }`)).toEqual(['A', 'B']);
      const error = expectError(await t.gql(`{ products(where: { name: { mode: default, not: { contains: "x", mode: insensitive } } }) { sku } }`), 'BAD_USER_INPUT');
      expect(error.message).toBe('Product.name: the mode inside not (insensitive) contradicts the mode beside it (default)');
    });

    it('works beside having operators; inside _min/_max only on SQLite', async () => {
      const beside = expectData(await t.gql(`{ productsGroupBy(by: [name], having: { name: { startsWith: "l", mode: insensitive } }) { name } }`));
      expect(beside.productsGroupBy.map((g: { name: string }) => g.name).sort()).toEqual(['LAMP shade', 'Lamp']);
      const inside = `{ productsGroupBy(by: [active], having: { name: { _min: { contains: "lamp", mode: insensitive } } }, orderBy: [{ active: asc }]) { active } }`;
      if (provider === 'sqlite') expect(expectData(await t.gql(inside)).productsGroupBy).toEqual([{ active: false }, { active: true }]);
      else await refused(inside, /mode: insensitive inside _min\/_max \(on Product\.name\) is not supported on PostgreSQL/);
    });

    it('compares whole values case-insensitively on PostgreSQL; SQLite refuses, naming itself', async () => {
      const query = `{ products(where: { name: { equals: "CHAIR", mode: insensitive } }) { sku } }`;
      if (provider === 'postgresql') expect(expectData(await t.gql(query)).products).toEqual([{ sku: 'C' }]);
      else await refused(query, /mode: insensitive with equals \(on Product\.name\) is not supported on SQLite/);
      const inList = `{ products(where: { name: { in: ["LAMP"], mode: insensitive } }) { sku } }`;
      if (provider === 'postgresql') expect(expectData(await t.gql(inList)).products).toEqual([{ sku: 'A' }]);
      else await refused(inList, /with in .* SQLite/);
    });

    it('documents the remaining difference: SQLite LIKE ignores ASCII case even in mode: default', async () => {
      const sensitive = await skus(`{ name: { contains: "lamp" } }`);
      expect(sensitive).toEqual(provider === 'sqlite' ? ['A', 'B'] : []);
    });
  });

  describe('Json path and array_contains', () => {
    it('takes path as a key list on both providers', async () => {
      expect(await skus(`{ attributes: { path: ["color"], equals: "green" } }`)).toEqual(['B']);
      expect(await skus(`{ attributes: { path: ["tags"], array_starts_with: "sale" } }`)).toEqual(['A']);
      expect(await skus(`{ attributes: { path: ["a.b"], equals: 1 } }`)).toEqual(['A']);
      expect(await skus(`{ attributes: { path: ["nested", "deep", "1", "x"], equals: 2 } }`)).toEqual(['D']);
      expect(await skus(`{ attributes: { path: ["tags", "0"], equals: "new" } }`)).toEqual(['B']);
    });

    it('array_contains: PostgreSQL answers, SQLite refuses naming itself', async () => {
      const query = `{ products(where: { attributes: { path: ["tags"], array_contains: ["new"] } }) { sku } }`;
      if (provider === 'postgresql') expect(expectData(await t.gql(query)).products.map((p: any) => p.sku).sort()).toEqual(['A', 'B']);
      else await refused(query, /array_contains \(on Product\.attributes\) is not supported on SQLite/);
    });

    it('refuses a path key SQLite cannot address', async () => {
      const query = `{ products(where: { attributes: { path: ["a\\"b"], equals: 1 } }) { sku } }`;
      if (provider === 'postgresql') expect(expectData(await t.gql(query)).products).toEqual([]);
      else await refused(query, /JSON path key cannot contain/);
    });
  });

  describe('_min/_max of Boolean', () => {
    it('aggregates on both providers', async () => {
      const data = expectData(await t.gql(`{ productsAggregate { _min { active price } _max { active } } }`));
      expect(data.productsAggregate).toEqual({ _min: { active: false, price: '3' }, _max: { active: true } });
      const filtered = expectData(await t.gql(`{ productsAggregate(where: { sku: { in: ["A", "C"] } }) { _min { active } _max { active } } }`));
      expect(filtered.productsAggregate).toEqual({ _min: { active: true }, _max: { active: true } });
      const none = expectData(await t.gql(`{ productsAggregate(where: { sku: { equals: "none" } }) { _min { active } } }`));
      expect(none.productsAggregate).toEqual({ _min: { active: null } });
    });

    it('per group and in having: SQLite answers, PostgreSQL refuses naming itself', async () => {
      const groups = `{ productsGroupBy(by: [price], where: { sku: { in: ["A", "B"] } }, orderBy: [{ price: asc }]) { price _min { active } } }`;
      const having = `{ productsGroupBy(by: [sku], having: { active: { _min: { equals: false } } }) { sku } }`;
      if (provider === 'sqlite') {
        expect(expectData(await t.gql(groups)).productsGroupBy).toEqual([{ price: '5', _min: { active: false } }, { price: '10', _min: { active: true } }]);
        expect(expectData(await t.gql(having)).productsGroupBy).toEqual([{ sku: 'B' }]);
      } else {
        await refused(groups, /_min\/_max of the Boolean field Product\.active per group is not supported on PostgreSQL/);
        await refused(having, /_min\/_max of the Boolean field Product\.active in having is not supported on PostgreSQL/);
      }
    });
  });
});
