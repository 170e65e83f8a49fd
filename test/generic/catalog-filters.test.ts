import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { expectData, expectError } from './expect-data.ts';

const thumb = Buffer.from('thumb-a').toString('base64');
const products = [
  { sku: 'A', name: 'Lamp', kind: 'PHYSICAL', price: '10.50', weight: 1, thumbnail: thumb, releasedAt: '2024-01-15T08:00:00.000Z', attributes: { color: 'red', size: 3, tags: ['sale', 'new'] } },
  { sku: 'B', name: 'E-book', kind: 'DIGITAL', price: '1000000000.0001', active: false, releasedAt: '2024-05-31T23:59:59.999Z', attributes: { color: 'green' } },
  { sku: 'C', name: 'Repair', kind: 'SERVICE', price: '0.01', weight: 0.25, releasedAt: '2025-06-01T00:00:00.000Z', attributes: { color: 'blue', size: 10, tags: ['new'] } },
  { sku: 'D', name: 'Chair', kind: 'PHYSICAL', price: '10.49', weight: 7.5 },
  { sku: 'E', name: 'Licence', kind: 'DIGITAL', price: '10.51', attributes: ['red', 'green'] },
];
const warehouses = [
  { code: 'W1', city: 'Oslo', capacity: '9007199254740993' },
  { code: 'W2', city: 'Bergen', capacity: '9007199254740992' },
  { code: 'W3', city: 'Tromsø', capacity: '5' },
];

describeEachProvider('catalog filters', (provider) => {
  let t: TestApp;
  /** The skus of products matching `where` (a GraphQL literal), in sku order. */
  const skus = async (where: string) => {
    const data = expectData(await t.gql(`{ products(where: ${where}, orderBy: [{ sku: asc }]) { sku } }`));
    return data.products.map((p: { sku: string }) => p.sku);
  };
  const codes = async (where: string) => {
    const data = expectData(await t.gql(`{ warehouses(where: ${where}, orderBy: [{ code: asc }]) { code } }`));
    return data.warehouses.map((w: { code: string }) => w.code);
  };

  beforeAll(async () => {
    t = await createTestApp('catalog', provider);
    expectData(await t.gql(`mutation($data: [ProductCreateManyInput!]!) { createManyProducts(data: $data) { count } }`, { data: products }));
    expectData(await t.gql(`mutation($data: [WarehouseCreateManyInput!]!) { createManyWarehouses(data: $data) { count } }`, { data: warehouses }));
  });
  afterAll(() => t.close());

  describe('Decimal', () => {
    it('compares exactly around close values', async () => {
      expect(await skus(`{ price: { gte: "10.50", lt: "10.51" } }`)).toEqual(['A']);
      expect(await skus(`{ price: { gt: "10.49", lte: "10.51" } }`)).toEqual(['A', 'E']);
      expect(await skus(`{ price: { gt: "1000000000" } }`)).toEqual(['B']);
      expect(await skus(`{ price: { equals: "10.5" } }`)).toEqual(['A']);
    });

    it('supports in, notIn and not', async () => {
      expect(await skus(`{ price: { in: ["0.01", "10.49"] } }`)).toEqual(['C', 'D']);
      expect(await skus(`{ price: { notIn: ["0.01", "10.49"] } }`)).toEqual(['A', 'B', 'E']);
      expect(await skus(`{ price: { not: { gt: "10" } } }`)).toEqual(['C']);
    });

    it('orders by Decimal value, not by text', async () => {
      const data = expectData(await t.gql(`{ products(orderBy: [{ price: desc }]) { sku } }`));
      expect(data.products.map((p: { sku: string }) => p.sku)).toEqual(['B', 'E', 'A', 'D', 'C']);
    });
  });

  describe('BigInt', () => {
    it('compares values that differ only beyond 2^53', async () => {
      expect(await codes(`{ capacity: { gt: "9007199254740992" } }`)).toEqual(['W1']);
      expect(await codes(`{ capacity: { equals: "9007199254740992" } }`)).toEqual(['W2']);
      expect(await codes(`{ capacity: { lte: "9007199254740992" } }`)).toEqual(['W2', 'W3']);
      expect(await codes(`{ capacity: { in: ["5", "9007199254740993"] } }`)).toEqual(['W1', 'W3']);
    });

    it('orders by BigInt value', async () => {
      const data = expectData(await t.gql(`{ warehouses(orderBy: [{ capacity: desc }]) { code capacity } }`));
      expect(data.warehouses).toEqual([
        { code: 'W1', capacity: '9007199254740993' },
        { code: 'W2', capacity: '9007199254740992' },
        { code: 'W3', capacity: '5' },
      ]);
    });
  });

  describe('DateTime', () => {
    it('compares instants to the millisecond, across offsets', async () => {
      expect(await skus(`{ releasedAt: { gte: "2024-06-01T00:00:00Z" } }`)).toEqual(['C']);
      expect(await skus(`{ releasedAt: { lt: "2024-05-31T23:59:59.999Z" } }`)).toEqual(['A']);
      expect(await skus(`{ releasedAt: { lte: "2024-05-31T23:59:59.999Z" } }`)).toEqual(['A', 'B']);
      // 10:00 at +02:00 is 08:00 UTC.
      expect(await skus(`{ releasedAt: { equals: "2024-01-15T10:00:00+02:00" } }`)).toEqual(['A']);
      expect(await skus(`{ releasedAt: { gt: "2024-01-01", lt: "2025-01-01" } }`)).toEqual(['A', 'B']);
    });

    it('filters and orders nullable dates with nulls placed as asked', async () => {
      expect(await skus(`{ releasedAt: { equals: null } }`)).toEqual(['D', 'E']);
      const data = expectData(await t.gql(`{ products(orderBy: [{ releasedAt: desc_nulls_last }, { sku: asc }]) { sku } }`));
      expect(data.products.map((p: { sku: string }) => p.sku)).toEqual(['C', 'B', 'A', 'D', 'E']);
      const first = expectData(await t.gql(`{ products(orderBy: [{ releasedAt: asc_nulls_first }, { sku: desc }]) { sku } }`));
      expect(first.products.map((p: { sku: string }) => p.sku)).toEqual(['E', 'D', 'A', 'B', 'C']);
    });
  });

  describe('enum', () => {
    it('supports equals, in, notIn and not', async () => {
      expect(await skus(`{ kind: { equals: SERVICE } }`)).toEqual(['C']);
      expect(await skus(`{ kind: { in: [DIGITAL, SERVICE] } }`)).toEqual(['B', 'C', 'E']);
      expect(await skus(`{ kind: { notIn: [PHYSICAL] } }`)).toEqual(['B', 'C', 'E']);
      expect(await skus(`{ kind: { not: { in: [DIGITAL, SERVICE] } } }`)).toEqual(['A', 'D']);
    });

    it('rejects a value the enum does not have', async () => {
      const error = expectError(await t.gql(`{ products(where: { kind: { in: [GASEOUS] } }) { sku } }`), 'BAD_USER_INPUT');
      expect(error.message).toContain('GASEOUS');
    });
  });

  describe('Json', () => {
    it('matches a whole value with equals, and database NULL with equals: null', async () => {
      expect(await skus(`{ attributes: { equals: { color: "green" } } }`)).toEqual(['B']);
      expect(await skus(`{ attributes: { equals: ["red", "green"] } }`)).toEqual(['E']);
      expect(await skus(`{ attributes: { equals: null } }`)).toEqual(['D']);
      expect(await skus(`{ attributes: { not: null } }`)).toEqual(['A', 'B', 'C', 'E']);
      expect(await skus(`{ attributes: { not: { color: "green" } } }`)).toEqual(['A', 'C', 'E']);
    });

    it('matches a nested value by path (a key list on every provider)', async () => {
      const path = (keys: string[]) => JSON.stringify(keys);
      expect(await skus(`{ attributes: { path: ${path(['color'])}, equals: "red" } }`)).toEqual(['A']);
      expect(await skus(`{ attributes: { path: ${path(['size'])}, equals: 10 } }`)).toEqual(['C']);
      expect(await skus(`{ attributes: { path: ${path(['color'])}, string_contains: "e" } }`)).toEqual(['A', 'B', 'C']);
      expect(await skus(`{ attributes: { path: ${path(['color'])}, string_starts_with: "bl" } }`)).toEqual(['C']);
      expect(await skus(`{ attributes: { path: ${path(['color'])}, string_ends_with: "en" } }`)).toEqual(['B']);
      expect(await skus(`{ attributes: { path: ${path(['tags'])}, array_starts_with: "sale" } }`)).toEqual(['A']);
      expect(await skus(`{ attributes: { path: ${path(['tags'])}, array_ends_with: "new" } }`)).toEqual(['A', 'C']);
    });

    it('answers array_contains where the provider supports it, and BAD_USER_INPUT naming the provider elsewhere', async () => {
      const where = `{ attributes: { path: ["tags"], array_contains: ["new"] } }`;
      if (provider === 'postgresql') {
        expect(await skus(where)).toEqual(['A', 'C']);
        expect(await skus(`{ attributes: { array_contains: ["green"] } }`)).toEqual(['E']);
      } else {
        // Prisma's SQLite JSON filter lacks it; the schema is the same on every provider.
        const error = expectError(await t.gql(`{ products(where: ${where}) { sku } }`), 'BAD_USER_INPUT');
        expect(error.message).toMatch(/array_contains \(on Product\.attributes\) is not supported on SQLite/);
      }
    });
  });

  describe('other scalars', () => {
    it('filters Bytes by value', async () => {
      expect(await skus(`{ thumbnail: { equals: "${thumb}" } }`)).toEqual(['A']);
      expect(await skus(`{ thumbnail: { equals: null } }`)).toEqual(['B', 'C', 'D', 'E']);
    });

    it('filters an optional Float and a Boolean, combined with AND/OR/NOT', async () => {
      expect(await skus(`{ weight: { gt: 0.5 } }`)).toEqual(['A', 'D']);
      expect(await skus(`{ weight: { equals: null } }`)).toEqual(['B', 'E']);
      expect(await skus(`{ active: { equals: false } }`)).toEqual(['B']);
      expect(await skus(`{ OR: [{ weight: { lt: 0.5 } }, { active: { equals: false } }] }`)).toEqual(['B', 'C']);
      expect(await skus(`{ AND: [{ kind: { equals: PHYSICAL } }], NOT: [{ price: { lt: "10.50" } }] }`)).toEqual(['A']);
    });
  });
});
