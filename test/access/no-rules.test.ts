import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, type TestApp } from '../support/test-app.ts';
import { forbidden, ok } from './run-matrix.ts';

/**
 * A schema without any rule (the catalog fixture) is denied to every request once rules are
 * enforced: reads see nothing, writes are FORBIDDEN with an explanation, and the boot warns.
 */
describeEachProvider('access rules: a schema without rules', (provider) => {
  let t: TestApp;
  const warnings: string[] = [];
  beforeAll(async () => {
    t = await createTestApp('catalog', provider, {}, { access: 'enforce', warn: (message) => warnings.push(message) });
    await t.app.db.warehouse.create({ data: { code: 'W1', city: 'Oslo' } });
  });
  afterAll(() => t.close());

  it('warns at boot, naming the models and how to fix it', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Access rules: Warehouse, Product, StockLevel, Category(, \w+)* have no \/\/\/ @@allow rule, so every request is denied/);
    expect(warnings[0]).toContain('`cairn rules`');
  });

  it('reads nothing and writes nothing', async () => {
    expect(ok(await t.gql('{ warehouses { code } warehousesCount warehouse(where: { code: "W1" }) { code } }'))).toEqual({ warehouses: [], warehousesCount: 0, warehouse: null });
    const error = forbidden(await t.gql('mutation { createWarehouse(data: { code: "W2", city: "Bergen" }) { code } }'));
    expect(error.message).toBe('Access denied by rule Warehouse.create');
    expect(error.extensions.rule).toMatchObject({ reason: 'Warehouse has no access rules, so every operation on it is denied (add /// @@allow(...) above the model)' });
    expect(ok(await t.gql('mutation { deleteManyWarehouses(where: {}) { count } }')).deleteManyWarehouses.count).toBe(0);
    expect(await t.app.db.warehouse.count()).toBe(1);
  });
});
