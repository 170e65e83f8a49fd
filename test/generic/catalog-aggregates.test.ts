import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { expectData, expectError } from './expect-data.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const products = [
  { sku: 'P1', name: 'Anvil', kind: 'PHYSICAL', price: '1000.25', weight: 50, thumbnail: b64('m'), releasedAt: '2023-03-01T00:00:00.000Z', attributes: { a: 1 } },
  { sku: 'P2', name: 'Bolt', kind: 'PHYSICAL', price: '0.75', weight: 0.5, thumbnail: b64('b'), releasedAt: '2024-07-04T12:00:00.000Z', active: false },
  { sku: 'D1', name: 'Course', kind: 'DIGITAL', price: '2000.50', thumbnail: b64('z'), releasedAt: '2022-01-01T00:00:00.000Z' },
  { sku: 'D2', name: 'Font', kind: 'DIGITAL', price: '49' },
  { sku: 'S1', name: 'Setup', kind: 'SERVICE', price: '99.5', weight: 1.5 },
];
const warehouses = [
  { code: 'A', city: 'Oslo', capacity: '9007199254740993' },
  { code: 'B', city: 'Oslo', capacity: '9007199254740993' },
  { code: 'C', city: 'Bergen', capacity: '4' },
];

describeEachProvider('catalog aggregates', (provider) => {
  let t: TestApp;
  const run = async (query: string, variables?: Record<string, unknown>) => expectData(await t.gql(query, variables));
  // PostgreSQL orders a native enum by declaration; SQLite stores enums as text and orders them alphabetically.
  const kinds = provider === 'postgresql' ? ['PHYSICAL', 'DIGITAL', 'SERVICE'] : ['DIGITAL', 'PHYSICAL', 'SERVICE'];
  const inKindOrder = <T extends { kind: string }>(rows: T[]) => [...rows].sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind));

  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    await run(`mutation($p: [ProductCreateManyInput!]!, $w: [WarehouseCreateManyInput!]!) { createManyProducts(data: $p) { count } createManyWarehouses(data: $w) { count } }`, {
      p: products,
      w: warehouses,
    });
  });
  afterAll(() => t.close());

  describe('aggregate', () => {
    it('sums and averages Decimal as Decimal strings', async () => {
      const { productsAggregate } = await run(`{ productsAggregate { _sum { price weight } _avg { price weight } } }`);
      expect(productsAggregate._sum).toEqual({ price: '3150', weight: 52 });
      expect(typeof productsAggregate._avg.price).toBe('string');
      expect(Number(productsAggregate._avg.price)).toBeCloseTo(630, 10);
      expect(productsAggregate._avg.weight).toBeCloseTo(52 / 3, 10);
    });

    it('keeps Decimal sums exact where the database stores Decimal exactly', async () => {
      await run(`mutation { createManyProducts(data: [{ sku: "X1", name: "x", price: "12345678901234.5678" }, { sku: "X2", name: "x", price: "0.0001" }]) { count } }`);
      const { productsAggregate } = await run(`{ productsAggregate(where: { sku: { startsWith: "X" } }) { _sum { price } _max { price } _min { price } } }`);
      // PostgreSQL NUMERIC is exact; Prisma's SQLite adapter stores a double (15 significant digits).
      expect(productsAggregate).toEqual(
        provider === 'postgresql'
          ? { _sum: { price: '12345678901234.5679' }, _max: { price: '12345678901234.5678' }, _min: { price: '0.0001' } }
          : { _sum: { price: '12345678901234.568' }, _max: { price: '12345678901234.568' }, _min: { price: '0.0001' } },
      );
      await run(`mutation { deleteManyProducts(where: { sku: { startsWith: "X" } }) { count } }`);
    });

    it('sums BigInt beyond 2^53 exactly and averages it as a Float', async () => {
      const { warehousesAggregate } = await run(`{ warehousesAggregate { _count { _all } _sum { capacity } _avg { capacity } _min { capacity } _max { capacity } } }`);
      expect(warehousesAggregate).toMatchObject({
        _count: { _all: 3 },
        _sum: { capacity: '18014398509481990' },
        _min: { capacity: '4' },
        _max: { capacity: '9007199254740993' },
      });
      expect(warehousesAggregate._avg.capacity).toBeCloseTo(18014398509481990 / 3, -2);
    });

    it('takes _min and _max of every comparable kind', async () => {
      const fields = 'sku name kind price weight releasedAt';
      const { productsAggregate } = await run(`{ productsAggregate { _min { ${fields} } _max { ${fields} } } }`);
      expect(productsAggregate._min).toEqual({ sku: 'D1', name: 'Anvil', kind: kinds[0], price: '0.75', weight: 0.5, releasedAt: '2022-01-01T00:00:00.000Z' });
      expect(productsAggregate._max).toEqual({ sku: 'S1', name: 'Setup', kind: 'SERVICE', price: '2000.5', weight: 50, releasedAt: '2024-07-04T12:00:00.000Z' });
    });

    it('takes _min/_max of Boolean on every provider, and of Bytes and Json nowhere (the databases cannot compute them)', async () => {
      const boolean = await run(`{ productsAggregate { _min { active } _max { active } } }`);
      expect(boolean.productsAggregate).toEqual({ _min: { active: false }, _max: { active: true } });
      for (const field of ['thumbnail', 'attributes']) {
        const error = expectError(await t.gql(`{ productsAggregate { _max { ${field} } } }`), 'BAD_USER_INPUT');
        expect(error.message).toBe(`Cannot query field "${field}" on type "ProductMaxAggregate".`);
      }
    });

    it('counts all rows and non-null values per field, under a filter', async () => {
      const { productsAggregate } = await run(`{ productsAggregate(where: { kind: { in: [PHYSICAL, DIGITAL] } }) { _count { _all weight thumbnail attributes releasedAt } _sum { price } } }`);
      expect(productsAggregate).toEqual({
        _count: { _all: 4, weight: 2, thumbnail: 3, attributes: 1, releasedAt: 3 },
        _sum: { price: '3050.5' },
      });
    });

    it('returns null sums and averages over no rows, and a zero count', async () => {
      const { productsAggregate } = await run(`{ productsAggregate(where: { sku: { equals: "none" } }) { _count { _all } _sum { price } _avg { price } _min { releasedAt } } }`);
      expect(productsAggregate).toEqual({ _count: { _all: 0 }, _sum: { price: null }, _avg: { price: null }, _min: { releasedAt: null } });
    });
  });

  describe('groupBy', () => {
    it('groups by an enum with aggregates per group', async () => {
      const { productsGroupBy } = await run(`{ productsGroupBy(by: [kind], orderBy: [{ kind: asc }]) { kind sku _count { _all } _sum { price } _min { releasedAt } _max { name } } }`);
      expect(productsGroupBy).toEqual(inKindOrder([
        { kind: 'PHYSICAL', sku: null, _count: { _all: 2 }, _sum: { price: '1001' }, _min: { releasedAt: '2023-03-01T00:00:00.000Z' }, _max: { name: 'Bolt' } },
        { kind: 'DIGITAL', sku: null, _count: { _all: 2 }, _sum: { price: '2049.5' }, _min: { releasedAt: '2022-01-01T00:00:00.000Z' }, _max: { name: 'Font' } },
        { kind: 'SERVICE', sku: null, _count: { _all: 1 }, _sum: { price: '99.5' }, _min: { releasedAt: null }, _max: { name: 'Setup' } },
      ]));
    });

    it('filters groups with having on Decimal sums, counts and the grouped enum', async () => {
      const bySum = await run(`{ productsGroupBy(by: [kind], having: { price: { _sum: { gt: "1000" } } }, orderBy: [{ kind: asc }]) { kind _sum { price } } }`);
      expect(bySum.productsGroupBy).toEqual(inKindOrder([
        { kind: 'PHYSICAL', _sum: { price: '1001' } },
        { kind: 'DIGITAL', _sum: { price: '2049.5' } },
      ]));
      const byCount = await run(`{ productsGroupBy(by: [kind], having: { sku: { _count: { lt: 2 } } }) { kind _count { _all } } }`);
      expect(byCount.productsGroupBy).toEqual([{ kind: 'SERVICE', _count: { _all: 1 } }]);
      const byAvgAndKind = await run(`{ productsGroupBy(by: [kind], having: { kind: { in: [PHYSICAL, SERVICE] }, price: { _avg: { lt: "100" } } }) { kind _avg { price } } }`);
      expect(byAvgAndKind.productsGroupBy).toEqual([{ kind: 'SERVICE', _avg: { price: '99.5' } }]);
    });

    it('filters groups on Bytes and Boolean aggregates where the database can compute them', async () => {
      const count = await run(`{ productsGroupBy(by: [kind], having: { thumbnail: { _count: { gte: 2 } } }) { kind } }`);
      expect(count.productsGroupBy).toEqual([{ kind: 'PHYSICAL' }]);
      const minMax = await t.gql(`{ productsGroupBy(by: [kind], having: { active: { _min: { equals: false } } }) { kind } }`);
      if (provider === 'sqlite') expect(expectData(minMax).productsGroupBy).toEqual([{ kind: 'PHYSICAL' }]);
      else expect(expectError(minMax, 'BAD_USER_INPUT').message).toContain('in having is not supported on PostgreSQL');
    });

    it('orders groups by an aggregate and pages them', async () => {
      const { productsGroupBy } = await run(`{ productsGroupBy(by: [kind], orderBy: [{ _sum: { price: desc } }], skip: 1, take: 1) { kind } }`);
      expect(productsGroupBy).toEqual([{ kind: 'PHYSICAL' }]);
    });

    it('groups by several fields and by a field with a where filter', async () => {
      const { productsGroupBy } = await run(`{ productsGroupBy(by: [kind, active], where: { kind: { not: { equals: SERVICE } } }, orderBy: [{ kind: asc }, { active: asc }]) { kind active _count { _all } } }`);
      expect(productsGroupBy).toEqual(inKindOrder([
        { kind: 'PHYSICAL', active: false, _count: { _all: 1 } },
        { kind: 'PHYSICAL', active: true, _count: { _all: 1 } },
        { kind: 'DIGITAL', active: true, _count: { _all: 2 } },
      ]));
    });

    it('groups warehouses by city with exact BigInt sums and a BigInt having', async () => {
      const { warehousesGroupBy } = await run(`{ warehousesGroupBy(by: [city], having: { capacity: { _sum: { gt: "9007199254740993" } } }) { city _sum { capacity } _max { capacity } } }`);
      expect(warehousesGroupBy).toEqual([{ city: 'Oslo', _sum: { capacity: '18014398509481986' }, _max: { capacity: '9007199254740993' } }]);
    });
  });
});
