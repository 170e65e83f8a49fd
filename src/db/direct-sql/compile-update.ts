import type { Model } from '../datamodel.ts';
import { selectedFields, type CompiledStatement } from './compile-find.ts';
import { compiled, compileWhere, onlyKeys, param, Params, unsupported } from './compile-where.ts';
import type { Tables } from './tables.ts';

const updateKeys = new Set(['where', 'select', 'data']);

/**
 * A Prisma `update` on `model` as one PostgreSQL `UPDATE … RETURNING`: a unique `where` that
 * `compileWhere` takes, a scalar `select`, and `data` setting scalar columns to values (plain or
 * `{ set }`; no `increment` and the like, no relations). `@updatedAt` columns the data leaves out
 * are set to now, as Prisma's client sets them. Undefined otherwise, and Prisma's client runs it.
 */
export function compileUpdate(tables: Tables, model: Model, args: Record<string, any>): CompiledStatement | undefined {
  return compiled(() => {
    onlyKeys(args, updateKeys);
    const where = args.where ?? {};
    if (!tables.hasUniqueKey(model, where)) unsupported('update without a unique key');
    const params = new Params();
    const alias = params.alias();
    const assignments = assign(tables, model, args.data, params);
    const fields = selectedFields(tables, model, args.select, undefined);
    const condition = compileWhere(tables, model, alias, where, params);
    const returning = fields.map((f) => `${alias}.${tables.column(f)}`).join(', ');
    const sql = `UPDATE ${tables.table(model)} AS ${alias} SET ${assignments} WHERE ${condition} RETURNING ${returning}`;
    return { sql, args: params.args, argTypes: params.argTypes, fields };
  });
}

/** `"col" = $n, …` for the data and the `@updatedAt` columns it leaves out. */
function assign(tables: Tables, model: Model, data: unknown, params: Params): string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return unsupported('data');
  const values = new Map<string, unknown>();
  for (const [name, given] of Object.entries(data)) {
    if (given === undefined) continue;
    const value = given !== null && typeof given === 'object' && !(given instanceof Date) ? setValue(given) : given;
    values.set(name, value);
  }
  if (!values.size) unsupported('empty data');
  const now = new Date();
  for (const field of model.fields) if (field.isUpdatedAt && !values.has(field.name)) values.set(field.name, now);
  return [...values].map(([name, value]) => {
    const field = tables.field(model, name);
    const type = field && field.kind !== 'object' ? tables.argType(field) : undefined;
    if (!field || !type) return unsupported(`data ${name}`);
    if (value === null && field.isRequired) return unsupported(`${name}: null`);
    // The column (no alias: PostgreSQL's SET names columns of the updated table).
    return `${tables.column(field)} = ${value === null ? params.add(null, type) : param(tables, field, value, params)}`;
  }).join(', ');
}

/** `{ set: v }` is the value v; any other operation (`increment`, `push`…) is Prisma's. */
function setValue(operation: object): unknown {
  const keys = Object.keys(operation);
  return keys.length === 1 && keys[0] === 'set' ? (operation as { set: unknown }).set : unsupported(`data ${keys.join(', ')}`);
}
